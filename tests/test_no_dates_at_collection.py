"""No test reads the clock when the tests are collected: a date taken in a decorator, a default argument or at
a module's top is the date of collection, and a test that runs after midnight compares it with another day
(CI failed so: a "future" date collected at 23:30 was today's when the test ran at 00:20)."""

from __future__ import annotations

import ast
from pathlib import Path

CLOCK = {"today", "localdate", "now", "localtime", "utcnow"}
TESTS = Path(__file__).resolve().parent


def _clock_calls(node: ast.AST):
    for found in ast.walk(node):
        if isinstance(found, ast.Call):
            name = found.func.attr if isinstance(found.func, ast.Attribute) else getattr(found.func, "id", None)
            if name in CLOCK:
                yield found


def _run_at_collection(tree: ast.Module):
    """What Python evaluates when a module is imported: top-level statements, decorators, default values and
    class bodies; not the bodies of functions."""
    for statement in tree.body:
        yield from _evaluated_on_import(statement)


def _evaluated_on_import(statement: ast.stmt):
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield from statement.decorator_list
        yield from statement.args.defaults
        yield from (d for d in statement.args.kw_defaults if d is not None)
    elif isinstance(statement, ast.ClassDef):
        yield from statement.decorator_list
        for inner in statement.body:
            yield from _evaluated_on_import(inner)
    elif not isinstance(statement, (ast.Import, ast.ImportFrom)):
        yield statement


def test_no_test_reads_the_clock_when_collected():
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in _run_at_collection(ast.parse(path.read_text(encoding="utf-8"))):
            found += [f"{path.relative_to(TESTS)}:{call.lineno}: {ast.unparse(call)}" for call in _clock_calls(node)]
    assert found == [], "dates taken when the tests are collected:\n" + "\n".join(found)


def test_the_walk_finds_a_date_in_a_decorator():
    tree = ast.parse("@pytest.mark.parametrize('d', [today()])\ndef test_x(d):\n    return now()\n")
    assert [ast.unparse(c) for n in _run_at_collection(tree) for c in _clock_calls(n)] == ["today()"]
