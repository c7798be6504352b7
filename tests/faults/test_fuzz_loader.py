"""Fuzzing the YAML loader: whatever a drafter types, the answer is an Agreement or an
AgreementDataError with Swedish problems, never another exception."""

from __future__ import annotations

import random
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import PERIODS, build_agreement
from samverkan.docgen.loading import AgreementDataError, dump_yaml, loads_yaml
from samverkan.docgen.model import Agreement
from samverkan.docgen.municipalities import municipalities

FIELDS = ["id", "version", "title", "parties", "period", "background", "focus_areas",
          "commitments", "signing", "signatories", "copies", "notes", "municipalities",
          "police", "start", "end", "open_ended", "party", "text", "title", "name", "date"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["2022", "2022-02-30", "2022-13", "tills vidare", "Mark", "Marks kommun",
                     "kommun", "polis", "gemensam", "lokalpolisområde", "Atlantis", "9999-99-99",
                     "2024-02-29", "2023-02-29", ""]),
)
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(keys, children, max_size=6)),
    max_leaves=30,
)


def _assert_contract(text: str) -> None:
    try:
        agreement = loads_yaml(text, "fuzz.yaml")
    except AgreementDataError as error:
        assert error.problems, "an AgreementDataError must list its problems"
        assert str(error).startswith("fuzz.yaml: "), "the error must name the file"
        for path, message in error.problems:
            assert path and message
    else:
        assert isinstance(agreement, Agreement)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=string.printable + "åäöÅÄÖ–•«»\u00ad\t", max_size=300))
def test_arbitrary_text_gives_agreement_or_data_error(text: str) -> None:
    _assert_contract(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_arbitrary_structures_give_agreement_or_data_error(data: object) -> None:
    _assert_contract(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({
    "parties": st.fixed_dictionaries({"municipalities": st.lists(
        st.one_of(st.sampled_from([m.name for m in municipalities()]), st.text(max_size=10)),
        max_size=3)}),
    "period": st.dictionaries(st.sampled_from(["start", "end", "open_ended", "from_signing"]),
                              scalars, max_size=4),
    "signatories": st.lists(st.fixed_dictionaries({"organisation": scalars}), max_size=10),
    "focus_areas": st.lists(st.fixed_dictionaries(
        {"title": scalars, "commitments": st.lists(st.fixed_dictionaries(
            {"party": scalars, "text": scalars}), max_size=3)}), max_size=3),
}))
def test_nearly_valid_agreements_give_agreement_or_data_error(data: dict) -> None:
    _assert_contract(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize("text, path_fragment", [
    ("parties: {municipalities: [Mark]}\nperiod: {start: 2022-02-30}", "period.start"),
    ("parties: {municipalities: [Mark]}\nperiod: {start: !!timestamp 2022-13-01}", "(fil)"),
    ("parties: {municipalities: [Mark]}\nversion: !!int x", "(fil)"),
    ("[" * 3000, "(fil)"),
    ("parties: {municipalities: [Mark]}\nperiod: {start: 2024, end: 2022}", "period"),
    ("parties: {municipalities: [Atlantis]}", "parties.municipalities"),
    ("parties: {municipalities: [Mark]}\nsignatories: " + "[{organisation: X}, ]" * 1, None),
])
def test_known_hostile_inputs(text: str, path_fragment: str | None) -> None:
    if path_fragment is None:
        assert isinstance(loads_yaml(text, "x.yaml"), Agreement)
        return
    with pytest.raises(AgreementDataError) as caught:
        loads_yaml(text, "x.yaml")
    assert any(path_fragment in path for path, _ in caught.value.problems), caught.value


def test_unquoted_dates_and_years_are_read_as_written() -> None:
    agreement = loads_yaml("parties: {municipalities: [Marks kommun]}\n"
                           "period: {start: 2022-01-01, end: 2024}\n"
                           "signing: {place: Mark, date: 2021-12-08}\n")
    assert agreement.period.start == "2022-01-01"
    assert agreement.period.end == "2024"
    assert agreement.signing.date == "2021-12-08"


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_generated_agreements_round_trip_through_yaml(seed: int) -> None:
    rng = random.Random(seed)
    main = rng.choice(municipalities())
    agreement = build_agreement(rng, main, rng.choice(PERIODS), rng.choice((0, 0, 1, 3)))
    again = loads_yaml(dump_yaml(agreement), "rundtur.yaml")
    assert again == agreement
