"""Swedish word data for the analysis, loaded in milliseconds from tries cached on disk.

The analysis needs two word lists: simplemma's Swedish lemma dictionary (about a million
forms) and wordfreq's Swedish frequencies (for splitting compounds). Decoding them from the
packages takes seconds (simplemma's compressed stream ~2 s, wordfreq's import and list
~0.5 s), which every short-lived CLI process paid on its first analysed passage. Here each
list is turned once into a MARISA trie (simplemma's own TrieDictionaryFactory for lemmas,
a RecordTrie for frequencies), saved in a user cache folder under a name that carries the
library's version, and memory-mapped by later processes. Nothing is loaded before the first
word is looked up.

The cache folder is $SAMVERKAN_CACHE_DIR/lexicon when set, else the user cache folder
(~/.cache/samverkan/lexicon on Linux). When no folder is writable the tries are built in
memory (slow, but the results are the same).
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import threading
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LANG = "sv"
CACHE_ENV = "SAMVERKAN_CACHE_DIR"
# Bump when the layout of a cached file changes.
FORMAT = 1
_build_lock = threading.Lock()


def cache_dir() -> Path:
    """Where the tries live (not created here)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser() / "lexicon"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("samverkan")) / "lexicon"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _save_atomically(trie: Any, target: Path) -> None:
    """Write beside the target and rename, so a reader never maps a half-written file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        trie.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------
# Lemmas (simplemma)

def _trie_factory() -> Any:
    from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

    class AtomicTrieFactory(TrieDictionaryFactory):
        """simplemma's trie factory, saving its cache with a rename (processes may race)."""

        def _write_trie_to_disk(self, lang: str, trie: Any) -> None:
            self._cache_dir.mkdir(parents=True, exist_ok=True)
            _save_atomically(trie, self._cache_dir / f"{lang}.dic")

    folder = cache_dir() / f"simplemma-{_version('simplemma')}"
    return AtomicTrieFactory(use_disk_cache=_writable(folder), disk_cache_dir=str(folder))


@cache
def _lemmatizer() -> tuple[Any, Any]:
    """(simplemma Lemmatizer, dictionary lookup) over the cached trie."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionary_lookup import DictionaryLookupStrategy

    with _build_lock:
        factory = _trie_factory()
        factory.get_dictionary(LANG)  # build or map the trie now, once
    return (Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory)),
            DictionaryLookupStrategy(factory))


def lemmatize(token: str) -> str:
    """simplemma.lemmatize(token, lang="sv"), from the cached trie."""
    return _lemmatizer()[0].lemmatize(token, LANG)


def is_known(token: str) -> bool:
    """simplemma.is_known(token, lang="sv"), from the cached trie."""
    from simplemma.utils import normalize_token

    return _lemmatizer()[1].get_lemma(normalize_token(token), LANG) is not None


# ---------------------------------------------------------------------------------------------
# Frequencies (wordfreq)

def _frequency_path() -> Path:
    return cache_dir() / f"wordfreq-{_version('wordfreq')}-{LANG}-f{FORMAT}.marisa"


def _build_frequencies() -> Any:
    import marisa_trie
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict(LANG)
    return marisa_trie.RecordTrie("<d", ((word, (math.log10(freq) + 9,))
                                         for word, freq in frequencies.items() if freq > 0))


@cache
def _frequencies() -> Any:
    import marisa_trie

    path = _frequency_path()
    with _build_lock:
        if path.exists():
            try:
                trie = marisa_trie.RecordTrie("<d")
                trie.mmap(str(path))
                return trie
            except Exception:  # a damaged cache file: build it again
                log.warning("damaged word frequency cache %s, rebuilding", path)
                path.unlink(missing_ok=True)
        trie = _build_frequencies()
        if _writable(path.parent):
            try:
                _save_atomically(trie, path)
            except OSError:
                log.warning("could not cache word frequencies in %s", path.parent)
        return trie


@lru_cache(maxsize=400_000)
def zipf(word: str) -> float:
    """Zipf frequency of a lowercase Swedish word (log10 per billion words; 0 when unknown)."""
    found = _frequencies().get(word)
    return found[0][0] if found else 0.0


def warm() -> None:
    """Map (or build) both tries now, e.g. before timing something."""
    _lemmatizer()
    _frequencies()
