"""`python -m bench.uploads [--code DIR] [--only NAME]`: what a hostile or just big upload costs on the app's path.

For each upload the limits let through to a check (≤ 20 MB), a fresh process runs exactly what the Meldung page
runs — service.check_upload, then build_error_report if there are problems — and reports the time, the peak
resident memory above the process's size before the upload (VmHWM, Linux) and the size afterwards (after
gc.collect(), as Python leaves it, and after malloc_trim as the app does). Target (issue 12): ≤ 300 MiB peak,
≤ 10 s, back to the previous size. `--code DIR` runs the same files against another checkout (before/after).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
TARGET_MIB, TARGET_S = 300, 10.0
FULDA = "06631009"

CHILD = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
def status():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    return {k: int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}
try:
    from loaders import service
except ImportError:  # older checkouts kept the service in ozg/
    from ozg import service
from ozg.auth import User
from ozg.db import Database
from loaders.error_report import build_error_report
try:
    from dashboard.memory import give_back
except ImportError:  # the code before issue 12 has no such step
    give_back = None
db, user = Database(sys.argv[2]), User("bench", "admin")
data, name = open(sys.argv[3], "rb").read(), sys.argv[4]
service.check_upload(db, user, sys.argv[5], "warm.csv", b"OZG-ID;Status\n10001;online\n")  # imports, caches
gc.collect()
before = status()["VmRSS"]
open("/proc/self/clear_refs", "w").write("5")  # reset VmHWM to the current size
start = time.perf_counter()
outcome, _ = service.check_upload(db, user, sys.argv[5], name, data)
report = build_error_report(outcome.problems, data, name) if outcome.problems else None
seconds = time.perf_counter() - start
peak = status()["VmHWM"]
first = outcome.problems[0].message if outcome.problems else ""
problems, report_size = len(outcome.problems), len(report or b"")
del outcome, report
gc.collect()
after_gc = status()["VmRSS"]
if give_back:
    give_back()
after = status()["VmRSS"]
print(json.dumps({"seconds": seconds, "before": before, "peak": peak, "after_gc": after_gc, "after": after,
                  "problems": problems, "report_bytes": report_size, "first": first[:110]}))
"""


def _xlsx(path: Path, rows: int, columns: int, text: bool = False) -> Path:
    if path.exists():  # kept from an earlier run (--files)
        return path
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Status")
    ws.append(["OZG-ID", "Status"] + [f"Spalte {i}" for i in range(3, columns + 1)])
    rng = random.Random(1)
    for r in range(rows):
        filler = [f"Text {rng.random():.12f}" if text else rng.randrange(10) for _ in range(columns - 2)]
        ws.append([str(90000 + r), "online", *filler])
    wb.save(path)
    return path


def _csv(path: Path, rows: int, columns: int, width: int) -> Path:
    if path.exists():
        return path
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["OZG-ID", "Status"] + [f"Spalte {i}" for i in range(3, columns + 1)])
        cell = "x" * width
        for r in range(rows):
            writer.writerow([str(90000 + r % 9000), "online", *([cell] * (columns - 2))])
    return path


def _template(db_url: str, path: Path) -> Path:
    from loaders import template
    from ozg.db import Database

    template.write_template(Database(db_url), FULDA, path)
    return path


def cases(folder: Path, db_url: str) -> dict[str, Callable[[], Path]]:
    """The uploads (built when measured): the issue's two hostile files, the largest allowed ones, a template."""
    return {
        "xlsx 5.100 × 500 Zahlen (7,7 MB)": lambda: _xlsx(folder / "wide-digits.xlsx", 5100, 500),
        "csv 1.000.000 Zeilen (19 MB)": lambda: _csv(folder / "million.csv", 1_000_000, 2, 0),
        "xlsx 4.999 × 50 Texte (größte erlaubte Tabelle)": lambda: _xlsx(folder / "max.xlsx", 4999, 50, text=True),
        "csv 5.000 × 40 × 100 Zeichen (20 MB)": lambda: _csv(folder / "maxcsv.csv", 5000, 40, 100),
        "xlsx Vorlage Fulda (557 Zeilen, gültig)": lambda: _template(db_url, folder / "fulda.xlsx"),
    }


INIT = ("import sys; sys.path.insert(0, sys.argv[1]); from ozg.bootstrap import init_database; "
        "from ozg.db import Database; init_database(Database(sys.argv[2]))")


def measure(code: Path, db_url: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(code), db_url, str(path), path.name, FULDA],
                         capture_output=True, text=True, check=False, cwd=code)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(results: dict[str, dict]) -> str:
    lines = ["| Upload | Größe | Zeit | Spitze über Start | danach (gc) | danach (freigegeben) | Probleme | Bericht |"
             " Erste Meldung |", "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        if "error" in r:
            lines.append(f"| {name} | {r['size']} | Fehler: {r['error']} |||||||")
            continue
        ok = r["seconds"] <= TARGET_S and r["peak"] - r["before"] <= TARGET_MIB
        lines.append(f"| {name} | {r['size'] / 2**20:.1f} MiB | {r['seconds']:.1f} s{'' if ok else ' ✗'} | "
                     f"{r['peak'] - r['before']:.0f} MiB | {r['after_gc'] - r['before']:+.0f} MiB | "
                     f"{r['after'] - r['before']:+.0f} MiB | {r['problems']} | {r['report_bytes'] / 1024:.0f} KiB |"
                     f" {r['first']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.uploads", description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose loaders/ozg are measured")
    parser.add_argument("--only", help="only uploads whose name contains this text")
    parser.add_argument("--files", type=Path, help="keep the generated uploads in this folder (reused next time)")
    args = parser.parse_args(argv)
    from ozg.bootstrap import init_database
    from ozg.db import Database

    with tempfile.TemporaryDirectory(prefix="ozg-bench-uploads-") as tmp:
        folder = Path(tmp)
        files_db, db_url = str(folder / "files.duckdb"), str(folder / "bench.duckdb")
        init_database(Database(files_db))
        # The measured code sets up its own database (its schema version may differ from this checkout's).
        subprocess.run([sys.executable, "-c", INIT, str(args.code.resolve()), db_url], check=True, cwd=args.code)
        results = {}
        files = args.files or folder
        files.mkdir(parents=True, exist_ok=True)
        for name, build in cases(files, files_db).items():
            if args.only and args.only not in name:
                continue
            path = build()
            result = measure(args.code.resolve(), db_url, path)
            result["size"] = path.stat().st_size
            results[name] = result
            print(f"{name}: {json.dumps(result)}", file=sys.stderr, flush=True)
    print(f"Code: {args.code.resolve()}\n\n{table(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
