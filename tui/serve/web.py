"""The web side of `briefing serve`: textual-serve's Server behind an origin and token guard.

Imported only by `tui.serve.serve` (it loads aiohttp and textual_serve). What it adds to
textual-serve, and why:

- every request must name a host this server answers for (DNS rebinding), come from the
  served origin when the browser says where it comes from (any page can open a WebSocket to
  127.0.0.1), and carry the per-run token, in the query once, then in an HttpOnly,
  SameSite=Strict cookie;
- its own page: no web fonts or other files from the internet, the WebSocket closed when the
  page is left, a Content-Security-Policy that keeps it so;
- no directory listings, no query strings (the token) in the log, and every logged text
  cleaned of control sequences;
- each reader process ends within STOP_BUDGET seconds of its socket closing: asked to quit,
  then SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hmac
import html
import io
import json
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlencode, urlsplit

from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..safe_text import clean
from .config import ServeConfig, is_loopback, reader_argv, url_origin

log = logging.getLogger("briefing.serve")

PAGE = Path(__file__).resolve().parent / "index.html"

# How a reader is ended once its socket has closed: the whole sequence fits in STOP_BUDGET.
STOP_BUDGET = 2.0
SEND_GRACE = 0.2  # writing the quit message (the reader may not be reading its input)
QUIT_GRACE = 1.0  # the reader's own exit after "quit" (it takes about 0.2 s)
TERM_GRACE = 0.5  # after SIGTERM, before SIGKILL
KILL_GRACE = 0.2  # reaping after SIGKILL, and draining the reader's last output

MAX_COLUMNS, MAX_ROWS = 1000, 500  # a terminal size, capped before a reader draws it
MAX_MESSAGE = 1 << 20  # one WebSocket message from the browser (keys, a paste)
MAX_PACKET = 64 << 20  # one packet of screen output from the reader
MAX_STDERR = 64 << 10  # a reader's error output kept for the log
MAX_LOGGED = 200  # characters of a header or path quoted in the log
REFUSALS_LOGGED = 20  # refusals logged one by one; then one line per REFUSALS_EVERY
REFUSALS_EVERY = 100


def _quote(text: str) -> str:
    """Untrusted text for a log line: cleaned, capped, quoted."""
    short = text if len(text) <= MAX_LOGGED else text[:MAX_LOGGED] + "…"
    return repr(clean(short))


class CleanFormatter(logging.Formatter):
    """Log lines with no control sequences: header values and reader output are untrusted."""

    def format(self, record: logging.LogRecord) -> str:
        return clean(super().format(record), keep_lines=True)


class AccessLog(AbstractAccessLogger):
    """One line per request, without the query string (it may hold the token) or headers."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %s",
            request.remote or "-",
            request.method,
            _quote(request.path),
            response.status,
        )


async def end_process(process: asyncio.subprocess.Process) -> str:
    """Wait for process to end, then SIGTERM it, then SIGKILL it: how it ended
    ("quit", "SIGTERM" or "SIGKILL"). Bounded by QUIT_GRACE + TERM_GRACE + KILL_GRACE."""

    async def exited(within: float) -> bool:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(process.wait(), within)
        return process.returncode is not None

    if await exited(QUIT_GRACE):
        return "quit"
    with contextlib.suppress(ProcessLookupError):
        process.terminate()
    if await exited(TERM_GRACE):
        return "SIGTERM"
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    await exited(KILL_GRACE)
    return "SIGKILL"


class ReaderService(AppService):
    """One browser session's reader process, started without a shell and ended promptly.

    textual-serve's AppService runs its command through `sh -c`, asks the app to quit when the
    socket closes and then waits, unbounded, for its output to end.
    """

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = argv
        self.ended_by: str | None = None  # how the process ended: quit, SIGTERM or SIGKILL
        self._stopping: asyncio.Future[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def _open_app_process(
        self, width: int = 80, height: int = 24
    ) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        # exec, no shell: the process signalled at the end is the reader itself
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    def stop_soon(self) -> asyncio.Future[None]:
        """Start ending the reader (at most STOP_BUDGET seconds), once: the same future on
        every call. It runs to the end even if whoever awaits it is cancelled (aiohttp
        cancels a WebSocket's handler when its connection is lost)."""
        if self._stopping is None:
            if self._process is None:
                self._stopping = asyncio.get_running_loop().create_future()
                self._stopping.set_result(None)
            else:
                self._stopping = asyncio.ensure_future(self._stop())
        return self._stopping

    async def stop(self) -> None:
        """End the reader; safe to call again, or concurrently."""
        await asyncio.shield(self.stop_soon())

    async def _stop(self) -> None:
        process = self._process
        assert process is not None
        if process.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id),
                    SEND_GRACE,
                )
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.send_meta({"type": "quit"}), SEND_GRACE)
            with contextlib.suppress(Exception):
                self.stdin.close()
        self.ended_by = await end_process(process)
        if self.ended_by != "quit":
            log.warning(
                "briefing: reader %s did not quit within %.1f s: ended by %s",
                process.pid,
                QUIT_GRACE,
                self.ended_by,
            )
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, KILL_GRACE)
            self._task = None

    async def run(self) -> None:
        """Relay the reader's packets to the browser (textual-serve's loop, with the reader's
        error output capped and cleaned, and a packet size capped)."""
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        stdout, stderr = process.stdout, process.stderr
        errors = io.BytesIO()
        dropped = 0

        async def read_stderr() -> None:
            nonlocal dropped
            with contextlib.suppress(asyncio.CancelledError, OSError):
                while data := await stderr.read(4096):
                    room = MAX_STDERR - errors.tell()
                    errors.write(data[: max(room, 0)])
                    dropped += max(len(data) - max(room, 0), 0)

        stderr_task = asyncio.create_task(read_stderr())
        handlers: dict[bytes, Callable[[bytes], Awaitable[None]]] = {
            b"D": self.on_data,
            b"M": self.on_meta,
            b"P": self.on_packed,
        }
        try:
            for _ in range(10):  # the prelude that says a Textual app is talking
                line = await stdout.readline()
                if not line or line == b"__GANGLION__\n":
                    break
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                if size > MAX_PACKET:
                    log.error("briefing: reader %s sent a %d-byte packet: ended", process.pid, size)
                    break
                payload = await stdout.readexactly(size)
                handler = handlers.get(kind)
                if handler is not None:
                    await handler(payload)
        except (asyncio.IncompleteReadError, ConnectionResetError, ValueError):
            pass  # the reader's output ended (or was not a Textual app's)
        except asyncio.CancelledError:
            pass
        finally:
            stderr_task.cancel()
            await stderr_task
        if text := errors.getvalue():
            more = f"\n(and {dropped} bytes more)" if dropped else ""
            log.error(
                "briefing: reader %s said:\n%s%s",
                process.pid,
                text.decode("utf-8", "replace").rstrip(),
                more,
            )

    async def on_meta(self, data: bytes) -> None:
        # A reader may ask the page to open a URL; only web addresses, never javascript:.
        with contextlib.suppress(ValueError, TypeError):
            meta = json.loads(data)
            if isinstance(meta, dict) and meta.get("type") == "open_url":
                url = meta.get("url")
                if not (isinstance(url, str) and url_origin(url) is not None):
                    log.warning("briefing: refused to open %s in the browser", _quote(str(url)))
                    return
        await super().on_meta(data)


def _clamp(value: object, default: int, top: int) -> int:
    if not isinstance(value, int | float | str):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return min(max(number, 1), top)


class BriefingServer(Server):
    """textual-serve's Server with the guard, its own page, and prompt reader ends."""

    def __init__(self, config: ServeConfig) -> None:
        target = config.target.resolve()
        super().__init__(
            " ".join(reader_argv(target)),
            host=config.host,
            port=config.port,
            title=f"briefing: {target.name}",
            public_url=config.public_url,
        )
        self.config = config
        self.argv = reader_argv(target)
        self.origin = config.origin
        self._token = config.token.encode() if config.token is not None else None
        self.cookie_name = f"briefing-token-{self.origin[2]}"
        self.page = Template(PAGE.read_text(encoding="utf-8"))
        self.sessions: dict[ReaderService, web.WebSocketResponse] = {}
        # the last few sessions' readers, for the log and the tests
        self.finished: collections.deque[ReaderService] = collections.deque(maxlen=16)
        self.refused = 0
        socket_scheme = "wss" if self.origin[0] == "https" else "ws"
        netloc = urlsplit(config.public_url).netloc
        self.websocket_url = f"{socket_scheme}://{netloc}/ws"
        self.policy = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self' 'unsafe-inline'",
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data:",
                "font-src 'self'",
                f"connect-src 'self' {socket_scheme}://{netloc}",
                "frame-ancestors 'none'",
                "base-uri 'none'",
                "form-action 'none'",
            ]
        )

    # -- the guard ---------------------------------------------------------------------------

    def _token_matches(self, offered: str | None) -> bool:
        if self._token is None or offered is None:
            return False
        return hmac.compare_digest(offered.encode("utf-8", "replace"), self._token)

    def refusal(self, request: web.Request) -> str | None:
        """Why request is refused, or None to serve it."""
        host = request.headers.get("Host", "")
        try:
            name = (urlsplit(f"//{host}").hostname or "").rstrip(".")
        except ValueError:
            name = ""
        if not (name and (name == self.origin[1] or is_loopback(name) or _is_address(name))):
            # a name other than the public one can only be DNS pointed here by someone else
            return f"Host {_quote(host)} is not {self.config.public_url}"
        origin = request.headers.get("Origin")
        if origin is not None and url_origin(origin) != self.origin:
            return f"Origin {_quote(origin)} is not {self.config.public_url}"
        if self._token is not None and not (
            self._token_matches(request.query.get("token"))
            or self._token_matches(request.cookies.get(self.cookie_name))
        ):
            return "no token" if "token" not in request.query else "wrong token"
        return None

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        reason = self.refusal(request)
        if reason is not None:
            self.refused += 1
            if self.refused <= REFUSALS_LOGGED or self.refused % REFUSALS_EVERY == 0:
                log.warning(
                    "briefing: refused %s %s from %s: %s (%d refused so far)",
                    request.method,
                    _quote(request.path),
                    request.remote or "-",
                    reason,
                    self.refused,
                )
            return web.Response(
                status=403,
                text="403 Forbidden: open the address `briefing serve` printed when it started "
                "(with its token), in a browser on its own tab.\n",
            )
        if request.path == "/" and "token" in request.query and self._token is not None:
            # Trade the token in the address for a cookie, and take it out of the address bar
            # and the browser's history.
            rest = [(key, value) for key, value in request.query.items() if key != "token"]
            location = "/" + (f"?{urlencode(rest)}" if rest else "")
            response = web.Response(status=303, headers={"Location": location})
            response.set_cookie(
                self.cookie_name,
                self._token.decode(),
                path="/",
                httponly=True,
                samesite="Strict",
                secure=self.origin[0] == "https",
            )
            return response
        return await handler(request)

    async def add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Content-Security-Policy"] = self.policy
        if not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"

    # -- the app -----------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard], client_max_size=MAX_MESSAGE)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                # no directory listings; symbolic links are not followed out of the folder
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_response_prepare.append(self.add_headers)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        font_size = _clamp(request.query.get("fontsize", "16"), 16, 64)
        page = self.page.substitute(
            title=html.escape(self.title),
            websocket_url=html.escape(self.websocket_url),
            font_size=font_size,
        )
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(
            heartbeat=15, timeout=KILL_GRACE, max_msg_size=MAX_MESSAGE
        )
        width = _clamp(request.query.get("width"), 80, MAX_COLUMNS)
        height = _clamp(request.query.get("height"), 24, MAX_ROWS)
        await websocket.prepare(request)
        service = ReaderService(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions[service] = websocket
        try:
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except (ConnectionError, RuntimeError) as error:  # the browser went away mid-write
            log.info("briefing: session ended: %s", _quote(str(error)))
        finally:
            ending = service.stop_soon()
            ending.add_done_callback(lambda _: self._ended(service))
            await asyncio.shield(ending)
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    def _ended(self, service: ReaderService) -> None:
        self.sessions.pop(service, None)
        self.finished.append(service)

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        """The browser's messages to the reader: keys, sizes, focus. Malformed ones are
        dropped (textual-serve ended the session on them, with a traceback)."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(
                    _clamp(data.get("width"), 80, MAX_COLUMNS),
                    _clamp(data.get("height"), 24, MAX_ROWS),
                )
            elif kind == "ping" and isinstance(data, str | int | float):
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    # -- start and stop ----------------------------------------------------------------------

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(CleanFormatter("%(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.DEBUG if self.debug else logging.INFO)

    async def on_startup(self, app: web.Application) -> None:
        print(
            clean(f"briefing: serving {self.config.target.resolve()} (one reader per tab)"),
            clean(f"  open {self.config.start_url}"),
            "  Ctrl+C stops it",
            sep="\n",
            flush=True,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        # aiohttp waits for open WebSockets before it stops: end their readers now.
        sessions = list(self.sessions.items())
        await asyncio.gather(*(service.stop() for service, _ in sessions), return_exceptions=True)
        await asyncio.gather(
            *(socket.close(code=WSCloseCode.GOING_AWAY) for _, socket in sessions),
            return_exceptions=True,
        )

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=None,
                access_log_class=AccessLog,
                shutdown_timeout=STOP_BUDGET + 1,
            )
        finally:
            with contextlib.suppress(Exception):
                loop.close()

    def request_exit(self) -> None:
        raise GracefulExit()


def _is_address(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def run(config: ServeConfig) -> None:
    """Serve until Ctrl+C or SIGTERM (OSError when the address cannot be bound)."""
    BriefingServer(config).serve()
