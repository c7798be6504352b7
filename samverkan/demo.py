"""`serve --with-examples`: file the example agreements once and make a demo account.

Generated PDFs carry creation times, so each file is made once and kept under HOME/demo/;
filing the same bytes again is recognised by the archive as a duplicate, which makes this
idempotent across restarts.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

from samverkan.examples import example_files
from samverkan.users import UserStore

log = logging.getLogger("samverkan.demo")
REPO = Path(__file__).resolve().parent.parent  # the checkout, for ../shared only
DEMO_USER = "demo"


@dataclass
class DemoReport:
    filed: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    login: tuple[str, str] | None = None

    def summary(self) -> str:
        text = (f"Exempel: {len(self.filed)} nya, {len(self.duplicates)} fanns redan i arkivet")
        if self.problems:
            text += "\n" + "\n".join(f"  problem: {p}" for p in self.problems)
        return text


def shared_seeds() -> Path | None:
    """../shared/seeds beside the checkout (or SAMVERKAN_SHARED), when it exists."""
    for candidate in (os.environ.get("SAMVERKAN_SHARED"), REPO.parent / "shared", REPO / "shared"):
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate) / "seeds"
    return None


def _example_file(settings, name: str, example: Traversable,  # type: ignore[no-untyped-def]
                  cache: Path, archive=None) -> Path:
    """The example as its signed final document: PDF/A (LibreOffice) or, without, DOCX.

    Made the way a drafter makes it (numbered and registered, samverkan.numbering), so the
    archive files it with the whole model; the examples stand for signed agreements, so what
    they mark for confirmation counts as confirmed.
    """
    from samverkan.docgen import render
    from samverkan.docgen.checklist import confirmed
    from samverkan.docgen.loading import loads_yaml
    from samverkan.numbering import number_draft

    for suffix in (".pdf", ".docx"):
        cached = cache / f"{name}{suffix}"
        if cached.is_file():
            return cached
    text = example.read_text(encoding="utf-8")
    agreement = number_draft(settings, confirmed(loads_yaml(text, example.name)), final=True,
                             archive=archive)
    with_pdf = shutil.which(settings.soffice) is not None
    converter = None
    if with_pdf:
        from samverkan.docgen.pdf import shared_converter

        converter = shared_converter(settings.runtime, settings.soffice, settings.uno_python)
    scratch = cache / ".render"
    shutil.rmtree(scratch, ignore_errors=True)
    result = render.draft(agreement, scratch, pdf=with_pdf, converter=converter, final=True)
    made = result.pdf or result.docx
    target = cache / f"{name}{made.suffix}"
    os.replace(made, target)
    shutil.rmtree(scratch, ignore_errors=True)
    return target


def _seed_file(seed: Path, cache: Path) -> Path:
    from samverkan.fixtures import write_text_pdf

    target = cache / f"seed-{seed.stem}.pdf"
    if not target.is_file():
        write_text_pdf(seed.read_text(encoding="utf-8"), cache / f".{seed.stem}.tmp",
                       title=seed.stem)
        os.replace(cache / f".{seed.stem}.tmp", target)
    return target


def demo_account(home: Path) -> tuple[str, str] | None:
    """Create the demo account when there are no accounts; its login is kept in HOME."""
    store = UserStore(home)
    saved = home / "demo-login.txt"
    if store.is_empty():
        password = secrets.token_urlsafe(9)
        store.add(DEMO_USER, "registrator", password, admin=True)
        fd = os.open(saved, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(password + "\n")
        return DEMO_USER, password
    if store.get(DEMO_USER) is not None and saved.is_file():
        return DEMO_USER, saved.read_text(encoding="utf-8").strip()
    return None


def prepare(backend, echo: Callable[[str], None] = print) -> DemoReport:  # type: ignore[no-untyped-def]
    """File the shipped examples (rendered) and ../shared/seeds/*.txt (as text PDFs) once."""
    settings = backend.settings
    cache = settings.home / "demo"
    cache.mkdir(parents=True, exist_ok=True)
    report = DemoReport()
    sources: list[tuple[str, Callable[[], Path]]] = []
    for name, example in example_files().items():
        sources.append((example.name, lambda n=name, e=example: _example_file(
            settings, n, e, cache, backend.archive)))
    seeds = shared_seeds()
    for seed in sorted(seeds.glob("*.txt")) if seeds else []:
        sources.append((seed.name, lambda s=seed: _seed_file(s, cache)))
    for name, make in sources:
        try:
            path = make()
            result = backend.file(path, None, None, "exempel")
        except Exception as error:  # one broken example must not stop the demo
            log.exception("example %s failed", name)
            report.problems.append(f"{name}: {error}")
            continue
        if result.status == "duplicate":
            report.duplicates.append(name)
        elif result.status == "quarantined":
            report.problems.append(f"{name}: i karantän – {result.reason}")
        else:
            report.filed.append(name)
            echo(f"  {name}: {result.agreement_id} version {result.version}")
    report.login = demo_account(settings.home)
    return report
