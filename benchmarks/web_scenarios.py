"""Scenario 13 (issue 23): the web page of a collection of the 1,000 x 10 set (11,000
entities), its first page and its twentieth (50 entries each, the default), against the API's
list of the same collection's dashboards, `GET /api/public/dashboard?collectionId=`; and the
page's size in bytes, at the largest page size (100 entries), against the issue's 100 KB.
A page asked again while nothing is written is kept by the server, so the first page is also
timed just after a write (a collection created), when it is read from the database again.

The first `import_dashboards` dashboards are imported into a collection of the bench's server;
the bench signs in to the pages as a browser does (the sign-in form's token and pre-session
cookie, then the session cookie). Each run times `REPEATS` requests of each kind, in turn, and
records their medians, so a steady drift in the machine's load touches all three alike."""

from __future__ import annotations

import http.client
import re
import statistics
from urllib.parse import urlencode

from benchmarks.client import request
from benchmarks.paths import TOKEN
from benchmarks.results import (
    API_LIST_TIME,
    COLLECTION_PAGE,
    ENTITIES,
    PAGE_1_TIME,
    PAGE_20_TIME,
    PAGE_AFTER_WRITE_TIME,
    PAGE_SIZE,
    PAGE_SIZE_LIMIT,
)
from benchmarks.scenarios import Bench, create_collection, prepared_collection

REPEATS = 15
PAGE_BYTES_LIMIT = 100 * 1024
_TOKEN_FIELD = re.compile(rb'name="_csrf_token" value="([^"]+)"')


def _cookie(cookies: list[str], name: str) -> str:
    """`name=value` of the cookie among the answer's Set-Cookie headers."""
    for cookie in cookies:
        if cookie.startswith(f"{name}=") and not cookie.startswith(f'{name}=""'):
            return cookie.split(";", 1)[0]
    raise RuntimeError(f"no {name} cookie in {cookies}")


def _exchange(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, bytes, list[str]]:
    """(status, body, Set-Cookie headers): each cookie apart, which `request` cannot give."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.msg.get_all("Set-Cookie") or []
    finally:
        connection.close()


def signed_in_cookie(port: int) -> str:
    """The session cookie of a browser signed in with the bench's token."""
    status, form, cookies = _exchange(port, "GET", "/sign-in", None, {})
    token = _TOKEN_FIELD.search(form)
    if status != 200 or token is None:
        raise RuntimeError(f"the sign-in form answered {status}")
    body = urlencode({"token": TOKEN, "_csrf_token": token.group(1).decode(), "back": "/"})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": _cookie(cookies, "boardport_sign_in"),
    }
    status, _, cookies = _exchange(port, "POST", "/sign-in", body.encode(), headers)
    if status != 303:
        raise RuntimeError(f"signing in answered {status}")
    return _cookie(cookies, "boardport_session")


def collection_page(bench: Bench, run: int, payload: str) -> str:
    """Scenario 13: see the module's text."""
    record = bench.recorder(COLLECTION_PAGE, payload, run)
    with bench.server() as server:
        port = server.port
        collection = prepared_collection(port, payload, f"collection page run {run}")
        loaded = request(
            port,
            "POST",
            f"/api/public/import?collectionId={collection}",
            bench.import_file(payload, port),
        )
        if loaded.status != 200:
            raise RuntimeError(f"loading the collection answered {loaded.describe()}")
        entities, _reports = bench.import_counts(payload)
        cookie = {"Cookie": signed_in_cookie(port)}
        page = f"/collections/{collection}"
        asked = {
            PAGE_1_TIME: (page, cookie, None),
            PAGE_20_TIME: (f"{page}?page=20", cookie, None),
            API_LIST_TIME: (f"/api/public/dashboard?collectionId={collection}", {}, TOKEN),
        }
        timed: dict[str, list[float]] = {name: [] for name in [*asked, PAGE_AFTER_WRITE_TIME]}
        with bench.profiled(server, f"collection-page-{payload}"):
            for _ in range(REPEATS):
                for name, (path, headers, token) in asked.items():
                    answer = request(port, "GET", path, token=token, headers=headers)
                    if answer.status != 200:
                        raise RuntimeError(f"GET {path} answered {answer.describe()}")
                    timed[name].append(answer.seconds)
            for n in range(REPEATS):
                create_collection(port, f"a write before page 1, {n}")
                answer = request(port, "GET", page, token=None, headers=cookie)
                if answer.status != 200:
                    raise RuntimeError(f"GET {page} answered {answer.describe()}")
                timed[PAGE_AFTER_WRITE_TIME].append(answer.seconds)
        widest = request(port, "GET", f"{page}?size=100", token=None, headers=cookie)
        twentieth = request(port, "GET", f"{page}?page=20", token=None, headers=cookie)
        server.check_alive()
    if b"Page 20 of" not in twentieth.body:
        raise RuntimeError("the twentieth page does not say it is")
    medians = {name: statistics.median(times) for name, times in timed.items()}
    for name, seconds in medians.items():
        record(name, seconds, "s")
    record(PAGE_SIZE, len(widest.body), "B")
    record(PAGE_SIZE_LIMIT, PAGE_BYTES_LIMIT, "B")
    record(ENTITIES, entities, "count")
    return (
        f"page 1 {medians[PAGE_1_TIME] * 1000:.1f} ms, page 20 "
        f"{medians[PAGE_20_TIME] * 1000:.1f} ms, page 1 after a write "
        f"{medians[PAGE_AFTER_WRITE_TIME] * 1000:.1f} ms, the API's list "
        f"{medians[API_LIST_TIME] * 1000:.1f} ms; 100 entries are {len(widest.body):,} bytes"
    )
