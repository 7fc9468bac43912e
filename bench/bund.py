"""`python -m bench.bund [--records 1000000] [--format json|csv] [--db URL]`: Bund-Abgleich at national scale.

Generates a national snapshot of the federal „Dashboard Digitale Verwaltung“ export (every Gemeinde of
data/gemeinden_de.csv × a share of the catalogue, plus Land-, Kreis- and bundesweit records), imports it with
`python -m loaders bund` in a child process (wall time and the child's peak RSS), then times the comparison for the
five cities. Targets (issue 15): import ≤ 60 s and ≤ 2 GiB, comparison ≤ 1 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ozg import config, kommunen
from ozg.bootstrap import init_database
from ozg.db import Database
from ozg.queries import bund as bund_queries

TARGETS = {"import_s": 60.0, "import_rss_gib": 2.0, "compare_s": 1.0}
FIELDS = ["leika_key", "leika_name", "ars", "ars_name", "ars_federal_state", "bundesland", "leika_bezeichnung",
          "ozgid", "ozg_bezeichnung", "url", "online_status", "aktiv", "art_flaechendeckung"]
LOCAL = "in mind. einer Kommune verfügbar"


def _records(n: int, seed: int = 2026):
    """About n records: per Gemeinde a random share of the catalogue, and a few wider-area records."""
    rnd = random.Random(seed)
    with (config.DATA_DIR / "gemeinden_de.csv").open(encoding="utf-8") as fh:
        gemeinden = list(csv.DictReader(fh))
    with (config.DATA_DIR / "ozg_services.csv").open(encoding="utf-8") as fh:
        services = [(r["ozg_id"], r["name"]) for r in csv.DictReader(fh)]
    wide = [("000000000000", "Deutschland", "bundesweit flächendeckend")] * 20
    wide += [(f"{land:02d}0000000000", "Land", "landesweit flächendeckend") for land in range(1, 17)] * 5
    made = 0
    for ars, name, art in wide:
        oid, title = rnd.choice(services)
        made += 1
        yield _record(made, ars, name, oid, title, rnd, art)
    per = max(1, (n - made) // len(gemeinden))
    for g in gemeinden:
        for oid, title in rnd.sample(services, min(per, len(services))):
            if made >= n:
                return
            made += 1
            yield _record(made, g["ars"], g["name"], oid, title, rnd, LOCAL)
    while made < n:  # top up to exactly n
        g, (oid, title) = rnd.choice(gemeinden), rnd.choice(services)
        made += 1
        yield _record(made, g["ars"], g["name"], oid, title, rnd, LOCAL)


def _record(i: int, ars: str, name: str, oid: str, title: str, rnd: random.Random, art: str) -> dict:
    return {"leika_key": f"99{i:012d}", "leika_name": title, "ars": ars, "ars_name": name,
            "ars_federal_state": ars[:2], "bundesland": "", "leika_bezeichnung": title, "ozgid": int(oid),
            "ozg_bezeichnung": title, "url": f"https://verwaltung.example/{ars}/{oid}",
            "online_status": "ok" if rnd.random() < 0.9 else "nicht ok", "aktiv": "ja" if rnd.random() < 0.95
            else "nein", "art_flaechendeckung": art}


def write_snapshot(path: Path, n: int, kind: str) -> None:
    """The generated export as an API page object (JSON) or `;`-CSV with BOM, written record by record."""
    with path.open("w", encoding="utf-8-sig" if kind == "csv" else "utf-8", newline="") as fh:
        if kind == "csv":
            writer = csv.DictWriter(fh, FIELDS, delimiter=";")
            writer.writeheader()
            writer.writerows(_records(n))
            return
        fh.write('{"content": [\n')
        for i, record in enumerate(_records(n)):
            fh.write((",\n" if i else "") + json.dumps(record, ensure_ascii=False))
        fh.write(f'\n], "totalPages": 1, "totalElements": {n}, "number": 0, "size": {n}}}\n')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bund", description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--db", help="postgresql://… for server mode (default: a DuckDB file in a temp folder)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-bund-") as tmp:
        folder = Path(tmp)
        url = args.db or str(folder / "bund.duckdb")
        db = Database(url)
        init_database(db, sample=True)
        snapshot = folder / f"bund-national.{args.format}"
        started = time.perf_counter()
        write_snapshot(snapshot, args.records, args.format)
        generated = time.perf_counter() - started
        size_mb = snapshot.stat().st_size / 1e6
        env = {**os.environ, "OZG_DB": url}
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "loaders", "bund", str(snapshot), "--stand", "01.11.2026",
                               "--user", "bench"], env=env, capture_output=True, text=True)
        import_s = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        rss_gib = usage.ru_maxrss / 2**20  # KiB -> GiB
        cpu_s = usage.ru_utime + usage.ru_stime  # on a busy shared machine: what the import itself needed
        if done.returncode != 0:
            print(done.stdout, done.stderr, file=sys.stderr)
            return 1
        group = kommunen.cooperation_name()
        times, cpu, rows = [], [], None
        for _ in range(args.runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            rows = bund_queries.bund_comparison(db, group=group, as_of=dt.date(2026, 11, 27))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        with db.connect() as conn:
            stored = conn.one("SELECT count(*) FROM bund_record")
    print(f"| Bund-Abgleich ({db.kind}, {args.format}) | value | target |")
    print("|---|---|---|")
    print(f"| records generated / stored | {args.records:,} / {stored:,} (file {size_mb:,.0f} MB, generated in "
          f"{generated:.1f} s) | |")
    print(f"| import `python -m loaders bund` (wall / CPU) | {import_s:.1f} s / {cpu_s:.1f} s "
          f"| ≤ {TARGETS['import_s']:.0f} s |")
    print(f"| import peak RSS (child) | {rss_gib:.2f} GiB | ≤ {TARGETS['import_rss_gib']:.0f} GiB |")
    print(f"| comparison, five cities, as of a day (first / best of {args.runs}; best CPU) | {times[0]:.3f} s / "
          f"{min(times):.3f} s; {min(cpu):.3f} s ({len(rows)} rows) | ≤ {TARGETS['compare_s']:.0f} s |")
    print(f"| load average during the run | {os.getloadavg()[0]:.1f} (2 cores) | |")
    ok = import_s <= TARGETS["import_s"] and rss_gib <= TARGETS["import_rss_gib"] and min(times) <= 1.0
    return 0 if ok else 3


if __name__ == "__main__":
    sys.exit(main())
