"""Agreement texts for the benches: the real seeds in ../shared when they are beside the
checkout, else agreements the bench corpus generates, so `make bench-quick` runs in any clone.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class Skipped(Exception):  # noqa: N818 - a bench that cannot run here says why, not an error
    """Raised by a bench's run() when what it measures needs something absent (the reason)."""


def shared_folder() -> Path | None:
    """../shared (or SAMVERKAN_SHARED) with its seeds, or None."""
    for candidate in (os.environ.get("SAMVERKAN_SHARED"), REPO.parent / "shared",
                      REPO / "shared"):
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    return None


def agreement_texts(count: int = 3, seed: int = 7) -> list[str]:
    """The seed agreements' texts, or `count` generated ones (pages joined by form feeds)."""
    shared = shared_folder()
    if shared is not None:
        return [path.read_text(encoding="utf-8") for path in sorted((shared / "seeds").glob("*.txt"))]
    from bench import corpus
    from samverkan.docgen.municipalities import municipalities

    rng = random.Random(seed)
    places = sorted(municipalities(), key=lambda m: m.code)
    texts = []
    for number in range(count):
        main = places[(number * 37) % len(places)]
        agreement = corpus.build_agreement(rng, main, ("2024-01-01", "2026-12-31", False),
                                           partners=number % 3)
        texts.append("\f".join(corpus.agreement_pages(agreement, "undertecknad", rng)))
    return texts
