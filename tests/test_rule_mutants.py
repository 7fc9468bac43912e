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


def test_only_failing_tests_catch_a_mutant_an_error_is_no_catch():
    assert rule_mutants.outcome(0) == rule_mutants.SURVIVED
    assert rule_mutants.outcome(1) == rule_mutants.CAUGHT
    assert rule_mutants.CAUGHT != rule_mutants.outcome(2) != rule_mutants.SURVIVED
    assert "Exit 4" in rule_mutants.outcome(4)


def test_without_a_mutant_number_the_plugin_leaves_the_rules_as_written(monkeypatch):
    from ozg.queries import rules

    before = rules.online("s")
    monkeypatch.setenv("OZG_RULE_MUTANT", "")
    rule_mutants.pytest_configure(None)
    assert rules.online("s") == before
