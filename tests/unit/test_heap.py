"""Freezing the start-up heap: once per process, so later garbage is still collected."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import gc, json
from flows.heap import freeze_startup_heap
before = gc.get_freeze_count()
first = freeze_startup_heap()
frozen = gc.get_freeze_count()
second = freeze_startup_heap()
class Node:
    pass
a, b = Node(), Node()
a.other, b.other = b, a  # a cycle made after the freeze
del a, b
found = gc.collect()
print(json.dumps([before, first, frozen, second, gc.get_freeze_count(), found]))
"""


def test_freezes_once_and_later_cycles_are_still_collected():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    before, first, frozen, second, after, found = __import__("json").loads(out.stdout)
    assert before == 0 and first is True and frozen > 1000
    assert second is False and after == frozen  # the second call froze nothing more
    assert found >= 2  # the cycle made after the freeze was collected
