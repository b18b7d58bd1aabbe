"""`briefing serve`: the same reader in a web browser, through textual-serve.

textual-serve (Textualize's own server) starts one reader process per browser session and
shows its screen with xterm.js. `config` checks the options and decides the address and the
per-run token; `web` builds the web server around textual-serve, and only `serve()` imports
it, so the reader's start-up path never loads aiohttp or textual_serve.

A browser lets any page it shows open a WebSocket to 127.0.0.1, so binding to loopback alone
protects nothing: every request must come from the served origin and carry the token.
"""

from __future__ import annotations

import sys

from ..safe_text import clean
from .config import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    ServeConfig,
    ServeUsageError,
    configure,
    is_loopback,
    is_unspecified,
    public_url,
    reader_argv,
    reader_command,
    url_origin,
)

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "ServeConfig",
    "ServeUsageError",
    "configure",
    "is_loopback",
    "is_unspecified",
    "public_url",
    "reader_argv",
    "reader_command",
    "serve",
    "url_origin",
]


def serve(config: ServeConfig) -> int:
    """Serve the reader until Ctrl+C (or SIGTERM); returns the exit status."""
    if not is_loopback(config.host):
        print(
            clean(
                f"briefing: warning: serving on {config.host}, not a loopback address, without "
                f"TLS: the token and the briefings cross the network in clear (prefer "
                f"`ssh -L {config.port}:127.0.0.1:{config.port}` to a loopback server)"
            ),
            file=sys.stderr,
        )
    if config.token is None:
        print(
            "briefing: warning: --no-token: any program or user on this machine can open the "
            "reader (web pages from other sites are still refused)",
            file=sys.stderr,
        )
    try:
        from .web import run
    except ImportError as error:  # textual-serve is an optional extra
        print(
            clean(
                f"briefing: serve needs textual-serve ({error.name or error}): "
                "pip install 'briefing[serve]'"
            ),
            file=sys.stderr,
        )
        return 1
    try:
        run(config)
    except OSError as error:  # the port is taken, or the address is not this machine's
        print(
            clean(
                f"briefing: cannot serve on {config.host}:{config.port}: {error.strerror or error}"
            ),
            file=sys.stderr,
        )
        return 1
    return 0
