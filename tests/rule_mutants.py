"""Planted bugs in the counting rules, one at a time, against the tests that must catch each (`make mutation-rules`).

mutmut (`make mutation`) changes Python, never the SQL inside an f-string, so the operators of ozg/queries/rules.py
— `>=`, `<`, `AND`, `NOT`, `IS DISTINCT FROM`, the rule's day and threshold — are out of its reach. This runner
makes each realistic SQL mistake in turn (the same kinds the planted-bug review of issue 17 made by hand), runs the
fast rule tests on DuckDB with that one change, and reports which mutants no test caught:

    python -m tests.rule_mutants            # the rules as written (must pass), every mutant, then the score
    python -m tests.rule_mutants --list     # only list them

Inside the test run the change is made by this module acting as a pytest plugin (`-p tests.rule_mutants`, mutant
number in OZG_RULE_MUTANT): it re-executes the changed source of rules.py into the loaded module. That holds for
every query because queries put the rules into their SQL when called.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "ozg" / "queries" / "rules.py"
TESTS = ["tests/backends/test_rules_consistency.py", "tests/backends/test_matrix_filters.py",
         "tests/backends/test_regions.py", "tests/ozg/test_bund_compare.py", "tests/ozg/test_dashboard_queries.py"]
# (what is written, what a mistaken edit writes instead)
OPERATORS = [
    (">=", ">"), (">=", "<"), ("<", "<="), (" AND ", " OR "), ("NOT ", ""), ("IS DISTINCT FROM", "<>"),
    ("'nicht relevant'", "'Nicht relevant'"), ("FALSE", "TRUE"), ("rule.day", "current_date"),
    ("rule.threshold", "3"),
]


SURVIVED, CAUGHT = "überlebt", "gefangen"


class Mutant(NamedTuple):
    number: int
    line: int          # 1-based line of rules.py
    column: int
    old: str
    new: str

    def describe(self, source_lines: list[str]) -> str:
        text = source_lines[self.line - 1].strip()
        return f"#{self.number} Zeile {self.line}: {self.old.strip() or self.old!r} → {self.new.strip() or '(weg)'}" \
               f"  in  {text}"


def mutants(source: str) -> list[Mutant]:
    """Every place an operator occurs in the SQL a rule returns (the `return f"..."` lines, not docs or comments)."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip().startswith('return f"'):
            continue
        for old, new in OPERATORS:
            start = line.find(old)
            while start >= 0:
                found.append(Mutant(len(found) + 1, number, start, old, new))
                start = line.find(old, start + 1)
    return found


def mutated(source: str, mutant: Mutant) -> str:
    lines = source.splitlines(keepends=True)
    line = lines[mutant.line - 1]
    assert line[mutant.column:mutant.column + len(mutant.old)] == mutant.old
    lines[mutant.line - 1] = line[:mutant.column] + mutant.new + line[mutant.column + len(mutant.old):]
    return "".join(lines)


def pytest_configure(config) -> None:  # noqa: ARG001 — pytest plugin hook
    """Apply the mutant named by OZG_RULE_MUTANT to the loaded rules module (nothing without it)."""
    number = os.environ.get("OZG_RULE_MUTANT")
    if not number:
        return
    from ozg.queries import rules

    source = RULES.read_text(encoding="utf-8")
    mutant = mutants(source)[int(number) - 1]
    exec(compile(mutated(source, mutant), str(RULES), "exec"), rules.__dict__)  # noqa: S102 — our own file


def _run(mutant: Mutant | None) -> tuple[str, float]:
    """Run the rule tests with one mutant applied (None: the rules as written, the baseline that must pass)."""
    env = {**os.environ, "OZG_RULE_MUTANT": str(mutant.number) if mutant else ""}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", "-p",
         "tests.rule_mutants", "-o", "tmp_path_retention_policy=none", "-m", "not browser and not postgres", *TESTS],
        cwd=ROOT, env=env, capture_output=True, text=True)
    return outcome(result.returncode), time.monotonic() - started


def outcome(returncode: int) -> str:
    """pytest's exit code as the runner's verdict: only failing tests (1) catch a mutant; 2 and up are errors."""
    return {0: SURVIVED, 1: CAUGHT}.get(returncode, f"Fehler (Exit {returncode})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Geplante Fehler in den Zählregeln gegen die Regeltests.")
    parser.add_argument("--list", action="store_true", help="nur die Mutanten auflisten")
    args = parser.parse_args(argv)
    source = RULES.read_text(encoding="utf-8")
    lines = source.splitlines()
    every = mutants(source)
    if args.list:
        for mutant in every:
            print(mutant.describe(lines))
        return 0
    baseline, seconds = _run(None)
    passed = baseline == SURVIVED   # without a mutant nothing may fail
    print(f"{'bestanden' if passed else baseline:>10}  {seconds:5.1f} s  ohne Mutant (die Regeln wie geschrieben)",
          flush=True)
    if not passed:
        print("Die Regeltests scheitern schon ohne Mutant; erst sie reparieren, dann zählen.")
        return 2
    verdicts = []
    for mutant in every:
        verdict, seconds = _run(mutant)
        verdicts.append(verdict)
        print(f"{verdict:>10}  {seconds:5.1f} s  {mutant.describe(lines)}", flush=True)
    caught, survived = verdicts.count(CAUGHT), verdicts.count(SURVIVED)
    errors = len(verdicts) - caught - survived
    print(f"{caught} von {len(every)} Mutanten gefangen ({100 * caught / len(every):.0f} %), {survived} überlebt, "
          f"{errors} mit Fehler im Testlauf.")
    return 0 if caught == len(every) else 1


if __name__ == "__main__":
    sys.exit(main())
