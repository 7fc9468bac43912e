"""One importing process for test_concurrency: `python concurrent_worker.py URL AGS WORKER BATCHES`.

Prints "ready", waits for a line on stdin (the parent releases all workers at once so they collide), then
writes BATCHES imports alternately for its own city and for one Leistung every worker fights over
(Marburg, 10000). Prints one JSON line per attempt:
{"ok": true, "batch_id": ...} or {"ok": false, "error": "busy", "message": ...}. Any other error is a crash.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ozg import status  # noqa: E402
from ozg.batches import BatchInfo  # noqa: E402
from ozg.db import Database  # noqa: E402
from ozg.domain import StatusUpdate  # noqa: E402
from ozg.errors import DatabaseBusy  # noqa: E402

CONTESTED = ("06534014", "10000")


def main(argv: list[str]) -> int:
    url, ags, worker, batches = argv[0], argv[1], int(argv[2]), int(argv[3])
    db = Database(url)
    ids = None
    while ids is None:  # before the start signal: wait out the other workers' start-up reads
        try:
            with db.connect() as conn:
                ids = [r[0] for r in conn.execute("SELECT ozg_id FROM leistung ORDER BY ozg_id LIMIT 60")]
        except DatabaseBusy:
            time.sleep(0.05)
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(batches):
        if i % 2 == 0:
            target = ags
            updates = [StatusUpdate(oid, {"reifegrad": (i + n) % 5, "bemerkung": f"w{worker} b{i}"})
                       for n, oid in enumerate(ids[10:60])]
        else:
            target = CONTESTED[0]
            updates = [StatusUpdate(CONTESTED[1], {"bemerkung": f"w{worker} b{i}"})]
        try:
            result = status.apply_updates(db, target, updates,
                                          BatchInfo("status", f"worker{worker}", f"w{worker}b{i}.xlsx", None, target))
            print(json.dumps({"ok": True, "batch_id": result.batch_id, "changed": result.rows_changed}), flush=True)
        except DatabaseBusy as exc:
            print(json.dumps({"ok": False, "error": "busy", "message": str(exc)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
