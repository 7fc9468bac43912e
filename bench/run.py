"""`python -m bench [--scale national|hessen|smoke] [--runs 5]`: generate the data set, time every step against
its naive counterpart in the same process on the same data, print a Markdown table (and write it with --out)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import naive
from bench.measure import Timing, repeat
from ozg import clock, config

AS_OF = dt.date(2024, 12, 31)
LAND = ("06", "Hessen")
# Targets from the issue (seconds), 2 cores.
TARGETS = {"ingest": 30.0, "overview": 0.030, "land": 0.300, "import": 0.5, "page": 3.0}


@dataclass
class Row:
    step: str
    timing: Timing
    target: float | None = None
    naive: Timing | None = None
    note: str = ""


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ingest_once(path: Path, scale: str) -> tuple[float, float, float, dict]:
    """One ingest in a fresh process: (seconds, peak RSS MiB, CPU seconds of that process, counts)."""
    code = ("import json, resource, sys; from bench.generate import generate; "
            "g = generate(sys.argv[1], sys.argv[2]); "
            "u = resource.getrusage(resource.RUSAGE_SELF); "
            "print(json.dumps({'s': g.seconds, 'rss': u.ru_maxrss, 'cpu': u.ru_utime + u.ru_stime, 'g': g.__dict__}))")
    out = subprocess.run([sys.executable, "-c", code, str(path), scale], check=True, capture_output=True, text=True,
                         cwd=config.REPO_ROOT).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["s"], result["rss"] / 1024, result["cpu"], result["g"]


def bench_ingest(path: Path, scale: str, runs: int) -> tuple[Row, dict]:
    times, peaks, cpu, info = [], [], [], {}
    for _ in range(runs):
        seconds, peak, used, info = _ingest_once(path, scale)
        times.append(seconds)
        peaks.append(peak)
        cpu.append(used)
    note = (f"{info['gemeinden']:,} Gemeinden, {info['status_rows']:,} status rows, {info['history_rows']:,} "
            f"history rows, {info['change_rows']:,} field changes, {info['batches']:,} batches; peak = whole "
            f"process RSS").replace(",", " ")
    row = Row("national ingest (generate + write, fresh file)" if scale == "national" else f"ingest ({scale})",
              Timing(times, max(peaks), cpu), TARGETS["ingest"], note=note)
    return row, info


def bench_naive_ingest(gemeinden_total: int, sample_size: int = 25) -> Timing:
    """Python loop per Gemeinde through the sample loader (diff + write_change_groups), extrapolated."""
    from bench.naive_ingest import ingest_python

    with tempfile.TemporaryDirectory() as tmp:
        timing = repeat(lambda: ingest_python(Path(tmp) / f"n{time.time_ns()}.duckdb", sample_size), 1)
    factor = gemeinden_total / sample_size
    return Timing([t * factor for t in timing.runs], timing.peak_mb)


def bench_queries(db, runs: int) -> list[Row]:
    from ozg import queries

    rows = []
    fast = repeat(lambda: queries.overview_kpis(db), runs)
    slow = repeat(lambda: naive.overview_kpis(db), runs, budget_s=60)
    kpi, ref = queries.overview_kpis(db).iloc[0], naive.overview_kpis(db)
    same = all(int(kpi[k]) == ref[k] for k in ("online", "ende_zu_ende", "overdue"))
    rows.append(Row("overview KPIs (status_summary, new connection)", fast, TARGETS["overview"], slow,
                    f"{int(kpi['kommunen']):,} Kommunen, {int(kpi['online']):,} online; equal to naive: "
                    f"{'yes' if same else 'NO'}".replace(",", " ")))
    from bench.measure import open_connection_db

    held = open_connection_db(db)
    rows.append(Row("overview KPIs (query only, connection already open)",
                    repeat(lambda: queries.overview_kpis(held), runs), TARGETS["overview"], slow,
                    "the same query without opening the DuckDB file (~30 ms CPU per open in DuckDB 2.0.1)"))
    held.close()
    cache: dict = {}

    def cached() -> object:  # what dashboard/data.load does: key = data version (a stat() for DuckDB)
        key = ("overview_kpis", db.data_version())
        if key not in cache:
            cache[key] = queries.overview_kpis(db)
        return cache[key]

    cached()
    rows.append(Row("overview KPIs (app: cached per data version)", repeat(cached, runs), TARGETS["overview"],
                    slow, "cache hit after the first load; a new import changes the version"))
    prefix, land = LAND
    fast = repeat(lambda: queries.coverage_by_region(db, "gemeinde", prefix), runs)
    slow = repeat(lambda: naive.coverage_land(db, prefix), runs, budget_s=60)
    n = len(queries.coverage_by_region(db, "gemeinde", prefix))
    rows.append(Row(f"coverage of one Land ({land}, per Gemeinde)", fast, TARGETS["land"], slow,
                    f"{n} Gemeinden; Kreis level: "
                    f"{_fmt_s(repeat(lambda: queries.coverage_by_region(db, 'kreis', prefix), runs).median)}"))
    fast = repeat(lambda: queries.overdue(db), runs, budget_s=60)
    slow = repeat(lambda: naive.overdue(db), runs, budget_s=60)
    rows.append(Row("overdue list (national, all rows)", fast, None, slow,
                    f"{len(queries.overdue(db)):,} overdue rows".replace(",", " ")))
    fast = repeat(lambda: queries.overview_kpis(db, as_of=AS_OF), runs, budget_s=120)
    slow = repeat(lambda: naive.as_of_kpis(db, AS_OF), runs, budget_s=120)
    got, ref = queries.overview_kpis(db, as_of=AS_OF).iloc[0], naive.as_of_kpis(db, AS_OF)
    same = all(int(got[k]) == ref[k] for k in ("online", "ende_zu_ende", "overdue"))
    rows.append(Row(f"as-of reconstruction ({AS_OF:%d.%m.%Y}, national KPIs)", fast, None, slow,
                    f"window over the whole history; equal to naive: {'yes' if same else 'NO'}"))
    return rows


def bench_import(db, runs: int) -> Row:
    from bench.city_file import city_files
    from loaders.importer import import_status_file

    with tempfile.TemporaryDirectory() as tmp:
        ags, files = city_files(db, Path(tmp))
        state = {"i": 0}

        def one() -> None:
            path = files[state["i"] % 2]
            state["i"] += 1
            outcome = import_status_file(db, path, ags, "benchmark")
            assert outcome.ok and outcome.result.rows_changed > 0, outcome.problems

        timing = repeat(one, runs)
    return Row("one city file import (xlsx, validate + commit)", timing, TARGETS["import"], None,
               f"AGS {ags}, 557 rows, 20 changed; no naive counterpart (same write path)")


def bench_reports(db, runs: int) -> list[Row]:
    try:
        import reports
    except ImportError:
        return []
    rows = []
    for fmt in ("xlsx", "csv"):
        timing = repeat(lambda fmt=fmt: reports.export(db, fmt), runs, budget_s=120)
        rows.append(Row(f"ministry report {fmt.upper()} (cooperation)", timing, None, None,
                        "reports.export; no naive counterpart"))
    return rows


def bench_pages(db, runs: int) -> list[Row]:
    from bench.pages import PAGES, page_renderer

    rows = []
    for page in PAGES:
        try:
            prepare, render = page_renderer(db, page, clear=True)
            cold = repeat(render, runs, budget_s=90, before=prepare)
            prepare, render = page_renderer(db, page, clear=False)
            render_warm = repeat(render, runs, budget_s=90, before=prepare)
        except Exception as exc:  # a broken page is reported in the table, the benchmark goes on
            rows.append(Row(f"page render: {page} (AppTest, cold cache)", Timing([], None), TARGETS["page"],
                            note=f"ERROR: {str(exc)[:200]}"))
            continue
        rows.append(Row(f"page render: {page} (AppTest, cold cache)", cold, TARGETS["page"], None,
                        f"warm (cached) median {_fmt_s(render_warm.median)}"))
    return rows


def table(rows: list[Row], header: str) -> str:
    lines = [header, "",
             "| step | runs | min | median | CPU median | peak RSS | target | naive min | naive median | naive/fast "
             "| note |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if not r.timing.runs:
            lines.append(f"| {r.step} | 0 | — | — | — | — | {_fmt_s(r.target)} | — | — | — | {r.note} |")
            continue
        ratio = f"{r.naive.median / r.timing.median:,.1f}×" if r.naive else "—"
        met = "" if r.target is None else (" ✓" if r.timing.median <= r.target else " ✗")
        peak = "—" if r.timing.peak_mb is None else f"{r.timing.peak_mb:,.0f} MiB"
        naive_runs = f" ({len(r.naive.runs)})" if r.naive and len(r.naive.runs) != len(r.timing.runs) else ""
        naive_min = _fmt_s(r.naive.min if r.naive else None) + naive_runs
        lines.append(f"| {r.step} | {len(r.timing.runs)} | {_fmt_s(r.timing.min)} | {_fmt_s(r.timing.median)} | "
                     f"{_fmt_s(r.timing.cpu_median)} | {peak} | {_fmt_s(r.target)}{met} | {naive_min} | "
                     f"{_fmt_s(r.naive.median if r.naive else None)} | {ratio} | {r.note} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=["national", "hessen", "smoke"], default="national")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ingest-runs", type=int, default=None, help="default: --runs")
    parser.add_argument("--db", help="database file to generate into (default: a temp file, removed after)")
    parser.add_argument("--reuse", action="store_true", help="use an already generated --db, skip the ingest")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--ingest-only", action="store_true", help="time only the ingest (and its naive path)")
    parser.add_argument("--out", help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    from ozg.db import Database

    start_load = os.getloadavg()[0]
    tmp = tempfile.TemporaryDirectory()
    path = Path(args.db) if args.db else Path(tmp.name) / f"bench_{args.scale}.duckdb"
    rows: list[Row] = []
    if not args.reuse:
        row, info = bench_ingest(path, args.scale, args.ingest_runs or args.runs)
        rows.append(row)
        if args.scale != "smoke":
            row.naive = bench_naive_ingest(info["gemeinden"])
            row.note += "; naive = Python loop per Gemeinde via the sample loader, 25 Gemeinden extrapolated"
    db = Database(str(path))
    for part in () if args.ingest_only else (bench_queries, lambda d, r: [bench_import(d, r)], bench_reports,
                 None if args.no_pages else bench_pages):
        if part is not None:
            rows.extend(part(db, args.runs))
            if args.out:  # partial results survive a crash of a later step
                Path(args.out).write_text(table(rows, "(partial)") + "\n", encoding="utf-8")
    header = (f"Benchmark `--scale {args.scale}`, {clock.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, "
              f"Python {sys.version.split()[0]}, load average at start {start_load:.1f} / end "
              f"{os.getloadavg()[0]:.1f} (other processes on the machine slow the wall-clock times; CPU = this "
              f"process's CPU time, all threads)")
    text = table(rows, header)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    tmp.cleanup()
    return 0
