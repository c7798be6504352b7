"""Agreement data from YAML: every problem reported in Swedish with its field path."""

from __future__ import annotations

import pytest

from samverkan.docgen.loading import AgreementDataError, load_yaml, loads_yaml
from tests.docgen.conftest import EXAMPLE_NAMES, EXAMPLES, signatory_agreement


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_examples_load(name: str) -> None:
    agreement = load_yaml(EXAMPLES / f"{name}.yaml")
    assert agreement.signatories and agreement.all_commitments()


def test_examples_are_the_four_expected() -> None:
    assert set(EXAMPLE_NAMES) == {"mark-2022-2024", "upplands-vasby-2021-2022",
                                  "trelleborg-2023-2026", "mora-orsa-alvdalen"}


def problems(text: str) -> dict[str, str]:
    with pytest.raises(AgreementDataError) as caught:
        loads_yaml(text, "utkast.yaml")
    assert str(caught.value).startswith("utkast.yaml: ")
    return dict(caught.value.problems)


def test_every_problem_listed_with_path() -> None:
    found = problems("""
parties:
  municipalities: [Markk]
  polis: {name: Borås}
period: {start: "2024", end: "2022"}
focus_areas:
  - title: ""
    commitments: [{party: kommunen, text: x}]
signatories:
  - {name: Anna}
""")
    assert "«Markk» är ingen av Sveriges 290 kommuner" in found["parties.municipalities"]
    assert found["parties.polis"] == "är inget känt fält (stavfel?)"
    assert "slutar (2022) före den börjar (2024)" in found["period"]
    assert found["focus_areas[0].title"] == "får inte vara tom"
    assert "otillåtet värde «kommunen»" in found["focus_areas[0].commitments[0].party"]
    assert found["signatories[0].organisation"] == "saknas men måste anges"


@pytest.mark.parametrize("count", range(2, 9))
def test_two_to_eight_signatories_accepted(count: int) -> None:
    assert len(signatory_agreement(count).signatories) == count


def test_more_than_eight_signatories_rejected() -> None:
    people = "\n".join(f"  - {{organisation: Part {i}}}" for i in range(9))
    found = problems(f"parties: {{municipalities: [Mora]}}\nsignatories:\n{people}\n")
    assert "högst 8 undertecknare" in found["signatories"]


@pytest.mark.parametrize(("period", "expected"), [
    ('{start: "2022-13-01"}', "inget giltigt datum"),
    ('{start: "22-01-01"}', "skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"),
    ('{start: "2022", end: "2024", open_ended: true}', "tills vidare kan inte ha ett slutdatum"),
])
def test_period_validation(period: str, expected: str) -> None:
    found = problems(f"parties: {{municipalities: [Mora]}}\nperiod: {period}\n")
    assert any(expected in message for message in found.values()), found


def test_display_names_must_name_a_party() -> None:
    found = problems("parties: {municipalities: [Mora], display_names: {Orsa: Orsa kommun}}\n")
    assert "«Orsa» är inte en av parternas kommuner" in found["parties"]
    ok = loads_yaml("parties: {municipalities: [Göteborg], "
                    "display_names: {Göteborgs Stad: Göteborgs Stad}}\n")
    assert ok.parties.display_names == {"Göteborg": "Göteborgs Stad"}


def test_bad_yaml_and_missing_file(tmp_path) -> None:
    found = problems("parties: [\n")
    assert any("ogiltig YAML" in message for message in found.values())
    with pytest.raises(AgreementDataError) as caught:
        load_yaml(tmp_path / "saknas.yaml")
    assert "saknas.yaml" in str(caught.value) and "kan inte läsas" in str(caught.value)
