"""Sources of the sample Python project, kept as text: they hold lint and type errors."""

from __future__ import annotations

BASE = {
    "src/calc/__init__.py": """import os


def add(a: int, b: int) -> int:
    return a + b


def sign(x: int) -> str:
    if x > 0:
        return "pos"
    elif x < 0:
        return "neg"
    return "zero"


def untested(x):
    return x * 2


def bad() -> int:
    return "no"
""",
    "tests/test_calc.py": """from calc import add, sign


def test_add():
    assert add(1, 2) == 3


def test_sign():
    assert sign(1) == "pos"


def test_clamp():
    try:
        from calc.extra import clamp
    except ImportError:  # on main: the module comes with the feature branch
        return
    assert clamp(5, 0, 3) == 3
""",
}

# added on the branch `feature`: partly tested, so changed-lines coverage is between 0 and 100
EXTRA = '''"""Added on the feature branch."""


def clamp(x: int, low: int, high: int) -> int:
    if x < low:
        return low
    if x > high:
        return high
    return x


def never_called(x: int) -> int:
    y = x + 1
    return y * 2
'''

APPENDED = """

def triple(x: int) -> int:
    return x * 3
"""
