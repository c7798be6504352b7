"""Search latency and full-index time: this index against a naive Whoosh index and tantivy.

One run builds a national corpus (bench.corpus: every municipality, several periods, drafts
and revisions; 2,000 agreements, quick mode 200) directly as archive VersionRecords and
indexes the same texts three ways:

- this index (index/): passages, exact + lemma + compound parts + word pairs;
- a naive Whoosh index: one document per version, LanguageAnalyzer("sv"), QueryParser;
- tantivy: the same passages as ours, Swedish snowball stemming (Filter.stemmer("swedish")),
  filters on indexed fast fields and facets as terms aggregations.

Then it runs a fixed mix of term, compound, phrase, filtered and faceted queries several
rounds and reports median and 95th percentile latency per kind. Each search returns the
total count and the top ten with their stored fields (ours also highlights them). Ratios are
value / reference: below 1 is faster than the reference.

Our full build is timed as `samverkan reindex` runs it (worker processes by corpus size and
cores, index.parallel) and in a single process. The last timing row is what a new process
(a `samverkan file` from the command line) pays to load the Swedish word data before it can
analyse a passage: from the tries cached on disk (reader.lexicon) against decoding simplemma's
and wordfreq's own packages, as the index did before.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import corpus
from samverkan.archive.records import VersionRecord

SEED = 5
TOP = 10
PHRASE_TARGET = 5.0  # at least this many times faster than naive Whoosh on phrases
TANTIVY_TARGET = 2.0  # at most this many times slower than tantivy at the 95th percentile (#14)


@dataclass(frozen=True)
class Scale:
    agreements: int
    rounds: int


QUICK = Scale(agreements=200, rounds=5)
FULL = Scale(agreements=2000, rounds=5)


@dataclass(frozen=True)
class Case:
    kind: str
    query: str
    filters: dict[str, Any]
    facets: bool = False


CASES = (
    Case("term", "trygghet", {}),
    Case("term", "narkotika", {}),
    Case("term", "kameraövervakning", {}),
    Case("term", "ungdomar", {}),
    Case("compound", "brott", {}),
    Case("compound", "våld", {}),
    Case("compound", "trygghetsvandring", {}),
    Case("compound", "skola", {}),
    Case("phrase", '"förbinder sig att"', {}),
    Case("phrase", '"våld i nära relationer"', {}),
    Case("phrase", '"genomföra en årlig trygghetsmätning"', {}),
    Case("phrase", '"åtar sig att"', {}),
    Case("filtered", "trygghet", {"municipalities": ("Göteborg",)}),
    Case("filtered", "narkotika", {"year": 2023}),
    Case("filtered", '"förbinder sig att"', {"county": "Skåne län"}),
    Case("filtered", "trygghetsvandringar", {"party": "polis", "year": 2020}),
    Case("faceted", "trygghet", {}, facets=True),
    Case("faceted", "samverkan", {}, facets=True),
    Case("faceted", '"våld i nära relationer"', {}, facets=True),
    Case("faceted", "narkotika", {"county": "Västra Götalands län"}, facets=True),
)
KINDS = ("term", "compound", "phrase", "filtered", "faceted")


# ---------------------------------------------------------------------------------- corpus

def corpus_records(agreements: int) -> list[tuple[str, list[VersionRecord]]]:
    """The synthetic national corpus as the archive would hand it to the index."""
    grouped: dict[str, list[tuple[Any, dict[str, Any]]]] = {}
    for item in corpus.plan(agreements, SEED, scan_share=0):
        grouped.setdefault(item["agreement"].agreement_id, []).append((item["agreement"], item))
    found = []
    for agreement_id, versions in grouped.items():
        latest = max(agreement.version for agreement, _ in versions)
        records = []
        for agreement, item in versions:
            text = "\f".join(item["pages"])
            records.append(VersionRecord(
                agreement_id=agreement_id, version=agreement.version,
                sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), label=item["label"],
                filename=item["name"], media_type="application/pdf",
                filed_at="2024-01-01T00:00:00+01:00", filed_by="bench",
                is_latest=agreement.version == latest, agreement=agreement,
                pages=tuple(item["pages"])))
        found.append((agreement_id, records))
    return found


# ---------------------------------------------------------------------------------- systems

class Ours:
    name = "this index"

    def __init__(self, folder: Path, processes: int | None = None):
        from samverkan.archive.home import Home

        self.settings = Home(home=folder)
        self.processes = processes

    def build(self, records: list[tuple[str, list[VersionRecord]]]) -> int:
        from samverkan.index.indexer import Indexer

        return Indexer(self.settings, processes=self.processes).rebuild(records).passages

    def search(self, case: Case) -> int:
        from samverkan.index.search import Filters, search

        result = search(self.settings, case.query, Filters(**case.filters), limit=TOP,
                        facets=case.facets)
        return result.total


class NaiveWhoosh:
    """One document per version, the stock Swedish analyzer and query parser."""

    name = "naive Whoosh"

    def __init__(self, folder: Path):
        self.folder = folder

    def build(self, records: list[tuple[str, list[VersionRecord]]]) -> int:
        from whoosh import fields, index
        from whoosh.analysis import LanguageAnalyzer

        from samverkan.docgen import municipalities
        from samverkan.index.passages import version_meta

        schema = fields.Schema(
            key=fields.ID(stored=True, unique=True), agreement_id=fields.ID(stored=True),
            latest=fields.ID(), municipality=fields.KEYWORD(commas=True, stored=True),
            county=fields.KEYWORD(commas=True, stored=True),
            start_year=fields.NUMERIC(int, stored=True), end_year=fields.NUMERIC(int),
            content=fields.TEXT(analyzer=LanguageAnalyzer("sv"), stored=True))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ix = index.create_in(str(self.folder), schema)
        writer = self.ix.writer(limitmb=256)
        documents = 0
        for _, versions in records:
            for record in versions:
                meta = version_meta(record)
                counties = {municipalities.county_of(m) or "" for m in meta.municipalities}
                writer.add_document(
                    key=f"{record.agreement_id}/v{record.version}",
                    agreement_id=record.agreement_id, latest="1" if record.is_latest else "0",
                    municipality=",".join(meta.municipalities), county=",".join(counties),
                    start_year=meta.start_year, end_year=meta.end_year,
                    content="\n".join(record.pages))
                documents += 1
        writer.commit()
        self.searcher = self.ix.searcher()
        from whoosh.qparser import QueryParser

        self.parser = QueryParser("content", schema)
        return documents

    def search(self, case: Case) -> int:
        from whoosh import query, sorting

        parsed = self.parser.parse(case.query)
        conditions: list[query.Query] = [query.Term("latest", "1")]
        filters = case.filters
        for name in filters.get("municipalities", ()):
            conditions.append(query.Term("municipality", name))
        if "county" in filters:
            conditions.append(query.Term("county", filters["county"]))
        if "year" in filters:
            conditions += [query.NumericRange("start_year", None, filters["year"]),
                           query.NumericRange("end_year", filters["year"], None)]
        options: dict[str, Any] = {"limit": TOP, "filter": query.And(conditions)}
        if case.facets:
            options["groupedby"] = {
                "municipality": sorting.FieldFacet("municipality", allow_overlap=True),
                "county": sorting.FieldFacet("county", allow_overlap=True)}
        results = self.searcher.search(parsed, **options)
        for hit in results:
            hit.fields()
        if case.facets:
            results.groups("municipality")
            results.groups("county")
        return len(results)


class Tantivy:
    """The same passages as ours in tantivy, with Swedish stemming."""

    name = "tantivy"

    def __init__(self, folder: Path):
        self.folder = folder

    def build(self, records: list[tuple[str, list[VersionRecord]]]) -> int:
        import tantivy

        from samverkan.index.passages import passages

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("content", stored=True, tokenizer_name="sv_stem")
        for name in ("pid", "agreement_id", "municipality", "county", "party", "kind"):
            builder.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
        for name in ("start_year", "end_year", "latest"):
            builder.add_integer_field(name, stored=True, indexed=True, fast=True)
        self.schema = builder.build()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ix = tantivy.Index(self.schema, path=str(self.folder))
        analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                    .filter(tantivy.Filter.lowercase())
                    .filter(tantivy.Filter.stemmer("swedish")).build())
        self.ix.register_tokenizer("sv_stem", analyzer)
        writer = self.ix.writer(heap_size=200_000_000, num_threads=1)
        count = 0
        for _, versions in records:
            for record in versions:
                for passage in passages(record):
                    meta = passage.meta
                    writer.add_document(tantivy.Document(
                        content=passage.text, pid=passage.pid, agreement_id=meta.agreement_id,
                        municipality=list(meta.municipalities) or [""],
                        county=list(meta.counties) or [""], party=passage.party or "",
                        kind=passage.kind, start_year=meta.start_year, end_year=meta.end_year,
                        latest=1 if meta.is_latest else 0))
                    count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.ix.reload()
        self.searcher = self.ix.searcher()
        return count

    def search(self, case: Case) -> int:
        import tantivy

        schema = self.schema
        must = [self.ix.parse_query(case.query, ["content"]),
                tantivy.Query.term_query(schema, "latest", 1)]
        filters = case.filters
        if filters.get("municipalities"):
            must.append(tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.term_query(schema, "municipality", name))
                for name in filters["municipalities"]]))
        for name in ("county", "party"):
            if name in filters:
                must.append(tantivy.Query.term_query(schema, name, filters[name]))
        if "year" in filters:
            year = filters["year"]
            integer = tantivy.FieldType.Integer
            must += [tantivy.Query.range_query(schema, "start_year", integer, 0, year),
                     tantivy.Query.range_query(schema, "end_year", integer, year, 9999)]
        final = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must])
        result = self.searcher.search(final, TOP, count=True)
        for _, address in result.hits:
            self.searcher.doc(address)
        if case.facets:
            self.searcher.aggregate(final, {
                name: {"terms": {"field": name, "size": 300}}
                for name in ("municipality", "county", "party", "kind")})
        return result.count or 0


# ---------------------------------------------------------------------------------- running

def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: a measured latency, never an invented one)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def measure(systems: dict[str, Any], rounds: int) -> dict[str, dict[str, list[float]]]:
    """Wall-clock milliseconds per system and query kind.

    The systems take turns query by query, so that whatever else the machine is doing
    slows them alike.
    """
    timings = {key: {kind: [] for kind in KINDS} for key in systems}
    for system in systems.values():  # warm-up: open searchers, fill caches
        for case in CASES:
            system.search(case)
    for _ in range(rounds):
        for case in CASES:
            for key, system in systems.items():
                started = time.perf_counter()
                system.search(case)
                timings[key][case.kind].append((time.perf_counter() - started) * 1000)
    for per_kind in timings.values():
        per_kind["all"] = [t for kind in KINDS for t in per_kind[kind]]
    return timings


def _timed(action: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    size = action()
    return size, time.perf_counter() - started


def row(name: str, value: float | None, unit: str, reference: float | None,
        ratio: float | None = None) -> dict[str, Any]:
    if ratio is None and value is not None and reference:
        ratio = value / reference
    return {"name": name, "value": _rounded(value), "unit": unit,
            "reference": _rounded(reference), "ratio": _rounded(ratio)}


def _rounded(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.4g}")


def _warm_analysis() -> None:
    """Load the Swedish dictionaries once (as a running service has), then empty the caches."""
    from samverkan.index import analysis, compounds
    from samverkan.reader import lexicon

    lexicon.warm()
    analysis.lemma_key("trygghetsvandringar")
    for cached in (analysis.lemma_key, analysis.part_keys, analysis._analysed,
                   analysis.fingerprint, compounds.split, compounds._segmentations,
                   lexicon.zipf):
        cached.cache_clear()


# What a fresh process (a `samverkan file` from the command line) pays before it can analyse
# its first passage: the word data from the cached tries (reader.lexicon), against decoding
# it from simplemma's and wordfreq's own packages as the index did before.
_LOAD_CACHED = """
import time
started = time.perf_counter()
from samverkan.index import analysis
from samverkan.reader import lexicon
lexicon.warm()
analysis.lemma_key("trygghetsvandringar")
print(time.perf_counter() - started)
"""
_LOAD_PACKAGES = """
import time
started = time.perf_counter()
import simplemma
from wordfreq import get_frequency_dict
simplemma.lemmatize("trygghetsvandringar", lang="sv")
get_frequency_dict("sv")
print(time.perf_counter() - started)
"""


def _load_seconds(code: str, rounds: int) -> float:
    """Median wall time of `code` in a fresh interpreter (after one untimed run that fills
    the on-disk cache)."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    times = []
    for round_number in range(rounds + 1):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, check=True, timeout=300)
        if round_number:
            times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


# The first search of a fresh process against the searches after it, without and with
# index.search.warm at start (what the service does before its first request).
_FIRST_SEARCH = """
import json, statistics, sys, time
from pathlib import Path
from samverkan.archive.home import Home
from samverkan.index.search import search, warm
settings = Home(home=Path(sys.argv[1]))
if sys.argv[2] == "warm":
    warm(settings)
times = []
for query in ("trygghetsvandringar", "våld i nära relationer", "ungdomar", "narkotika",
              "klotter", "skolan", "polisen förbinder sig", "föräldrar", "alkohol"):
    started = time.perf_counter()
    search(settings, query, limit=10)
    times.append(time.perf_counter() - started)
print(json.dumps({"first": times[0], "warm": statistics.median(times[1:])}))
"""
FIRST_SEARCH_TARGET = 3.0


def _first_search(folder: Path, mode: str, rounds: int) -> tuple[float, float]:
    """(first, warm median) in ms, medians over `rounds` fresh processes."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    firsts, warms = [], []
    for _ in range(rounds):
        done = subprocess.run([sys.executable, "-c", _FIRST_SEARCH, str(folder), mode],
                              capture_output=True, text=True, env=env, check=True, timeout=300)
        found = json.loads(done.stdout.strip().splitlines()[-1])
        firsts.append(found["first"] * 1000)
        warms.append(found["warm"] * 1000)
    return statistics.median(firsts), statistics.median(warms)


def run(quick: bool) -> list[dict[str, Any]]:
    from samverkan.index import parallel

    scale = QUICK if quick else FULL
    work = Path(tempfile.mkdtemp(prefix="samverkan-bench-search-"))
    try:
        records = corpus_records(scale.agreements)
        versions = sum(len(v) for _, v in records)
        workers = parallel.worker_count(len(records))
        processes = f"auto: {workers} process{'es' if workers > 1 else ''}"
        load_rounds = 1 if quick else 3
        _warm_analysis()
        systems = {"ours": Ours(work / "ours"), "naive": NaiveWhoosh(work / "naive"),
                   "tantivy": Tantivy(work / "tantivy")}
        sizes: dict[str, int] = {}
        build: dict[str, float] = {}
        for key, system in systems.items():
            sizes[key], build[key] = _timed(lambda s=system: s.build(records))
        _warm_analysis()
        single = Ours(work / "ours-single", processes=1)
        _, build["ours single"] = _timed(lambda: single.build(records))
        timings = measure(systems, scale.rounds)
        first_cold, warm_cold = _first_search(work / "ours", "cold", 3)
        first_warmed, warm_warmed = _first_search(work / "ours", "warm", 3)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        row("corpus agreements", len(records), "count", None),
        row("corpus versions", versions, "count", None),
        row("passages indexed", sizes["ours"], "count", None),
        row(f"full index build ({processes}) vs naive Whoosh", build["ours"], "s",
            build["naive"]),
        row(f"full index build ({processes}) vs tantivy", build["ours"], "s", build["tantivy"]),
        row("full index build (single process) vs naive Whoosh", build["ours single"], "s",
            build["naive"]),
        row("first search of a new process (command line) vs the searches after it",
            first_cold, "ms", warm_cold),
        row(f"first search after start, warmed as the service does, vs the searches after "
            f"it (target ≤ {FIRST_SEARCH_TARGET:g})", first_warmed / warm_warmed, "x",
            FIRST_SEARCH_TARGET),
        row("word data load in a new process: cached tries vs simplemma + wordfreq",
            _load_seconds(_LOAD_CACHED, load_rounds), "s",
            _load_seconds(_LOAD_PACKAGES, load_rounds)),
    ]
    for kind in (*KINDS, "all"):
        ours, naive, tv = timings["ours"][kind], timings["naive"][kind], timings["tantivy"][kind]
        rows += [
            row(f"search {kind} p50 vs naive Whoosh", statistics.median(ours), "ms",
                statistics.median(naive)),
            row(f"search {kind} p95 vs naive Whoosh", percentile(ours, 0.95), "ms",
                percentile(naive, 0.95)),
            row(f"search {kind} p50 vs tantivy", statistics.median(ours), "ms",
                statistics.median(tv)),
            row(f"search {kind} p95 vs tantivy", percentile(ours, 0.95), "ms",
                percentile(tv, 0.95)),
        ]
    phrase_speedup = statistics.median(timings["naive"]["phrase"]) / \
        statistics.median(timings["ours"]["phrase"])
    p95_slowdown = percentile(timings["ours"]["all"], 0.95) / \
        percentile(timings["tantivy"]["all"], 0.95)
    rows += [
        row("phrase speed-up over naive Whoosh (p50, target ≥ 5)", phrase_speedup, "x",
            PHRASE_TARGET),
        row(f"p95 slowdown against tantivy (all queries, target ≤ {TANTIVY_TARGET:g})", p95_slowdown, "x",
            TANTIVY_TARGET),
    ]
    return rows


if __name__ == "__main__":
    import sys

    print(json.dumps(run(quick="--full" not in sys.argv), ensure_ascii=False, indent=1))
