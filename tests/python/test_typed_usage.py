"""The typed usage script runs (``make stubtest`` type-checks it with ``mypy --strict``)."""

from __future__ import annotations

import runpy

from conftest import ROOT


def test_typed_usage_runs() -> None:
    runpy.run_path(str(ROOT / "tests" / "python" / "typed_usage.py"), run_name="__main__")
