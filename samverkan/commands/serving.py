"""`samverkan serve` (the web service with watcher and OCR) and `samverkan user` (accounts)."""

from __future__ import annotations

import sys

import click

from samverkan.commands.common import (
    CommandError,
    HomeBusy,
    emit_json,
    output_options,
    settings,
)
from samverkan.docgen.swedish import count_sv
from samverkan.users import ROLES, UserError, UserStore, check_name


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADRESS",
              help="Nätverksadressen som webbtjänsten lyssnar på.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535),
              metavar="PORT", help="Porten som webbtjänsten lyssnar på.")
@click.option("--with-examples", is_flag=True,
              help="Arkivera exempelöverenskommelserna och skapa ett demokonto (kan köras "
                   "flera gånger utan att något dubbleras).")
@click.option("--no-watch", is_flag=True, help="Bevaka inte inkorgen (HOME/inbox).")
@output_options(answer=None)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, with_examples: bool, no_watch: bool) -> None:
    """Kör webbtjänsten, bevakningen av inkorgen och textigenkänning (OCR) i bakgrunden tills
    den stoppas (Ctrl+C)."""
    import logging

    from samverkan.archive.ownership import IntakeBusy
    from samverkan.service import Service

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        force=True)  # the console, instead of the CLI's log file
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    service = Service(settings(ctx), host=host, port=port, watch=not no_watch)
    try:  # before examples are filed or anything is served: one watcher per HOME
        service.claim_intake()
    except IntakeBusy as error:
        raise HomeBusy(error.reason) from None
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
    """Lokala konton för webbtjänsten och API-nycklar för andra system."""


@user.command("add")
@click.argument("name", metavar="NAMN")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="registrator (arkivera, rätta, karantän), samordnare (söka, skriva utkast), "
                   "läsare (söka och läsa).")
@click.option("--admin", is_flag=True, help="Får göra allt, även hantera konton.")
@click.option("--password-stdin", is_flag=True, help="Läs lösenordet från standardinmatningen (stdin).")
@click.option("--replace", is_flag=True,
              help="Byt roll och lösenord för ett konto som redan finns.")
@output_options(answer=None)
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, admin: bool, password_stdin: bool,
             replace: bool) -> None:
    """Skapa ett konto (frågar efter lösenordet om inte --password-stdin anges)."""
    store = UserStore(settings(ctx).home)
    try:  # refuse a bad name or an existing account before asking for a password
        check_name(name)
        if not replace and store.get(name) is not None:
            raise UserError(f"Kontot «{name}» finns redan; ange --replace för att ändra det")
    except UserError as error:
        raise CommandError(str(error)) from None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Lösenord", hide_input=True, confirmation_prompt="Upprepa lösenordet")
    try:
        account = store.add(name, role, password, admin=admin, replace=replace)
    except UserError as error:
        raise CommandError(str(error)) from None
    click.echo(f"Kontot «{account.name}» ({account.role_label}) är sparat.")


@user.command("token")
@click.argument("name", metavar="NAMN")
@click.option("--label", default="", metavar="TEXT",
              help="Vad nyckeln är till för (visas i `samverkan user list`).")
@click.option("--revoke", is_flag=True,
              help="Återkalla i stället alla kontots API-nycklar.")
@output_options(answer=None)
@click.pass_context
def user_token(ctx: click.Context, name: str, label: str, revoke: bool) -> None:
    """Skapa en API-nyckel för kontot NAMN (visas en gång; bara dess kontrollsumma sparas)."""
    if revoke and label:
        raise click.UsageError("--label kan inte anges med --revoke (alla kontots "
                               "API-nycklar återkallas)")
    store = UserStore(settings(ctx).home)
    try:
        if revoke:
            count = store.revoke_tokens(name)
            revoked = "återkallad" if count == 1 else "återkallade"
            click.echo(f"{count_sv(count, 'API-nyckel', 'API-nycklar')} för «{name}» är "
                       f"{revoked}.")
            return
        token = store.new_token(name, label)
    except UserError as error:
        raise CommandError(str(error)) from None
    click.echo(token)
    click.echo("Spara nyckeln nu – den visas inte igen. Skicka den som "
               "«Authorization: Bearer …».", err=True)


@user.command("list")
@output_options(answer="listan")
@click.pass_context
def user_list(ctx: click.Context, as_json: bool) -> None:
    """Lista kontona och deras roller."""
    try:
        accounts = UserStore(settings(ctx).home).list()
    except UserError as error:
        raise CommandError(str(error)) from None
    if as_json:
        emit_json([dict(a.public(), tokens=len(a.tokens)) for a in accounts])
        return
    if not accounts:
        click.echo("Inga konton. Skapa ett med `samverkan user add NAMN --role ROLL`.")
    for account in accounts:
        tokens = count_sv(len(account.tokens), "API-nyckel", "API-nycklar")
        click.echo(f"{account.name:20} {account.role_label:32} {tokens}")


@user.command("logout")
@click.argument("name", metavar="NAMN")
@output_options(answer=None)
@click.pass_context
def user_logout(ctx: click.Context, name: str) -> None:
    """Avsluta alla inloggade sessioner för kontot NAMN (det måste logga in igen)."""
    from samverkan.archive.store import Archive, default_actor

    home = settings(ctx)
    try:
        UserStore(home.home).end_sessions(name)
    except UserError as error:
        raise CommandError(str(error)) from None
    # As the web's administrator page does: who ended whose sessions, in the audit log.
    Archive(home, recogniser=None).log_event("sessions_ended", default_actor(), account=name)
    click.echo(f"Alla sessioner för «{name}» är avslutade.")


@user.command("remove")
@click.argument("name", metavar="NAMN")
@output_options(answer=None)
@click.pass_context
def user_remove(ctx: click.Context, name: str) -> None:
    """Ta bort ett konto (dess API-nycklar slutar gälla direkt)."""
    try:
        UserStore(settings(ctx).home).remove(name)
    except UserError as error:
        raise CommandError(str(error)) from None
    click.echo(f"Kontot «{name}» är borttaget.")


COMMANDS = [serve, user]
