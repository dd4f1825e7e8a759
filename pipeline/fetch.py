"""Feeds and article pages over HTTP, politely and within limits.

One :class:`Fetcher` (one httpx client) serves a run. Every request has connect/read timeouts
and an overall deadline, a cap on the body size (read as a stream, so a huge or endless body is
cut off early) and on redirects; only ``http``/``https`` URLs are followed. At most
``per_host`` requests go to one host at once, ``delay_s`` apart. Pages are kept in a local
cache, so a rerun does not fetch them again; feeds are revalidated (ETag / Last-Modified) on
each run, since they change.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from kiku import __version__
from kiku.config import InputConfig, cache_root
from kiku.errors import InputError

# Content types that can hold a page or a feed; anything else (images, PDFs, archives) is
# refused before its body is read. A missing type is sniffed from the body instead.
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss", "application/atom",
               "application/rdf", "application/json")


class FetchError(InputError):
    """A URL could not be fetched; the message says why and names the URL."""


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    #: The URL after redirects.
    final_url: str
    content_type: str | None
    body: bytes
    #: The server's Last-Modified (else Date) header: a reference for yearless dates.
    modified: datetime | None
    from_cache: bool = False


def check_url(url: str) -> None:
    """Refuse anything but an absolute http(s) URL, before any request is made."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'}")
    if not parts.hostname:
        raise FetchError(url, "URL has no host name")


class Fetcher:
    def __init__(self, settings: InputConfig) -> None:
        self.settings = settings
        self.cache = _cache_dir(settings)
        timeout = httpx.Timeout(
            connect=settings.connect_timeout_s,
            read=settings.read_timeout_s,
            write=settings.read_timeout_s,
            pool=settings.total_timeout_s,
        )
        agent = settings.user_agent or f"Kiku/{__version__} (+Japanese news digest)"
        self.agent = agent
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            max_redirects=settings.max_redirects,
            headers={"User-Agent": agent, "Accept-Language": "ja,en;q=0.5"},
            limits=httpx.Limits(max_connections=settings.workers * settings.per_host),
            # A newsroom behind a proxy: the environment's (HTTP(S)_PROXY, NO_PROXY), or [input] proxy.
            trust_env=not settings.proxy,
            proxy=settings.proxy or None,
        )
        #: Each host's robots.txt, read once per run (None: none, or unreadable: all allowed).
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._hosts: dict[str, tuple[threading.Semaphore, list[float]]] = {}
        self._lock = threading.Lock()
        #: Requests actually sent (cache hits and 304s excluded from "fetched").
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, revalidate: bool = False) -> Response:
        """The body at ``url``: from the cache when there (``revalidate``: ask the server
        whether it changed), else fetched. Raises :class:`FetchError` with the reason."""
        check_url(url)
        cached = self._cached(url)
        if cached is not None and not revalidate:
            return cached
        headers = {}
        if cached is not None:
            meta = self._meta(url)
            if meta.get("etag"):
                headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                headers["If-Modified-Since"] = meta["last_modified"]
        with self._host_slot(url):
            try:
                return self._within_deadline(url, lambda: self._request(url, headers, cached))
            except httpx.TooManyRedirects:
                raise FetchError(url, f"redirected more than {self.settings.max_redirects} times (a redirect loop?)") from None
            except httpx.UnsupportedProtocol as exc:
                raise FetchError(url, f"redirected to a URL that is not http or https ({exc})") from None
            except httpx.ConnectTimeout:
                raise FetchError(url, f"no connection within {self.settings.connect_timeout_s:g} s") from None
            except httpx.TimeoutException:
                raise FetchError(url, f"the server did not answer within {self.settings.read_timeout_s:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(url, f"request failed ({type(exc).__name__}: {exc})") from None

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets this User-Agent fetch ``url`` (read once per host
        and run, through the same client, limits and cache; a missing or unreadable robots.txt
        allows everything, as the convention has it)."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            host_lock = self._robots_locks.setdefault(host, threading.Lock())
        with host_lock:  # the pages of one host are fetched in parallel: read its rules once
            if host not in self._robots:
                rules: urllib.robotparser.RobotFileParser | None = None
                try:
                    response = self.get(f"{host}/robots.txt", revalidate=True)
                    rules = urllib.robotparser.RobotFileParser()
                    rules.parse(response.body.decode("utf-8", "replace").splitlines())
                except FetchError:
                    rules = None
                self._robots[host] = rules
        rules = self._robots[host]
        return rules is None or rules.can_fetch(self.agent, url)

    def _within_deadline(self, url: str, request: Callable[[], Response]) -> Response:
        """``request()``, given up on after ``input.total_timeout_s``. httpx's timeouts apply to
        each read: a server that sends its status line and headers a byte at a time, each in
        time, would hold the run forever. The request runs in a daemon thread that is left to
        its server when the deadline passes (it ends when the server does, or with the process)."""
        done: dict[str, Any] = {}

        def work() -> None:
            try:
                done["value"] = request()
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
                done["error"] = exc

        thread = threading.Thread(target=work, name=f"kiku-fetch {url}", daemon=True)
        thread.start()
        thread.join(self.settings.total_timeout_s + 1.0)
        if thread.is_alive():
            raise FetchError(url, f"took longer than {self.settings.total_timeout_s:g} s (input.total_timeout_s); the server is too slow")
        if "error" in done:
            raise done["error"]
        return done["value"]

    def get_many(self, urls: Iterable[str]) -> Iterator[Response | FetchError]:
        """Fetch several pages at once (``workers`` threads, ``per_host`` per host); results
        come back in the order of ``urls``."""
        urls = list(urls)
        if not urls:
            return

        def one(url: str) -> Response | FetchError:
            try:
                if self.settings.robots and not self.allowed(url):
                    raise FetchError(url, f"the site's robots.txt does not allow {self.agent.split()[0]} to fetch this page; not fetched")
                return self.get(url)
            except FetchError as exc:
                return exc

        with ThreadPoolExecutor(max_workers=self.settings.workers) as pool:
            yield from pool.map(one, urls)

    def _request(self, url: str, headers: dict[str, str], cached: Response | None) -> Response:
        s = self.settings
        deadline = time.monotonic() + s.total_timeout_s
        self.requests += 1
        with self.client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304 and cached is not None:
                return cached
            if response.status_code >= 400:
                raise FetchError(url, f"the server answered {response.status_code} {response.reason_phrase}")
            ctype = response.headers.get("content-type")
            if ctype and not ctype.lower().startswith(_TEXT_TYPES):
                raise FetchError(url, f"is {ctype.split(';')[0]}, not an HTML page or a feed")
            length = response.headers.get("content-length")
            if length and length.isdigit() and int(length) > s.max_bytes:
                raise FetchError(url, f"is {int(length):,} bytes, over the {s.max_bytes:,}-byte limit (input.max_bytes)")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > s.max_bytes:
                    raise FetchError(url, f"is over the {s.max_bytes:,}-byte limit (input.max_bytes); stopped reading")
                if time.monotonic() > deadline:
                    raise FetchError(url, f"took longer than {s.total_timeout_s:g} s (input.total_timeout_s)")
                chunks.append(chunk)
            body = b"".join(chunks)
            modified = _http_date(response.headers.get("last-modified") or response.headers.get("date"))
            result = Response(url, str(response.url), ctype, body, modified)
            self._store(url, result, response.headers)
            return result

    # -- politeness ---------------------------------------------------------------------------

    def _host_slot(self, url: str) -> "_HostSlot":
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = (threading.Semaphore(self.settings.per_host), [0.0])
            return _HostSlot(*self._hosts[host], self.settings.delay_s, self._lock)

    # -- cache --------------------------------------------------------------------------------

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.cache / f"{key}.body", self.cache / f"{key}.json"

    def _meta(self, url: str) -> dict:
        try:
            return json.loads(self._paths(url)[1].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _cached(self, url: str) -> Response | None:
        body_path, _ = self._paths(url)
        meta = self._meta(url)
        if meta.get("url") != url:
            return None
        try:
            body = body_path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            return None  # a torn or edited entry: fetch again
        return Response(url, meta["final_url"], meta.get("content_type"), body,
                        _http_date(meta.get("last_modified") or meta.get("date")), from_cache=True)

    def _store(self, url: str, response: Response, headers: httpx.Headers) -> None:
        body_path, meta_path = self._paths(url)
        meta = {
            "url": url,
            "final_url": response.final_url,
            "content_type": response.content_type,
            "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"),
            "date": headers.get("date"),
            "sha256": hashlib.sha256(response.body).hexdigest(),
        }
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            # Body first, then its metadata, each by rename: a reader sees a whole entry or none.
            for path, data in ((body_path, response.body), (meta_path, json.dumps(meta).encode("utf-8"))):
                tmp = path.with_suffix(f".tmp{os.getpid()}.{threading.get_ident()}")
                tmp.write_bytes(data)
                os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs a fetch next time


class _HostSlot:
    """Holds one of a host's ``per_host`` slots and keeps requests ``delay`` seconds apart."""

    def __init__(self, sem: threading.Semaphore, last: list[float], delay: float, lock: threading.Lock) -> None:
        self.sem, self.last, self.delay, self.lock = sem, last, delay, lock

    def __enter__(self) -> None:
        self.sem.acquire()
        with self.lock:
            start = max(time.monotonic(), self.last[0] + self.delay)
            self.last[0] = start
        time.sleep(max(0.0, start - time.monotonic()))

    def __exit__(self, *exc: object) -> None:
        self.sem.release()


def _cache_dir(settings: InputConfig) -> Path:
    return Path(settings.cache_dir).expanduser() if settings.cache_dir else cache_root() / "http"


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
