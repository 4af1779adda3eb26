"""From reported URLs to pieces of content: fetch each page, find its media, download them a
few at a time, sniff links and record the ones that are pages. Yields as downloads finish."""

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from app.intake.page import Candidate, decode_data_uri, decode_html, find_media
from app.intake.sniff import FileKind, sniff
from app.jobs import Cancelled, CancelToken
from app.web import Fetched, Fetcher, FetchError


@dataclass(frozen=True)
class Found:
    """Content to hash and store, with where it came from."""

    source: str
    data: bytes
    page: str | None = None
    final_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    ip: str | None = None
    path: Path | None = None  # a local file, read by the worker that hashes it (data empty)
    size: int = 0             # its size when found

    @property
    def bytes_held(self) -> int:
        """Roughly what this input occupies in memory until it is stored."""
        return len(self.data) or self.size


@dataclass(frozen=True)
class Problem:
    source: str
    message: str
    page: str | None = None
    final_url: str | None = None
    http_status: int | None = None
    ip: str | None = None


@dataclass(frozen=True)
class Link:
    """A link on a reported page that is not media: recorded, not crawled."""

    source: str
    page: str
    final_url: str | None
    http_status: int | None
    content_type: str | None
    ip: str | None


Unit = Found | Problem | Link


class _BudgetSpent(Exception):
    """The report's download budget is used up: the crawl ends (the Problem was yielded)."""


def _is_media(head: bytes) -> bool:
    return sniff(head[:512])[0] in (FileKind.IMAGE, FileKind.VIDEO)


def _found(fetched: Fetched, page: str | None) -> Found:
    return Found(fetched.url, fetched.body, page, fetched.final_url, fetched.status,
                 fetched.content_type, fetched.ip)


def _problem(error: FetchError, page: str | None) -> Problem:
    return Problem(error.url, str(error), page, error.final_url, error.status, error.ip)


def _unexpected(url: str, exc: Exception, page: str | None) -> Problem:
    """Anything else that went wrong with one URL: that URL's error, nothing more."""
    return Problem(url[:2000], f"could not be read ({type(exc).__name__}: {exc})"[:500], page)


class Crawler:
    def __init__(self, fetcher: Fetcher, max_page_bytes: int, max_media_bytes: int,
                 max_report_bytes: int, concurrency: int, cancel: CancelToken) -> None:
        self._fetcher = fetcher
        self._max_page = max_page_bytes
        self._max_media = max_media_bytes
        self._budget = max_report_bytes
        self._concurrency = concurrency
        self._cancel = cancel

    def _spend(self, n: int) -> bool:
        self._budget -= n
        return self._budget >= 0

    def crawl(self, urls: Iterable[str], done: Callable[[str], bool]) -> Iterator[Unit]:
        """Each reported URL: a page (its media follow) or media itself. URLs `done` says
        were stored by an earlier run of the same report are not fetched again."""
        with ThreadPoolExecutor(self._concurrency, thread_name_prefix="fetch") as pool:
            try:
                yield from self._each(pool, urls, done)
            except _BudgetSpent:
                return

    def _each(self, pool: ThreadPoolExecutor, urls: Iterable[str],
              done: Callable[[str], bool]) -> Iterator[Unit]:
        for url in urls:
            self._cancel.check()
            url = url.strip()
            if not url or done(url):
                continue
            try:
                yield from self._reported(pool, url, done)
            except (Cancelled, _BudgetSpent):
                raise
            except Exception as exc:  # any failure of one URL is that URL's error
                yield _unexpected(url, exc, None)

    def _reported(self, pool: ThreadPoolExecutor, url: str,
                  done: Callable[[str], bool]) -> Iterator[Unit]:
        try:
            fetched = self._fetcher.fetch(url, max_bytes=max(self._max_page, self._max_media))
        except FetchError as exc:
            yield _problem(exc, None)
            return
        if not self._spend(len(fetched.body)):
            yield Problem(url, "the report's download budget is used up")
            raise _BudgetSpent
        kind, _ = sniff(fetched.body[:512])
        if kind is not FileKind.HTML:
            yield _found(fetched, None)
            return
        if len(fetched.body) > self._max_page:
            yield Problem(url, f"the page is larger than {self._max_page:,} bytes")
            return
        html = decode_html(fetched.body, fetched.content_type)
        candidates = [c for c in find_media(html, fetched.final_url)
                      if c.url != url and not done(c.url)]
        yield from self._media(pool, candidates, fetched.final_url)

    def _media(self, pool: ThreadPoolExecutor, candidates: list[Candidate],
               page: str) -> Iterator[Unit]:
        pending: set[Future[Unit | None]] = set()
        queue = list(reversed(candidates))
        while queue or pending:
            self._cancel.check()
            while queue and len(pending) < self._concurrency * 2:
                pending.add(pool.submit(self._one, queue.pop(), page))
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                unit = future.result()
                if unit is None:
                    continue
                if isinstance(unit, Found) and not self._spend(len(unit.data)):
                    yield Problem(unit.source, "the report's download budget is used up", page)
                    for other in pending:
                        other.cancel()
                    raise _BudgetSpent
                yield unit

    def _one(self, candidate: Candidate, page: str) -> Unit | None:
        try:
            return self._candidate(candidate, page)
        except Exception as exc:  # any failure of one candidate is its error
            return _unexpected(candidate.url, exc, page)

    def _candidate(self, candidate: Candidate, page: str) -> Unit | None:
        if candidate.url.startswith("data:"):
            data = decode_data_uri(candidate.url, self._max_media)
            if data is None:
                return Problem(candidate.url[:80] + "…", "a malformed or too large data: URI",
                               page)
            return Found(candidate.url[:80] + "…", data, page) if _is_media(data) else None
        if self._cancel.cancelled:
            return None
        accept = _is_media if candidate.how == "link" else None
        try:
            fetched = self._fetcher.fetch(candidate.url, accept=accept, max_bytes=self._max_media)
        except FetchError as exc:
            return _problem(exc, page)
        if candidate.how == "link" and (not fetched.complete or not _is_media(fetched.body)):
            return Link(candidate.url, page, fetched.final_url, fetched.status,
                        fetched.content_type, fetched.ip)
        return _found(fetched, page)
