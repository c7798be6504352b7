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
(~/.cache/samverkan/lexicon on Linux), else a folder of this user in the temp directory.
When nothing is writable the data is loaded from the packages as before (slow, same results).
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
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


def cache_root(part: str) -> Path:
    """The cache folder `part` (data made once from installed packages): under
    $SAMVERKAN_CACHE_DIR, else the user cache folder, else (a service account without a
    writable home) a folder of this user in the temp directory."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser() / part
    from platformdirs import user_cache_dir

    folder = Path(user_cache_dir("samverkan")) / part
    if _writable(folder):
        return folder
    return Path(tempfile.gettempdir()) / f"samverkan-{os.getuid()}" / part


def cache_dir() -> Path:
    """Where the tries live (cache_root)."""
    return cache_root("lexicon")


def package_version(package: str) -> str:
    """The installed version of a package, which names what is cached from it."""
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
        os.chmod(temporary, 0o644)  # word lists, not secrets: other accounts may share them
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

    folder = cache_dir() / f"simplemma-{package_version('simplemma')}"
    if not _writable(folder):  # building a trie per process would be slower than the dict
        from simplemma.strategies.dictionaries.dictionary_factory import (
            DEFAULT_DICTIONARY_FACTORY,
        )

        log.warning("no writable cache for Swedish word data; loading it the slow way")
        return DEFAULT_DICTIONARY_FACTORY
    return AtomicTrieFactory(use_disk_cache=True, disk_cache_dir=str(folder))


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
    return cache_dir() / f"wordfreq-{package_version('wordfreq')}-{LANG}-f{FORMAT}.marisa"


def _zipf_of(frequencies: dict[str, float]) -> Iterator[tuple[str, tuple[float]]]:
    for word, freq in frequencies.items():
        if freq > 0:
            yield word, (math.log10(freq) + 9,)


@cache
def _frequencies() -> Callable[[str], float]:
    """word -> Zipf frequency, from the cached trie (built from wordfreq when missing)."""
    import marisa_trie

    path = _frequency_path()
    with _build_lock:
        trie = marisa_trie.RecordTrie("<d")
        if path.exists():
            try:
                trie.mmap(str(path))
                return _trie_lookup(trie)
            except Exception:  # a damaged cache file: build it again
                log.warning("damaged word frequency cache %s, rebuilding", path)
                path.unlink(missing_ok=True)
        from wordfreq import get_frequency_dict

        frequencies = get_frequency_dict(LANG)
        if not _writable(path.parent):
            log.warning("no writable cache for Swedish word data; loading it the slow way")
            return lambda word: (math.log10(f) + 9) if (f := frequencies.get(word)) else 0.0
        _save_atomically(marisa_trie.RecordTrie("<d", _zipf_of(frequencies)), path)
        trie.mmap(str(path))
        return _trie_lookup(trie)


def _trie_lookup(trie: Any) -> Callable[[str], float]:
    def lookup(word: str) -> float:
        found = trie.get(word)
        return found[0][0] if found else 0.0

    return lookup


@lru_cache(maxsize=400_000)
def zipf(word: str) -> float:
    """Zipf frequency of a lowercase Swedish word (log10 per billion words; 0 when unknown)."""
    return _frequencies()(word)


def warm() -> None:
    """Map (or build) both tries now, e.g. before timing something."""
    _lemmatizer()
    _frequencies()
