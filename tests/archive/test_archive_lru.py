"""The bounded cache the archive keeps per process (archive.lru)."""

from __future__ import annotations

import pytest

from samverkan.archive.lru import LRU


def test_keeps_at_most_maxsize_and_forgets_the_least_recently_used() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert len(cache) == 2
    assert "b" not in cache
    assert cache.get("a") == 1 and cache.get("c") == 3


def test_a_cached_none_is_told_apart_from_a_miss() -> None:
    cache: LRU[str, int | None] = LRU(4)
    assert cache.lookup("x") == (False, None)
    cache.put("x", None)
    assert cache.lookup("x") == (True, None)


def test_pop_and_clear() -> None:
    cache: LRU[str, int] = LRU(4)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.pop("a")
    cache.pop("missing")  # no error
    assert "a" not in cache and len(cache) == 1
    cache.clear()
    assert len(cache) == 0


def test_needs_room_for_one_entry() -> None:
    with pytest.raises(ValueError):
        LRU(0)
