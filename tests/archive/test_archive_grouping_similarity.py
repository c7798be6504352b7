"""archive.similarity: OCR-tolerant words, shingles and the sketch logged with each version."""

from __future__ import annotations

import itertools

from samverkan.archive.grouping import SIMILARITY_THRESHOLD
from samverkan.archive.similarity import (
    MIN_SHINGLES,
    SKETCH_SIZE,
    Fingerprint,
    containment_sets,
    shingles,
    words,
)
from tests.archive.test_archive_grouping_decide import bodies, ocr_damage


def test_words_tolerate_what_ocr_and_layout_change() -> None:
    assert words("Sam-\nverkans­överenskommelse, MELLAN Marks kommun: 2022–2024 (sid 1)") == [
        "samverkansöverenskommelse", "mellan", "marks", "kommun", "sid"]
    assert words("Å ä ö: ÅTGÄRDER för ökad trygghet; | . , d") == [
        "åtgärder", "för", "ökad", "trygghet"]
    assert words("a\u030angermanland") == ["ångermanland"]  # decomposed å from a PDF
    assert words("kommun- och polisledning") == ["kommun", "och", "polisledning"]


def test_fingerprint_round_trips_through_the_log() -> None:
    found = Fingerprint.of(bodies()[0])
    assert found.usable and found.size > SKETCH_SIZE and len(found.sketch) == SKETCH_SIZE
    assert list(found.sketch) == sorted(found.sketch)
    logged = found.to_json()
    assert set(logged) == {"format", "shingles", "sketch"} and len(logged["sketch"]) < 1400
    assert Fingerprint.from_json(logged) == found
    for junk in (None, {}, {"format": 99, "shingles": 1, "sketch": ""},
                 {"format": 1, "shingles": "x", "sketch": ""},
                 {"format": 1, "shingles": 3, "sketch": "not base64!"}):
        assert Fingerprint.from_json(junk) is None


def test_small_texts_are_kept_whole_and_marked_unusable() -> None:
    tiny = Fingerprint.of("Kommunen och polisen samverkar mot brott i centrum.")
    assert tiny.size == len(tiny.sketch) < MIN_SHINGLES and not tiny.usable
    assert Fingerprint.of("").size == 0 and Fingerprint.of("").containment(tiny) == 0.0


def test_sketch_estimates_follow_the_exact_measure() -> None:
    texts = bodies()
    for a, b in itertools.combinations(texts[:6], 2):
        exact = containment_sets(shingles(a), shingles(b))
        assert abs(Fingerprint.of(a).containment(Fingerprint.of(b)) - exact) < 0.12
    damaged = ocr_damage(texts[0])
    exact = containment_sets(shingles(texts[0]), shingles(damaged))
    assert abs(Fingerprint.of(texts[0]).containment(Fingerprint.of(damaged)) - exact) < 0.05


def test_containment_finds_a_body_within_a_longer_one() -> None:
    whole = bodies()[0]
    first_half = whole[: len(whole) // 2]
    assert Fingerprint.of(first_half).containment(Fingerprint.of(whole)) > 0.95
    assert Fingerprint.of(whole).jaccard(Fingerprint.of(first_half)) < 0.7


def test_threshold_separates_scans_from_other_agreements() -> None:
    """The calibration in miniature: damaged copies of an agreement stay above the threshold,
    other agreements from the same phrase bank well below it."""
    texts = bodies()
    prints = [Fingerprint.of(text) for text in texts]
    for index, text in enumerate(texts):
        scan = Fingerprint.of(ocr_damage(text, seed=index, rate=0.05))
        assert scan.containment(prints[index]) >= SIMILARITY_THRESHOLD + 0.1
        others = [scan.containment(p) for i, p in enumerate(prints) if i != index]
        assert max(others) < SIMILARITY_THRESHOLD - 0.1
