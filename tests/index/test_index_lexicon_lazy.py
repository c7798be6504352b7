"""The search index attaches to the archive without loading the Swedish word data
(reader.lexicon): only the first analysed passage does."""

from __future__ import annotations

import shutil
from pathlib import Path

from samverkan.archive.home import Home
from samverkan.reader import lexicon
from tests.reader.test_reader_lexicon import run_python


def test_attaching_loads_no_word_data_until_a_passage_is_analysed(built_home: Home,
                                                                  tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(built_home.home, home)
    code = f"""
import json, sys
from dataclasses import replace
from samverkan.archive.home import Home
from samverkan import opening
from samverkan.reader import lexicon
from tests.index.conftest import FakeArchive, example_records, corpus_records
archive = FakeArchive(example_records() + corpus_records())
from pathlib import Path
settings = Home(home=Path({str(home)!r}))
archive.settings = settings
opening.follow(archive)
loaded = lambda: {{"lemmas": lexicon._lemmatizer.cache_info().currsize,
                   "frequencies": lexicon._frequencies.cache_info().currsize,
                   "modules": sorted(m for m in ("simplemma", "wordfreq") if m in sys.modules)}}
attached = loaded()
old = archive.version_records(archive.agreement_ids()[0])[-1]
archive.file(replace(old, version=old.version + 1, sha256="f" * 64,
                     pages=("Kvarterspromenader i centrum varje vår.",)))
print(json.dumps([attached, loaded()]))
"""
    attached, filed = run_python(code, lexicon.cache_dir().parent)
    assert attached == {"lemmas": 0, "frequencies": 0, "modules": []}
    assert filed["lemmas"] == 1 and filed["frequencies"] == 1
