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
import json
import logging
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tui.cli import main
from tui.serve import (
    ServeConfig,
    configure,
    is_loopback,
    public_url,
    reader_command,
    url_origin,
)
from tui.serve.web import (
    KILL_GRACE,
    QUIT_GRACE,
    SEND_GRACE,
    STOP_BUDGET,
    TERM_GRACE,
    AccessLog,
    BriefingServer,
    ReaderService,
)

from .conftest import ROOT, MakeProject, minimal_yaml

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TITLE = "Served briefing, Alice meets Bob in the browser"
START_TIMEOUT = 30.0  # the server accepting connections
SCREEN_TIMEOUT = 60.0  # the title on the browser's terminal, from navigation
LEAVE_TIMEOUT = 15.0  # the reader gone after the page is left (a generous behaviour bound)

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
    deadline = time.monotonic() + 30  # checked when the test itself has not failed
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


async def screen_of(
    debug_port: int, url: str, shot: Path, gone: Callable[[], bool] | None = None
) -> tuple[str, bool]:
    """Load url in the browser's page; the terminal's text once the reader has loaded (or at
    the time limit). A screenshot of the page is left at shot. Then, with gone, leave the page
    for about:blank and say whether gone() came true within LEAVE_TIMEOUT."""
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
            if gone is None or not loaded(text):
                return text, False
            await tools.call("Page.navigate", url="about:blank")
            deadline = time.monotonic() + LEAVE_TIMEOUT
            while time.monotonic() < deadline and not gone():
                await asyncio.sleep(0.1)
            return text, gone()


def readers_of(briefing: Path) -> list[int]:
    """Live reader processes started on briefing (its temporary path is unique to the test)."""
    wanted = str(briefing.resolve()).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if b"read" in argv and wanted in argv and state != "Z":
                found.append(int(entry.name))
    return found


def start_url(log: Path, process: subprocess.Popen[bytes], timeout: float) -> str:
    """The URL `briefing serve` printed (with its token)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if line.strip().startswith("open http"):
                return line.split("open ", 1)[1].strip()
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"no URL printed:\n{log.read_text(errors='replace')}")


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
        url = start_url(server_log, server, START_TIMEOUT)
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
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
            text, left = asyncio.run(
                asyncio.wait_for(
                    screen_of(debug_port, url, shot, gone=lambda: not readers_of(briefing)),
                    SCREEN_TIMEOUT + LEAVE_TIMEOUT + 20,
                )
            )
    served = server_log.read_text(errors="replace")
    if not text:
        text = "(nothing: no xterm.js Terminal was caught; has textual.js changed?)"
    assert loaded(text), f"terminal in the browser:\n{text}\n\nserver:\n{served}\n(see {shot})"
    assert "GET '/ws' 101" in served  # the page opened its session over the WebSocket
    assert "refused" not in served  # the token became a cookie the page and socket carried
    # Leaving the page closes its socket (a page in the back-forward cache kept it open, and
    # its reader, for minutes).
    assert left, f"the reader still runs after the page was left:\n{served}"


# -- the guard, in process: aiohttp's test client against the server's app -----------------

TOKEN = "t0ken-for-the-tests_0123456789"
FOREIGN = "https://attacker.example"


@contextlib.asynccontextmanager
async def client_for(config: ServeConfig) -> AsyncIterator[tuple[Any, BriefingServer]]:
    from aiohttp.test_utils import TestClient, TestServer

    server = BriefingServer(config)
    app = await server._make_app()
    test_server = TestServer(app, host="127.0.0.1", port=config.port, access_log_class=AccessLog)
    async with test_server, TestClient(test_server) as client:
        yield client, server


def config_for(target: Path, token: str | None = TOKEN) -> ServeConfig:
    port = free_port()
    if token is None:
        return configure(target, "127.0.0.1", port, no_token=True)
    return configure(target, "127.0.0.1", port, token=token)


async def first_screen(websocket: Any, wanted: str, limit: int = 2000) -> str:
    """The reader's output until wanted appears (or the socket closes, or limit messages)."""
    import aiohttp

    seen = b""
    for _ in range(limit):
        message = await asyncio.wait_for(websocket.receive(), SCREEN_TIMEOUT)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
            if wanted.encode() in seen:
                break
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            break
    return seen.decode("utf-8", "replace")


async def raw_status(port: int, path: str, **headers: str) -> int:
    """The status of a GET sent byte for byte (headers unchecked by any client library)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), SCREEN_TIMEOUT)
        return int(status.split()[1])
    finally:
        writer.close()


async def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return condition()


def test_foreign_origin_is_refused_for_page_and_socket(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import aiohttp

    async def scenario() -> None:
        async with client_for(config_for(tmp_path)) as (client, server):
            # Logged text is cleaned: a C1 CSI in the Origin (aiohttp refuses C0 controls in
            # headers, not these) and an ESC in the path. Raw requests: aiohttp's client would
            # not send them.
            hostile = FOREIGN + "\u009b2J"
            assert await raw_status(server.port, f"/?token={TOKEN}", Origin=hostile) == 403
            path = "/%1B]0;owned%07"
            assert await raw_status(server.port, path, Origin=FOREIGN) == 403
            page = await client.get(f"/?token={TOKEN}", headers={"Origin": FOREIGN})
            assert page.status == 403
            for origin in (FOREIGN, "null", f"http://127.0.0.1:{server.port + 1}"):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await client.ws_connect(f"/ws?token={TOKEN}", headers={"Origin": origin})
                assert refused.value.status == 403
            # DNS rebinding: the right token, but a name this server does not answer for
            rebound = await client.get(f"/?token={TOKEN}", headers={"Host": "attacker.example"})
            assert rebound.status == 403
            assert not server.sessions and not server.finished  # no reader was started

    with caplog.at_level(logging.WARNING, logger="briefing.serve"):
        asyncio.run(scenario())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "refused" in logged and "attacker.example" in logged
    assert "\u009b" not in logged and "\x1b" not in logged and "\x07" not in logged
    assert "␛]0;owned␇" in logged
    assert TOKEN not in logged


def test_token_is_required_and_the_right_one_gets_the_screen(
    make_project: MakeProject, caplog: pytest.LogCaptureFixture
) -> None:
    import aiohttp

    briefing = make_project(minimal_yaml().replace("title: Test briefing", f"title: {TITLE}"))
    config = config_for(briefing)
    origin = config.public_url

    async def scenario() -> None:
        async with client_for(config) as (client, server):
            assert (await client.get("/")).status == 403
            assert (await client.get("/?token=not-the-token-at-all")).status == 403
            assert (await client.get("/static/js/textual.js")).status == 403
            for query in ("", "?token=not-the-token-at-all", f"?token={TOKEN[:-1]}"):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await client.ws_connect(f"/ws{query}", headers={"Origin": origin})
                assert refused.value.status == 403
            assert not server.finished
            socket = await client.ws_connect(
                f"/ws?token={TOKEN}&width=100&height=30", headers={"Origin": origin}
            )
            screen = await first_screen(socket, "Alice met Bob")
            assert "Served briefing" in screen, screen[-2000:]
            (service,) = server.sessions
            assert service.pid in readers_of(briefing)
            await socket.close()
            # The reader is asked to quit, then signalled: it ends, whatever it does.
            assert await wait_until(lambda: bool(server.finished), 10 * STOP_BUDGET)
            # asked to quit (on a loaded machine it may take the signals): gone either way
            assert server.finished[-1] is service and service.ended_by is not None
            assert await wait_until(lambda: service.pid not in readers_of(briefing), 30)

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert TOKEN not in logged  # the access log leaves query strings out


def test_page_trades_the_token_for_a_strict_cookie_and_loads_nothing_from_elsewhere(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "<img src=x onerror=alert(1)>"  # a folder name is the page's title
    folder.mkdir()

    async def scenario() -> None:
        config = config_for(folder)
        async with client_for(config) as (client, server):
            first = await client.get(f"/?fontsize=20&token={TOKEN}", allow_redirects=False)
            assert first.status == 303
            assert first.headers["Location"] == "/?fontsize=20"  # the token leaves the address
            cookie = first.headers["Set-Cookie"]
            assert f"{server.cookie_name}={TOKEN}" in cookie
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
            page = await client.get("/?fontsize=20")  # the cookie alone now
            assert page.status == 200
            html = await page.text()
            assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
            assert page.headers["Referrer-Policy"] == "no-referrer"
            # Every address the page names is this server's, or relative to it.
            served = urlsplit(config.public_url).netloc
            for url in re.findall(r"\b(?:https?|wss?)://[^\s\"'<>)]*", html):
                assert urlsplit(url).netloc == served, url
            for link in re.findall(r"(?:src|href)=\"([^\"]*)\"|url\(\"?([^\")]*)", html):
                target = next(part for part in link if part)
                relative = target.startswith("/") and not target.startswith("//")
                assert relative or target.startswith("data:"), target
            assert "fonts.googleapis" not in html and "font-size" in html
            assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
            for name in (
                "css/xterm.css",
                "js/textual.js",
                "fonts/RobotoMono-VariableFont_wght.ttf",
            ):
                assert (await client.get(f"/static/{name}")).status == 200, name

    asyncio.run(scenario())


def test_static_folders_are_not_listed(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with client_for(config_for(tmp_path)) as (client, _server):
            for folder in ("/static/", "/static/js/", "/static/fonts", "/static/css"):
                response = await client.get(f"{folder}?token={TOKEN}", allow_redirects=False)
                body = await response.text()
                assert response.status in (403, 404), folder
                assert "textual.js" not in body and "Index of" not in body, folder

    asyncio.run(scenario())


def test_no_token_serves_loopback_pages_but_not_other_origins(tmp_path: Path) -> None:
    import aiohttp

    async def scenario() -> None:
        config = config_for(tmp_path, token=None)
        async with client_for(config) as (client, _server):
            assert (await client.get("/")).status == 200
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await client.ws_connect("/ws", headers={"Origin": FOREIGN})

    asyncio.run(scenario())


STUBBORN = """
import signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
sys.stdout.write("__GANGLION__\\n"); sys.stdout.flush()
time.sleep(120)
"""
DEAF = "import time; time.sleep(120)"  # never reads its input; dies on SIGTERM


def ignores_sigterm(pid: int) -> bool:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigIgn:"):
                return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


def test_a_reader_that_does_not_quit_is_terminated_then_killed() -> None:
    from textual_serve.download_manager import DownloadManager

    assert SEND_GRACE + QUIT_GRACE + TERM_GRACE + KILL_GRACE <= STOP_BUDGET <= 2.0

    async def ended_by(code: str) -> tuple[str | None, int | None]:
        async def ignore(_data: object) -> None:
            pass

        async def close() -> None:
            pass

        service = ReaderService(
            [sys.executable, "-c", code],
            write_bytes=ignore,
            write_str=ignore,
            close=close,
            download_manager=DownloadManager(),
        )
        await service.start(80, 24)
        assert service.pid is not None
        if code == STUBBORN:  # signalled only once it ignores SIGTERM
            assert await wait_until(lambda: ignores_sigterm(service.pid or 0), 30)
        await service.stop()
        process = service._process
        assert process is not None
        await asyncio.wait_for(process.wait(), 30)  # reaped (it is dead since the signal)
        return service.ended_by, process.returncode

    assert asyncio.run(ended_by(DEAF)) == ("SIGTERM", -signal.SIGTERM)
    assert asyncio.run(ended_by(STUBBORN)) == ("SIGKILL", -signal.SIGKILL)


def test_reader_may_open_only_web_addresses() -> None:
    from textual_serve.download_manager import DownloadManager

    sent: list[str] = []

    async def scenario() -> None:
        async def ignore(_data: object) -> None:
            pass

        async def write_str(text: str) -> None:
            sent.append(text)

        service = ReaderService(
            ["true"],
            write_bytes=ignore,
            write_str=write_str,
            close=ignore,  # type: ignore[arg-type]
            download_manager=DownloadManager(),
        )
        for url in ("javascript:alert(1)", "https://example.org/a", "data:text/html,x"):
            meta = {"type": "open_url", "url": url, "new_tab": True}
            await service.on_meta(json.dumps(meta).encode())

    asyncio.run(scenario())
    assert len(sent) == 1 and "https://example.org/a" in sent[0]


# -- options --------------------------------------------------------------------------------


def test_serve_command_runs_the_reader_on_an_absolute_path(tmp_path: Path) -> None:
    odd = tmp_path / "a folder; $(echo no)" / "b.yaml"
    command = reader_command(odd)  # quoted as one string; the server runs it without a shell
    assert shlex.split(command) == [sys.executable, "-m", "tui", "read", str(odd.resolve())]


def test_loopback_and_public_url() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.3.4.5") and is_loopback("::1")
    assert is_loopback("localhost") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")
    assert not is_loopback("example.org")
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url("::1", 8001) == "http://[::1]:8001"
    assert url_origin("http://127.0.0.1:8000") == ("http", "127.0.0.1", 8000)
    assert url_origin("HTTPS://Example.org") == ("https", "example.org", 443)
    assert url_origin("null") is None and url_origin("file://x/") is None
    assert url_origin("http://a\x1b.example") is None


def test_serve_options_that_would_expose_the_reader_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[ServeConfig] = []
    import tui.serve.web

    monkeypatch.setattr(tui.serve.web, "run", served.append)
    target = ROOT / "briefings"

    def refused(*args: str) -> str:
        assert main(["serve", str(target), *args]) == 2, args
        return capsys.readouterr().err

    assert "loopback" in refused("--host", "192.0.2.7", "--no-token")
    assert "loopback" in refused("--public-url", "https://example.org", "--no-token")
    assert "--public-url" in refused("--host", "0.0.0.0")  # browsers would be told localhost
    assert "--public-url" in refused("--host", "::")
    assert "no path" in refused("--public-url", "https://example.org/reader")
    assert "http" in refused("--public-url", "ftp://example.org")
    assert "16" in refused("--token", "short")
    assert "letters" in refused("--token", "x" * 20 + "&y=1")
    assert "one or the other" in refused("--token", TOKEN, "--no-token")
    assert main(["serve", str(tmp_path / "missing")]) == 2
    assert "no such" in capsys.readouterr().err
    assert "not a port" in refused("--port", "70000")
    assert main(["serve", str(target), "--port", "x"]) == 2
    assert not served

    assert main(["serve", str(target), "--port", "8123"]) == 0
    assert "warning" not in capsys.readouterr().err
    chosen = served[-1]
    assert (chosen.host, chosen.port, chosen.public_url) == (
        "127.0.0.1",
        8123,
        "http://127.0.0.1:8123",
    )
    assert chosen.token is not None and len(chosen.token) >= 40  # a new one each run
    assert main(["serve", str(target), "--port", "8123"]) == 0
    assert served[-1].token != chosen.token

    assert main(["serve", str(target), "--no-token"]) == 0
    assert served[-1].token is None and "warning: --no-token" in capsys.readouterr().err

    args = ["--host", "0.0.0.0", "--public-url", "http://reader.example:8124/", "--token", TOKEN]
    assert main(["serve", str(target), "--port", "8124", *args]) == 0
    assert "not a loopback address" in capsys.readouterr().err
    assert served[-1].public_url == "http://reader.example:8124"
    assert served[-1].start_url == f"http://reader.example:8124/?token={TOKEN}"
    assert served[-1].origin == ("http", "reader.example", 8124)


def test_reader_start_up_does_not_import_textual_serve() -> None:
    code = (
        "import sys, tui.cli, tui.app\n"
        "print(any(m in sys.modules for m in ('textual_serve', 'tui.serve.web', 'aiohttp')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.stdout.strip() == "False", result.stderr


def test_serve_without_textual_serve_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tui.serve.web", None)  # as if textual-serve were absent
    assert main(["serve", str(ROOT / "briefings")]) == 1
    assert "briefing[serve]" in capsys.readouterr().err
