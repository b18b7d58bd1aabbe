"""`briefing serve`: the same reader in a web browser, through textual-serve.

textual-serve (Textualize's own server) starts one reader process per browser session and
shows its screen with xterm.js; this module only builds the command it runs and guards the
address it binds to. textual_serve is imported here, never by the reader's start-up path.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path

from .safe_text import clean

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def reader_command(target: Path) -> str:
    """The shell command textual-serve runs for each browser session."""
    return shlex.join([sys.executable, "-m", "tui", "read", str(target.resolve())])


def public_url(host: str, port: int) -> str:
    """The address browsers are told to reach (the page's WebSocket uses it too)."""
    name = host.strip("[]")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if address is not None and address.is_unspecified:  # bound to every interface
        name = socket.getfqdn()
    elif address is not None and address.version == 6:
        name = f"[{name}]"
    return f"http://{name}:{port}"


def serve(
    target: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, url: str | None = None
) -> int:
    """Serve the reader on target until Ctrl+C (or SIGTERM); returns the exit status."""
    if not is_loopback(host):
        print(
            clean(
                f"briefing: warning: serving on {host}, not a loopback address: anyone who can "
                f"reach this machine on port {port} can read these briefings (no password)"
            ),
            file=sys.stderr,
        )
    from textual_serve.server import Server

    title = f"briefing: {target.resolve().name}"
    address = url or public_url(host, port)
    server = Server(reader_command(target), host=host, port=port, title=title, public_url=address)
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the address is not this machine's
        print(
            clean(f"briefing: cannot serve on {host}:{port}: {error.strerror or error}"),
            file=sys.stderr,
        )
        return 1
    return 0
