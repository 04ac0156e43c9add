"""Procedure search over the whole national catalog (2,642 procedures): latency, quality, page weight.

- Latency: every question of our own test set and of the dev set, as typed and with diacritics
  stripped, searched 5 times each through `search_procedures` (the version check included); p50 and
  p95 wall time. Target p95 ≤ 20 ms.
- Quality: hit@1/3/5 on `../shared/data/search-dev.jsonl` (when present) and on our own questions,
  against a baseline in the same run: plain BM25 over folded names (no synonyms, stop words, typo
  tolerance, bigrams, coverage or priors).
- Page weight: the kiosk (empty and with results), a search results page and a procedure page, HTML
  plus the stylesheets and scripts they link (fonts aside). Target < 100 KB each.

The catalog is imported into a fresh SQLite database in a temporary MOTCUA_DATA_DIR; the measuring
runs in a child process so Django starts on that database.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "data" / "search-dev.jsonl"
LATENCY_TARGET_MS = 20.0
PAGE_BUDGET = 100 * 1024
REPEATS = 5
PAGES = {
    "kiosk": "/kiosk/",
    "kiosk with results": "/kiosk/?q=lam+giay+khai+sinh",
    "search results": "/tra-cuu/?q=chung+thuc+ban+sao",
    "procedure (1.001193)": "/thu-tuc/1.001193/",
}


def _naive_search(names: list[tuple[str, str]]) -> Callable[[str], list[str]]:
    """BM25 over folded names only: the baseline the issue names."""
    from motcua.catalog.search.index import _bm25
    from motcua.catalog.search.text import tokens

    postings, _ = _bm25([tokens(name) for _, name in names])

    def search(text: str) -> list[str]:
        scores: dict[int, float] = defaultdict(float)
        for word in set(tokens(text)):
            for doc, weight in postings.get(word, {}).items():
                scores[doc] += weight
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:5]
        return [names[doc][0] for doc, _ in ranked]

    return search


def _page_weight(client: object, url: str) -> tuple[int, int]:
    import re

    from django.contrib.staticfiles import finders

    response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200, url
    body = response.content.decode()
    assets = 0
    for asset in set(re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="/static/([^"]+)"', body)):
        found = finders.find(asset)
        assert isinstance(found, str)
        assets += Path(found).stat().st_size
    return len(response.content), assets


def _measure() -> None:
    import django

    django.setup()
    from django.test import Client

    from motcua.catalog.models import Procedure
    from motcua.catalog.search import search_index, search_procedures
    from motcua.catalog.search.evaluation import evaluate
    from motcua.catalog.search.text import fold
    from motcua.catalog.tests.search_support import OWN_QUESTIONS, load_questions

    began = time.perf_counter()
    index = search_index()
    build_ms = (time.perf_counter() - began) * 1000
    sets = {"own (tests)": load_questions(OWN_QUESTIONS)}
    if DEV_SET.exists():
        sets["dev (search-dev.jsonl)"] = load_questions(DEV_SET)
    else:
        print(f"(no {DEV_SET}: dev-set measurement skipped)")

    texts = [q.query for questions in sets.values() for q in questions]
    texts += [fold(text) for text in texts]
    naive = _naive_search(list(Procedure.objects.order_by("code").values_list("code", "name")))
    ours, ours_cpu, baseline = "motcua search (wall)", "motcua search (CPU of this process)", "baseline (wall)"
    timings: dict[str, list[float]] = {ours: [], ours_cpu: [], baseline: []}
    for _ in range(REPEATS):
        for text in texts:
            began, began_cpu = time.perf_counter(), time.process_time()
            search_procedures(text)
            timings[ours].append((time.perf_counter() - began) * 1000)
            timings[ours_cpu].append((time.process_time() - began_cpu) * 1000)
            began = time.perf_counter()
            naive(text)
            timings[baseline].append((time.perf_counter() - began) * 1000)

    print(
        f"catalog: {len(index)} procedures; index built in {build_ms:.0f} ms; load average {os.getloadavg()[0]:.1f}\n"
    )
    # Per query, the best of the repeats: the least disturbed by other processes on a shared machine.
    runs = timings[ours]
    best = [min(runs[i :: len(texts)]) for i in range(len(texts))]
    timings = {f"{ours}, best of {REPEATS} per query": best, **timings}
    print(f"### Latency ({len(texts)} queries × {REPEATS})\n")
    print("| method | p50 ms | p95 ms | max ms | target |")
    print("|---|---:|---:|---:|---|")
    for name, values in timings.items():
        values.sort()
        p95 = values[int(len(values) * 0.95)]
        target = f"p95 ≤ {LATENCY_TARGET_MS:.0f} ms" if name.startswith(ours) else ""
        print(f"| {name} | {statistics.median(values):.2f} | {p95:.2f} | {values[-1]:.2f} | {target} |")

    print("\n### Quality\n")
    print("| question set | method | n | hit@1 | hit@3 | hit@5 |")
    print("|---|---|---:|---:|---:|---:|")
    for set_name, questions in sets.items():
        ours_report = evaluate(questions, lambda q: [h.code for h in search_procedures(q, limit=5)])
        base_report = evaluate(questions, naive)
        for method, report in (("motcua search", ours_report), ("baseline: BM25 over folded names", base_report)):
            rates = report.rates
            print(f"| {set_name} | {method} | {report.total} | {rates[1]:.3f} | {rates[3]:.3f} | {rates[5]:.3f} |")

    print("\n### Page weight (HTML + linked CSS/JS, fonts aside)\n")
    print("| page | HTML bytes | CSS/JS bytes | total KB | target |")
    print("|---|---:|---:|---:|---|")
    client = Client()
    for name, url in PAGES.items():
        page, assets = _page_weight(client, url)
        print(f"| {name} `{url}` | {page:,} | {assets:,} | {(page + assets) / 1024:.1f} | < {PAGE_BUDGET // 1024} KB |")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-search-") as data_dir:
        env = {
            **os.environ,
            "MOTCUA_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "MOTCUA_ALLOWED_HOSTS": "testserver",
        }
        env.pop("DATABASE_URL", None)
        cli = [sys.executable, "-m", "motcua.cli"]
        subprocess.run([*cli, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*cli, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "bench.bench_search", "--measure"], env=env, check=True)


if __name__ == "__main__":
    if "--measure" in sys.argv:
        _measure()
    else:
        main()
