"""`samverkan serve` (the web service with watcher and OCR) and `samverkan user` (accounts)."""

from __future__ import annotations

import sys

import click

from samverkan.cli import emit_json, settings
from samverkan.users import ROLES, UserError, UserStore


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--with-examples", is_flag=True,
              help="File the example agreements and create a demo account (idempotent).")
@click.option("--no-watch", is_flag=True, help="Do not watch HOME/inbox.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, with_examples: bool, no_watch: bool) -> None:
    """Run the web service, the inbox watcher and background OCR until stopped (Ctrl+C)."""
    import logging

    from samverkan.service import Service

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    service = Service(settings(ctx), host=host, port=port, watch=not no_watch)
    if with_examples:
        from samverkan import demo

        click.echo("Förbereder exempel …")
        report = demo.prepare(service.backend, echo=click.echo)
        click.echo(report.summary())
    click.echo(f"Öppna http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}/ "
               "i webbläsaren. Stoppa med Ctrl+C.")
    if with_examples and report.login:
        click.echo(f"Demokonto: användarnamn «{report.login[0]}», lösenord «{report.login[1]}»")
    elif UserStore(settings(ctx).home).is_empty():
        click.echo("Det finns inga konton ännu. Skapa ett med "
                   "`samverkan user add NAMN --role registrator --admin`.")
    sys.exit(service.run())


@click.group()
def user() -> None:
    """Local accounts for the web service and API tokens for integrations."""


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="registrator (file, correct, quarantine), samordnare (search, draft), "
                   "läsare (search and read).")
@click.option("--admin", is_flag=True, help="May do everything.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--replace", is_flag=True, help="Change role/password of an existing account.")
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, admin: bool, password_stdin: bool,
             replace: bool) -> None:
    """Create an account (asks for the password unless --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Lösenord", hide_input=True, confirmation_prompt="Upprepa lösenordet")
    try:
        account = UserStore(settings(ctx).home).add(name, role, password, admin=admin,
                                                    replace=replace)
    except UserError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Kontot «{account.name}» ({account.role_label}) är sparat.")


@user.command("token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown in `user list`).")
@click.option("--revoke", is_flag=True, help="Revoke all the account's tokens instead.")
@click.pass_context
def user_token(ctx: click.Context, name: str, label: str, revoke: bool) -> None:
    """Create an API token for NAME (printed once; only its hash is kept)."""
    store = UserStore(settings(ctx).home)
    try:
        if revoke:
            count = store.revoke_tokens(name)
            click.echo(f"{count} API-nycklar för «{name}» är återkallade.")
            return
        token = store.new_token(name, label)
    except UserError as error:
        raise click.ClickException(str(error)) from None
    click.echo(token)
    click.echo("Spara nyckeln nu – den visas inte igen. Skicka den som "
               "«Authorization: Bearer …».", err=True)


@user.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def user_list(ctx: click.Context, as_json: bool) -> None:
    """List accounts and their roles."""
    try:
        accounts = UserStore(settings(ctx).home).list()
    except UserError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        emit_json([dict(a.public(), tokens=len(a.tokens)) for a in accounts])
        return
    if not accounts:
        click.echo("Inga konton. Skapa ett med `samverkan user add NAMN --role ROLL`.")
    for account in accounts:
        click.echo(f"{account.name:20} {account.role_label:32} {len(account.tokens)} API-nycklar")


@user.command("remove")
@click.argument("name")
@click.pass_context
def user_remove(ctx: click.Context, name: str) -> None:
    """Remove an account (its tokens stop working at once)."""
    try:
        UserStore(settings(ctx).home).remove(name)
    except UserError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Kontot «{name}» är borttaget.")


COMMANDS = [serve, user]
