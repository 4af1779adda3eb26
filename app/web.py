"""A fetcher that is safe to point at hostile servers.

Every hop (the first request and each redirect) resolves the host once, checks every address
it resolves to, and connects to that exact address, so DNS cannot be used to slip past the
check. Limits: connect timeout, a deadline for the whole download, a size cap (checked against
Content-Length first, then while reading), at most 5 redirects, loops refused, no compression
(no gzip bombs), http and https only.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from app import __version__
from app.errors import HotlineError
from app.workspace.clock import utc_now

CHUNK = 64 * 1024
USER_AGENT = f"HotlineTriage/{__version__} (notice-and-takedown assessment)"


class FetchError(HotlineError):
    """One URL could not be fetched; recorded on that URL, the batch goes on."""

    def __init__(self, message: str, url: str, final_url: str | None = None,
                 status: int | None = None, ip: str | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.final_url = final_url or url
        self.status = status
        self.ip = ip


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 200_000_000
    max_redirects: int = 5
    allow_private: bool = False

    @classmethod
    def from_settings(cls, get: Callable[[str], Any]) -> "FetchLimits":
        """The limits the workspace settings give (`get` reads a setting)."""
        return cls(connect_timeout=get("fetch.connect_timeout_s"),
                   read_timeout=get("fetch.read_timeout_s"),
                   max_bytes=get("fetch.max_media_bytes"),
                   allow_private=get("allow_private_networks"))


@dataclass
class Fetched:
    url: str
    final_url: str
    status: int
    content_type: str | None
    body: bytes
    ip: str | None
    fetched_at: str
    redirects: list[str] = field(default_factory=list)
    complete: bool = True  # False when `accept` declined the content after its first bytes


# Cloud metadata and other never-reachable services, refused whatever the settings say.
METADATA_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "169.254.0.0/16",      # link-local: AWS, GCP, Azure, Oracle, DigitalOcean metadata
    "fe80::/10",           # IPv6 link-local
    "fd00:ec2::/32",       # AWS metadata over IPv6 (fd00:ec2::254) and its DNS
    "100.100.100.200/32",  # Alibaba Cloud metadata
    "168.63.129.16/32",    # Azure wire server
    "192.0.0.0/24",        # IETF protocol assignments (Oracle Cloud metadata 192.0.0.192)
))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, IPv4-compatible)."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in _NAT64 or int(address) >> 32 == 0:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(ip: str, allow_private: bool) -> str | None:
    """Why connecting to `ip` is refused, or None. Cloud metadata services, link-local,
    multicast, reserved and unspecified addresses are refused always (also when carried inside
    an IPv6 address); loopback and private ranges unless the workspace allows private
    networks."""
    address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
        ip.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and int(embedded) > 1:  # ::1 and :: stay IPv6
            address = embedded
    if any(address in network for network in METADATA_NETWORKS
           if network.version == address.version):
        return "a link-local or cloud metadata address"
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        return "a multicast, reserved or unspecified address"
    if not allow_private and (address.is_loopback or address.is_private
                              or not address.is_global):
        return "a loopback or private network address"
    return None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address chosen (and checked) beforehand, whatever DNS says later."""

    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._ip = ip

    def connect(self) -> None:
        raw = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


class Fetcher:
    def __init__(self, limits: FetchLimits) -> None:
        self.limits = limits

    def _resolve(self, url: str, host: str, port: int) -> str:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"the host {host} cannot be resolved ({exc})", url) from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for ip in addresses:
            reason = address_refusal(ip, self.limits.allow_private)
            if reason:
                raise FetchError(f"refused: {host} resolves to {ip}, {reason}", url, ip=ip)
        return addresses[0]

    def fetch(self, url: str, accept: Callable[[bytes], bool] | None = None,
              max_bytes: int | None = None) -> Fetched:
        """GET `url`, following redirects. `accept(first_bytes)` may decline the content
        after its first 4 KB (a link that turns out to be a page), which is then not read."""
        max_bytes = max_bytes or self.limits.max_bytes
        deadline = time.monotonic() + self.limits.read_timeout
        current, seen, redirects = url, {url}, list[str]()
        while True:
            response, conn, ip = self._request(url, current, deadline)
            try:
                status = response.status
                if status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                    try:
                        target = urljoin(current, response.getheader("Location", ""))
                    except ValueError:
                        raise FetchError("redirected to a URL that is not valid: "
                                         f"{response.getheader('Location', '')[:200]}", url,
                                         current, status, ip) from None
                    if target in seen:
                        raise FetchError("redirect loop", url, current, status, ip)
                    if len(redirects) >= self.limits.max_redirects:
                        raise FetchError(f"more than {self.limits.max_redirects} redirects",
                                         url, current, status, ip)
                    seen.add(target)
                    redirects.append(target)
                    current = target
                    continue
                if status >= 400:
                    raise FetchError(f"HTTP {status} {response.reason}".strip(), url, current,
                                     status, ip)
                body, complete = self._read(response, conn, url, current, status, ip,
                                            deadline, max_bytes, accept)
                return Fetched(url, current, status, response.getheader("Content-Type"), body,
                               ip, utc_now(), redirects, complete)
            finally:
                conn.close()

    def _request(self, url: str, current: str, deadline: float,
                 ) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection, str]:
        try:
            parts = urlsplit(current)
            hostname = parts.hostname
        except ValueError as exc:
            raise FetchError(f"not a valid URL ({exc}): {current[:200]}", url, current) from None
        if parts.scheme not in ("http", "https") or not hostname:
            raise FetchError(f"not an http(s) URL: {current[:200]}", url, current)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError("the URL has an invalid port", url, current) from None
        ip = self._resolve(url, hostname, port)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timed out", url, current, ip=ip)
        kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        conn = kind(hostname, port, ip, min(self.limits.connect_timeout, remaining))
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            conn.connect()
            conn.sock.settimeout(max(0.05, deadline - time.monotonic()))
            conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*",
                                               "Accept-Encoding": "identity"})
            return conn.getresponse(), conn, ip
        except TimeoutError:
            conn.close()
            raise FetchError("timed out", url, current, ip=ip) from None
        except ssl.SSLError as exc:
            conn.close()
            raise FetchError(f"TLS failed: {exc.reason or exc}", url, current, ip=ip) from None
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise FetchError(f"connection failed: {exc}", url, current, ip=ip) from None

    def _read(self, response: http.client.HTTPResponse, conn: http.client.HTTPConnection,
              url: str, current: str, status: int, ip: str, deadline: float, max_bytes: int,
              accept: Callable[[bytes], bool] | None) -> tuple[bytes, bool]:
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"larger than the limit of {max_bytes:,} bytes "
                             f"({int(length):,} announced)", url, current, status, ip)
        body = bytearray()
        checked = accept is None
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FetchError("timed out while downloading", url, current, status, ip)
                if conn.sock is not None:
                    conn.sock.settimeout(remaining)  # the deadline bounds every read
                chunk = response.read(CHUNK)
                if not chunk:
                    return bytes(body), True
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(f"larger than the limit of {max_bytes:,} bytes", url,
                                     current, status, ip)
                if not checked and len(body) >= 4096:
                    checked = True
                    if accept is not None and not accept(bytes(body)):
                        return bytes(body), False
        except TimeoutError:
            raise FetchError("timed out while downloading", url, current, status, ip) from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"the download broke off: {exc}", url, current, status, ip) from None
