"""The rule-mutant runner plants each mistake exactly once, in the SQL of a rule, and the result still compiles."""

from __future__ import annotations

from tests import rule_mutants


def test_every_mutant_changes_one_rule_and_compiles():
    source = rule_mutants.RULES.read_text(encoding="utf-8")
    every = rule_mutants.mutants(source)
    assert len(every) >= 16
    seen = set()
    for mutant in every:
        changed = rule_mutants.mutated(source, mutant)
        assert changed != source and changed not in seen
        seen.add(changed)
        compile(changed, "rules.py", "exec")
        assert 'return f"' in source.splitlines()[mutant.line - 1]   # never a docstring or comment
    kinds = {(m.old, m.new) for m in every}
    assert ("IS DISTINCT FROM", "<>") in kinds and ("<", "<=") in kinds and ("rule.day", "current_date") in kinds
