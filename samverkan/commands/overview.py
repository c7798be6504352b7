"""`samverkan due`: the agreements to act on soon, from the national overview.

The rules (which version counts, when an agreement expires or is due for review) live in
samverkan.archive.overview; this module reads the catalogue, today's date in Stockholm and
the options, and prints.
"""

from __future__ import annotations

import click

from samverkan.commands.common import emit_json, fail, output_options, settings


def county_option(value: str | None) -> str | None:
    """The county `--lan` names, or refuse with the known names (exit code 2)."""
    if value is None:
        return None
    from samverkan.docgen.municipalities import counties, county_named

    found = county_named(value)
    if found is None:
        known = ", ".join(sorted(counties().values()))
        fail(f"«{value}» är inget län. Län: {known}.")
    return found


@click.command("due")
@click.option("--months", type=click.IntRange(0, 120), default=6, show_default=True,
              metavar="MÅNADER", help="Hur många månader framåt som räknas som snart.")
@click.option("--lan", "county", metavar="LÄN",
              help="Bara överenskommelser i detta län, t.ex. \"Dalarnas län\".")
@output_options(answer="överenskommelserna")
@click.pass_context
def due(ctx: click.Context, months: int, county: str | None, as_json: bool) -> None:
    """Överenskommelser som löper ut eller ska ses över inom de närmaste månaderna.

    Räknar med varje överenskommelses senaste undertecknade version och dagens datum i
    Sverige. Tillsvidareavtal kommer med när deras text anger hur ofta de ska ses över.
    Sorterat efter datum.
    """
    from samverkan.archive.listing import read_all_versions
    from samverkan.archive.overview import agreement_dict, overview, stockholm_today
    from samverkan.docgen.dates import long_sv

    wanted = county_option(county)
    picture = overview(read_all_versions(settings(ctx)), stockholm_today(), months)
    items = picture.in_county(wanted).due()
    if as_json:
        emit_json([agreement_dict(item) for item in items])
        return
    where = f" i {wanted}" if wanted else ""
    if not items:
        click.echo(f"Inga överenskommelser{where} löper ut eller ska ses över inom "
                   f"{months} månader.")
        return
    click.echo(f"Att göra{where} inom {months} månader (från {long_sv(picture.today)}):")
    for item in items:
        when = long_sv(item.due) if item.due else "–"
        what = "ses över" if item.ends is None else "löper ut"
        passed = " (passerat)" if item.due and item.due < picture.today else ""
        dnr = f", dnr {item.dnr}" if item.dnr else ""
        click.echo(f"  {when}{passed}  {what}  {item.agreement_id}  {item.title} "
                   f"(v{item.signed_version}{dnr})")


COMMANDS = [due]
