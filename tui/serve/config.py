"""`briefing serve`'s options, checked: the address browsers use, and the per-run token.

No aiohttp or textual_serve here (nor in the package's `__init__`): `web` imports them, and
only `serve()` imports `web`.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..safe_text import clean

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_BYTES = 32  # token_urlsafe(32): 43 characters, 256 bits
MIN_TOKEN_LENGTH = 16
MAX_TOKEN_LENGTH = 256
MAX_URL_LENGTH = 2048
# Survives a URL query and a cookie value unquoted.
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9._~-]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ServeUsageError(ValueError):
    """Options that cannot be served safely; the message says which and why."""


@dataclass(frozen=True)
class ServeConfig:
    """What `web` needs: all of it checked."""

    target: Path
    host: str
    port: int
    public_url: str  # scheme://host[:port], no path, no trailing slash
    token: str | None  # None only with --no-token on loopback

    @property
    def origin(self) -> tuple[str, str, int]:
        """The origin browsers send for the served page: (scheme, host, port)."""
        found = url_origin(self.public_url)
        assert found is not None  # checked by configure
        return found

    @property
    def start_url(self) -> str:
        """The URL to open: the public address with the token, when there is one."""
        return f"{self.public_url}/?token={self.token}" if self.token else f"{self.public_url}/"


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_unspecified(host: str) -> bool:
    """True for 0.0.0.0 or ::, which bind every interface and name none of them."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return host == ""


def reader_argv(target: Path) -> list[str]:
    """The reader process textual-serve starts for each browser session."""
    return [sys.executable, "-m", "tui", "read", str(target.resolve())]


def reader_command(target: Path) -> str:
    """reader_argv as one shell-quoted string (what textual-serve's Server takes)."""
    return shlex.join(reader_argv(target))


def public_url(host: str, port: int) -> str:
    """The address browsers are told to reach when the host names one (not 0.0.0.0)."""
    name = host.strip("[]")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if address is not None and address.version == 6:
        name = f"[{name}]"
    return f"http://{name}:{port}"


def url_origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL or Origin header, the default port filled in;
    None for anything else ("null", other schemes, no host, a bad port)."""
    if len(url) > MAX_URL_LENGTH or url != clean(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[scheme]


def _check_public_url(url: str) -> str:
    origin = url_origin(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if origin is None or parts is None:
        raise ServeUsageError(
            f"--public-url {clean(url)!r}: not an http:// or https:// address with a host"
        )
    if parts.username is not None or parts.password is not None:
        raise ServeUsageError("--public-url: no user name or password in the address")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        # the page, its files and its WebSocket are all served from the root
        raise ServeUsageError(
            f"--public-url {clean(url)!r}: give only scheme://host[:port] (no path or query)"
        )
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _check_token(token: str) -> str:
    if not MIN_TOKEN_LENGTH <= len(token) <= MAX_TOKEN_LENGTH:
        raise ServeUsageError(
            f"--token: give {MIN_TOKEN_LENGTH} to {MAX_TOKEN_LENGTH} characters "
            f"(`python -c 'import secrets; print(secrets.token_urlsafe())'` makes one)"
        )
    if _TOKEN_CHARS.fullmatch(token) is None:
        raise ServeUsageError("--token: use only letters, digits and . _ ~ -")
    return token


def configure(
    target: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    url: str | None = None,
    token: str | None = None,
    no_token: bool = False,
) -> ServeConfig:
    """The checked configuration, or ServeUsageError saying what is wrong."""
    if token is not None and no_token:
        raise ServeUsageError("--token and --no-token: give one or the other")
    if url is None:
        if is_unspecified(host):
            # socket.getfqdn() often says "localhost" here: remote browsers would get a page
            # whose WebSocket points at their own machine.
            raise ServeUsageError(
                f"--host {clean(host)} binds every interface: say which address browsers use "
                f"with --public-url http://NAME:{port}"
            )
        address = public_url(host, port)
        if url_origin(address) is None:
            raise ServeUsageError(f"--host {clean(host)!r}: not a host name or address")
    else:
        address = _check_public_url(url)
    if no_token:
        public_host = urlsplit(address).hostname or ""
        if not (is_loopback(host) and is_loopback(public_host)):
            raise ServeUsageError(
                "--no-token is only allowed on a loopback address (--host 127.0.0.1, and a "
                "--public-url on this machine): anyone reaching the port could read"
            )
        chosen = None
    else:
        chosen = _check_token(token) if token is not None else secrets.token_urlsafe(TOKEN_BYTES)
    return ServeConfig(target=target, host=host, port=port, public_url=address, token=chosen)
