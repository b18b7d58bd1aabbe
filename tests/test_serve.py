"""`briefing serve`: the reader in a real headless Chromium, read back from xterm.js's buffer.

textual-serve draws the terminal on a canvas, so the page's text is not in the DOM. The test
drives Debian's chromium over the DevTools protocol (aiohttp, already a dependency of
textual-serve, is the WebSocket client) and, before the page's scripts run, catches the
xterm.js Terminal object as textual.js stores it (`this.terminal = new Terminal(...)`), then
reads the rows of the screen it shows.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main
from tui.serve import is_loopback, public_url, reader_command

from .conftest import ROOT, MakeProject, minimal_yaml

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TITLE = "Served briefing, Alice meets Bob in the browser"
START_TIMEOUT = 30.0  # the server accepting connections
SCREEN_TIMEOUT = 60.0  # the title on the browser's terminal, from navigation

# Runs before textual.js: the first object given a `terminal` that looks like xterm.js's
# Terminal keeps it as its own property (so the page works as before) and it is remembered.
CATCH_TERMINAL = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && typeof value.write === "function") {
      window.__terminals.push(value);
    }
  },
});
"""

SCREEN_TEXT = """
(() => {
  const term = window.__terminals && window.__terminals[0];
  if (!term) return null;
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode} before serving")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing listened on 127.0.0.1:{port} within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a process started in a session of its own, and everything it started."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)
        if process.poll() is not None:
            # the leader is gone; its children (reader, renderer processes) may not be
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            return


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # zombies still count for killpg; ask /proc for live members
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


@contextlib.contextmanager
def started(args: list[str], **kwargs: Any) -> Iterator[subprocess.Popen[bytes]]:
    """Run args in a process group of its own; on leaving, end the group and check it ended."""
    process = subprocess.Popen(args, start_new_session=True, **kwargs)
    try:
        yield process
    finally:
        stop(process)
    deadline = time.monotonic() + 5  # checked when the test itself has not failed
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not group_alive(process.pid), f"processes of {args[0]} left running"


class DevTools:
    """The few DevTools protocol calls the test needs, over one page's WebSocket."""

    def __init__(self, websocket: Any) -> None:
        self.websocket = websocket
        self.next_id = 0

    async def call(self, method: str, **params: object) -> dict[str, Any]:
        self.next_id += 1
        sent = self.next_id
        await self.websocket.send_json({"id": sent, "method": method, "params": params})
        while True:
            message = await self.websocket.receive_json()
            if message.get("id") == sent:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})


def devtools_port(profile: Path, browser: subprocess.Popen[bytes], timeout: float) -> int:
    """The port Chromium chose for --remote-debugging-port=0 (it writes it to the profile)."""
    deadline = time.monotonic() + timeout
    active = profile / "DevToolsActivePort"
    while time.monotonic() < deadline:
        if browser.poll() is not None:
            raise AssertionError(f"chromium exited with {browser.returncode}")
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int(active.read_text().splitlines()[0])
        time.sleep(0.1)
    raise AssertionError(f"chromium opened no DevTools port within {timeout:.0f} s")


def loaded(text: str) -> bool:
    """The reader has drawn the briefing: its title, no longer "loading", and the source."""
    return TITLE in text and "loading" not in text and "Alice met Bob in Paris" in text


async def screen_of(debug_port: int, url: str, shot: Path) -> str:
    """Load url in the browser's page; the terminal's text once the reader has loaded (or at
    the time limit). A screenshot of the page is left at shot."""
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=SCREEN_TIMEOUT + 30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.get(f"http://127.0.0.1:{debug_port}/json/list") as response:
            targets = await response.json(content_type=None)
        page = next(t for t in targets if t.get("type") == "page")
        async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            tools = DevTools(ws)
            await tools.call("Page.enable")
            await tools.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
            await tools.call("Page.navigate", url=url)
            text = ""
            deadline = time.monotonic() + SCREEN_TIMEOUT
            while time.monotonic() < deadline:
                result = await tools.call(
                    "Runtime.evaluate", expression=SCREEN_TEXT, returnByValue=True
                )
                text = result.get("result", {}).get("value") or ""
                if loaded(text):
                    break
                await asyncio.sleep(0.25)
            with contextlib.suppress(Exception):
                image = await tools.call("Page.captureScreenshot", format="png")
                shot.write_bytes(base64.b64decode(str(image["data"])))
            return text


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_browser_shows_the_briefing_title(make_project: MakeProject, tmp_path: Path) -> None:
    briefing = make_project(minimal_yaml().replace("title: Test briefing", f"title: {TITLE}"))
    port = free_port()
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    shot = tmp_path / "page.png"
    server_log = tmp_path / "serve.log"
    with (
        server_log.open("wb") as log,
        started(
            [sys.executable, "-m", "tui", "serve", str(briefing), "--port", str(port)],
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        ) as server,
    ):
        wait_for_port(port, server, START_TIMEOUT)
        with started(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,800",
                f"--user-data-dir={profile}",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ) as browser:
            debug_port = devtools_port(profile, browser, START_TIMEOUT)
            text = asyncio.run(
                asyncio.wait_for(
                    screen_of(debug_port, f"http://127.0.0.1:{port}/", shot),
                    SCREEN_TIMEOUT + 20,
                )
            )
    served = server_log.read_text(errors="replace")
    if not text:
        text = "(nothing: no xterm.js Terminal was caught; has textual.js changed?)"
    assert loaded(text), f"terminal in the browser:\n{text}\n\nserver:\n{served}\n(see {shot})"
    assert "GET /ws" in served  # the page opened its session over the WebSocket


def test_serve_command_runs_the_reader_on_an_absolute_path(tmp_path: Path) -> None:
    odd = tmp_path / "a folder; $(echo no)" / "b.yaml"
    command = reader_command(odd)  # run by a shell: the path is quoted
    assert shlex.split(command) == [sys.executable, "-m", "tui", "read", str(odd.resolve())]


def test_loopback_and_public_url() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.3.4.5") and is_loopback("::1")
    assert is_loopback("localhost") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")
    assert not is_loopback("example.org")
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url("::1", 8001) == "http://[::1]:8001"
    assert public_url("0.0.0.0", 8000) == f"http://{socket.getfqdn()}:8000"


def test_serve_warns_off_loopback_and_checks_its_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[tuple[str, int, str]] = []

    class FakeServer:
        def __init__(self, command: str, host: str, port: int, **kwargs: object) -> None:
            served.append((command, host, port))

        def serve(self) -> None:
            pass

    import textual_serve.server

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    target = ROOT / "briefings"
    assert main(["serve", str(target), "--port", "8123"]) == 0
    assert served[-1][1:] == ("127.0.0.1", 8123)
    assert "warning" not in capsys.readouterr().err
    assert main(["serve", str(target), "--host", "0.0.0.0", "--port", "8124"]) == 0
    assert "not a loopback address" in capsys.readouterr().err
    assert main(["serve", str(tmp_path / "missing")]) == 2
    assert main(["serve", str(target), "--port", "70000"]) == 2
    assert main(["serve", str(target), "--port", "x"]) == 2
    assert len(served) == 2


def test_reader_start_up_does_not_import_textual_serve() -> None:
    code = "import sys, tui.cli, tui.app; print('textual_serve' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.stdout.strip() == "False", result.stderr
