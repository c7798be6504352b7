"""The Swedish word data: the same answers as simplemma and wordfreq, cached on disk per
library version, rebuilt when damaged, and not loaded at all by attaching to an archive."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samverkan.reader import lexicon
from tests.conftest import REPO


@pytest.fixture(scope="module")
def seed_words(seed_texts: dict[str, str]) -> list[str]:
    words = sorted({w.lower() for text in seed_texts.values() for w in re.findall(r"\w+", text)})
    return words[::7]


def test_same_lemmas_as_simplemma(seed_words: list[str]) -> None:
    import simplemma

    for word in [*seed_words, "trygghetsvandringar", "Polisen", "här", "har", "xqzzy"]:
        assert lexicon.lemmatize(word) == simplemma.lemmatize(word, lang="sv"), word
        assert lexicon.is_known(word) == simplemma.is_known(word, lang="sv"), word


def test_same_frequencies_as_wordfreq(seed_words: list[str]) -> None:
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("sv")
    for word in [*seed_words, "trygghet", "brott", "xqzzy"]:
        freq = frequencies.get(word)
        assert lexicon.zipf(word) == (math.log10(freq) + 9 if freq else 0.0), word


def run_python(code: str, cache: Path, timeout: float = 120) -> dict:
    """Run `code` in a fresh interpreter with its own word-data cache; its last line as JSON."""
    env = {**os.environ, lexicon.CACHE_ENV: str(cache), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_cache_is_keyed_by_version_and_rebuilt_when_damaged(tmp_path: Path) -> None:
    lexicon.warm()
    cache = tmp_path / "cache"
    # The lemma trie takes seconds to build: start from the one this session already has.
    (cache / "lexicon").mkdir(parents=True)
    for folder in lexicon.cache_dir().glob("simplemma-*"):
        shutil.copytree(folder, cache / "lexicon" / folder.name)
    probe = ("import json; from samverkan.reader import lexicon; "
             "print(json.dumps([lexicon.zipf('trygghet'), lexicon.lemmatize('trygghetsvandringar'),"
             " str(lexicon.cache_dir())]))")
    zipf, lemma, folder = run_python(probe, cache)
    assert (zipf, lemma) == (lexicon.zipf("trygghet"), lexicon.lemmatize("trygghetsvandringar"))
    files = sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*")
                   if p.is_file())
    from importlib.metadata import version

    assert f"simplemma-{version('simplemma')}/sv.dic" in files
    frequency_file = f"wordfreq-{version('wordfreq')}-sv-f{lexicon.FORMAT}.marisa"
    assert frequency_file in files
    assert not [f for f in files if Path(f).name.startswith(".")]  # no temporary leftovers

    damaged = Path(folder) / frequency_file
    damaged.write_bytes(damaged.read_bytes()[:100])
    assert run_python(probe, cache)[0] == zipf
    assert damaged.stat().st_size > 100_000  # written again, whole
