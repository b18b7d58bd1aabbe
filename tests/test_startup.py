"""What the first frame needs is cheap: no pydantic before it, and the title read from the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tui.files import peek_title

from .conftest import ROOT, SEED_BRIEFING


def test_the_reader_imports_no_pydantic_before_its_first_frame() -> None:
    code = (
        "import sys, tui.app, tui.screens.briefing, tui.screens.library, tui.screens.errors;"
        "print('pydantic' in sys.modules, 'yaml' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    assert out == ["False", "False"]


def test_peek_title_reads_only_the_head_and_never_blocks(tmp_path: Path) -> None:
    assert peek_title(SEED_BRIEFING) == (
        "Russia and China boost military cooperation, reach critical agreements"
    )
    quoted = tmp_path / "q.yaml"
    quoted.write_text('schema: 1\ntitle: "A \\e title"\n', encoding="utf-8")
    assert peek_title(quoted) == "A \\e title"  # raw; the screen cleans what it shows
    late = tmp_path / "late.yaml"
    late.write_text("x: 1\n" * 20_000 + "title: too far\n", encoding="utf-8")
    assert peek_title(late) is None
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert peek_title(fifo) is None
    assert peek_title(tmp_path / "missing.yaml") is None


def test_the_folders_cost_the_first_frame_no_import() -> None:
    """tui.places uses platformdirs, which Textual imports anyway: nothing more to load."""
    code = (
        "import sys, textual.app; before = set(sys.modules); import tui.places; "
        "print(sorted(m for m in set(sys.modules) - before if not m.startswith('tui')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    assert out == "[]"


def test_loading_a_briefing_asks_no_installed_package_for_pydantic_plugins() -> None:
    """Pydantic's plugin lookup imports importlib.metadata and reads every installed package's
    entry points (20 ms of a cold open); tui.schema turns plugins off before its first model."""
    code = (
        "import sys; from pathlib import Path; from tui.loader import load_briefing;"
        f"load_briefing(Path({str(SEED_BRIEFING)!r}));"
        "import pydantic.plugin._loader as plugins;"
        "print('importlib.metadata' in sys.modules, list(plugins.get_plugins()))"
    )
    env = {**os.environ, "BRIEFING_NO_CACHE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, env=env
    ).stdout.split()
    assert out == ["False", "[]"]
