"""`python -m bench.pdf_report [--runs 5] [--db FILE]`: time the ministry PDF for the five sample cities.

Builds the sample database (the same steps as the test fixture) unless --db names one, then times separately
assembling the report (reports.data.build_report: the queries) and rendering it (reports.pdf.render), and the
whole `reports.export(db, "pdf")` a cron job runs. Target: the whole export under 3 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from bench.measure import Timing, repeat

SAMPLE_DAY = dt.date(2026, 11, 27)
TARGET_S = 3.0


def _sample_db(path: Path):
    from ozg import sample, sample_projects
    from ozg.bootstrap import init_database
    from ozg.db import Database

    database = Database(str(path))
    init_database(database)
    sample.load_sample(database, today=SAMPLE_DAY)
    sample_projects.load_sample_projects(database, today=SAMPLE_DAY)
    return database


def _line(step: str, timing: Timing) -> str:
    return (f"| {step} | {len(timing.runs)} | {timing.min:.3f} s | {timing.median:.3f} s | "
            f"{timing.cpu_median:.3f} s | {timing.peak_mb:.0f} MiB |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf_report", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="an existing DuckDB file (default: build the sample in a temporary folder)")
    args = parser.parse_args(argv)
    os.environ.setdefault("OZG_TODAY", SAMPLE_DAY.isoformat())  # the sample's day, as in the tests

    import reports
    from ozg.db import Database
    from reports import data, pdf

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(args.db) if args.db else _sample_db(Path(tmp) / "sample.duckdb")
        report = data.build_report(db)
        pdf.render(report)  # warm-up: imports, font loading
        size = len(reports.export(db, "pdf"))
        rows = [("build_report (queries)", repeat(lambda: data.build_report(db), args.runs)),
                ("pdf.render (layout + PDF)", repeat(lambda: pdf.render(report), args.runs)),
                ('reports.export(db, "pdf") (whole)', repeat(lambda: reports.export(db, "pdf"), args.runs))]
    print(f"Ministry PDF, {len(report.kommunen)} Kommunen, {size:,} bytes, renderer {pdf.__name__}"
          f" ({(pdf.__doc__ or '').splitlines()[0]}), load average {os.getloadavg()[0]:.1f}")
    print("| step | runs | min | median | CPU median | peak RSS |\n|---|---|---|---|---|---|")
    for step, timing in rows:
        print(_line(step, timing))
    whole = rows[-1][1].median
    print(f"target: whole export < {TARGET_S:.0f} s: {'✓' if whole < TARGET_S else '✗'} ({whole:.2f} s)")
    return 0 if whole < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
