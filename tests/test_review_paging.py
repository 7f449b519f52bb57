"""The review queue's pages: "Page X of Y", First, Previous, Next and Last, each by keyset in
one direction or the other (never OFFSET), filters and order kept in every link, and a forged
cursor or page number answered with a message and the first page."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from observer.models import Status
from observer.review import queue
from observer.review.queue import (
    FIRST,
    InvalidCursor,
    Paging,
    Position,
    QueueQuery,
    encode_cursor,
    fetch_page,
    open_page,
    page_count,
    read_position,
    settle_number,
)
from tests.factories import make_report, pick_criterion
from tests.factories_review import people_fixture  # noqa: F401

REF = re.compile(r'class="queue-link"><strong class="mono">(R-\d{4}-\d{6})')
SIZE = 10


def refs(response) -> list[str]:
    return REF.findall(response.get_data(as_text=True))


def fake(report_id: int, minute: int = 0):
    """Anything with the sort keys and an id serves as a cursor's row."""
    return SimpleNamespace(
        id=report_id, submitted_at=datetime(2024, 2, 20, 12, minute, tzinfo=UTC), severity=3
    )


def pager_links(response) -> dict[str, str]:
    """rel → href of the queue's page links."""
    text = response.get_data(as_text=True)
    nav = re.search(r'<nav class="pager pager-full".*?</nav>', text, re.S)
    if nav is None:
        return {}
    found = re.findall(r'href="([^"]+)" rel="(\w+)"', nav.group(0))
    return {rel: html_lib.unescape(href) for href, rel in found}


def place(response) -> str | None:
    match = re.search(r'<p class="pager-place" aria-current="page">([^<]+)</p>', response.text)
    return match.group(1) if match else None


# --- plain functions ------------------------------------------------------------------------


def test_read_position_accepts_what_the_links_carry():
    cursor = encode_cursor("oldest", fake(7))
    assert read_position({}, "oldest") == FIRST
    assert read_position({"page": "1"}, "oldest") == FIRST
    assert read_position({"page": "last"}, "oldest") == Position(last=True)
    assert read_position({"after": cursor, "page": "4"}, "oldest") == Position(
        after=cursor, number=4
    )
    assert read_position({"before": cursor, "page": "1"}, "oldest") == Position(
        before=cursor, number=1
    )
    # A link made before pages had numbers: the position is known, its number is not.
    assert read_position({"after": cursor}, "oldest") == Position(after=cursor)


@pytest.mark.parametrize(
    "args",
    [
        {"page": "0"},
        {"page": "-2"},
        {"page": "abc"},
        {"page": "2"},  # a page number without a cursor names no page
        {"page": "1" * 12},
        {"page": "last", "after": "CURSOR"},
        {"after": "CURSOR", "before": "CURSOR"},
        {"after": "CURSOR", "page": "2.5"},
        {"after": "not-a-cursor", "page": "2"},
        {"before": "eyJ4Ijox", "page": "2"},
        {"after": "CURSOR-OF-ANOTHER-ORDER", "page": "2"},
    ],
)
def test_read_position_refuses_forged_parameters(args):
    cursor = encode_cursor("oldest", fake(7))
    other = encode_cursor("severity", fake(7))
    args = {
        key: value.replace("CURSOR-OF-ANOTHER-ORDER", other).replace("CURSOR", cursor)
        for key, value in args.items()
    }
    with pytest.raises(InvalidCursor):
        read_position(args, "oldest")


def test_page_count_and_settled_numbers():
    assert page_count(0, 10) == 1
    assert page_count(10, 10) == 1
    assert page_count(55, 10) == 6
    # Nothing before: page 1, whatever the link said.
    assert settle_number(4, has_previous=False, has_next=True, pages=6) == (1, 6)
    # Nothing after: the last page.
    assert settle_number(2, has_previous=True, has_next=False, pages=6) == (6, 6)
    assert settle_number(None, has_previous=True, has_next=False, pages=6) == (6, 6)
    # In between: the carried number, kept within the count.
    assert settle_number(3, has_previous=True, has_next=True, pages=6) == (3, 6)
    assert settle_number(999, has_previous=True, has_next=True, pages=6) == (5, 6)
    assert settle_number(1, has_previous=True, has_next=True, pages=6) == (2, 6)
    assert settle_number(None, has_previous=True, has_next=True, pages=6) == (None, 6)
    # Reports arrived since the count: never "page 3 of 2".
    assert settle_number(2, has_previous=True, has_next=True, pages=1) == (2, 3)


def test_links_lead_only_where_there_is_a_page():
    only = Paging(reports=[], number=1, pages=1, previous_cursor=None, next_cursor=None)
    assert only.links() == {}
    first = Paging(reports=[], number=1, pages=3, previous_cursor=None, next_cursor="N")
    assert first.links() == {"next": {"after": "N", "page": "2"}, "last": {"page": "last"}}
    middle = Paging(reports=[], number=2, pages=3, previous_cursor="P", next_cursor="N")
    assert middle.links() == {
        "first": {},
        "previous": {"before": "P", "page": "1"},
        "next": {"after": "N", "page": "3"},
        "last": {"page": "last"},
    }
    unknown = Paging(reports=[], number=None, pages=3, previous_cursor="P", next_cursor="N")
    assert unknown.links()["next"] == {"after": "N"}
    assert unknown.links()["previous"] == {"before": "P"}


# --- pages from the database ----------------------------------------------------------------


@pytest.fixture
def waiting55(people):
    return [make_report(people.observer, status=Status.SUBMITTED) for _ in range(55)]


def ids(paging) -> list[int]:
    return [r.id for r in paging.reports]


@pytest.mark.parametrize("sort", ["oldest", "newest", "severity"])
def test_forwards_and_backwards_give_the_same_pages(db, people, waiting55, sort):
    query = QueueQuery(sort=sort)
    order = ids(fetch_page(query, None, page_size=100))
    expected = [order[i : i + SIZE] for i in range(0, 55, SIZE)]
    page = open_page(query, FIRST, 55, SIZE)
    forwards = [page]
    while page.next_cursor:
        link = page.links()["next"]
        page = open_page(query, read_position(link, sort), 55, SIZE)
        forwards.append(page)
    assert [ids(p) for p in forwards] == expected
    assert [(p.number, p.pages) for p in forwards] == [(n, 6) for n in range(1, 7)]

    page = open_page(query, read_position({"page": "last"}, sort), 55, SIZE)
    backwards = [page]
    while page.previous_cursor:
        page = open_page(query, read_position(page.links()["previous"], sort), 55, SIZE)
        backwards.append(page)
    assert [ids(p) for p in reversed(backwards)] == expected
    assert [p.number for p in backwards] == [6, 5, 4, 3, 2, 1]


def test_a_cursor_past_either_end_gives_the_last_or_first_page(db, people, waiting55):
    query = QueueQuery()
    order = ids(fetch_page(query, None, page_size=100))
    last_row = fetch_page(query, None, page_size=100).reports[-1]
    past_end = open_page(query, Position(after=encode_cursor("oldest", last_row), number=7), 55, 10)
    assert ids(past_end) == order[50:] and past_end.number == 6
    first_row = fetch_page(query, None, page_size=1).reports[0]
    before_start = open_page(
        query, Position(before=encode_cursor("oldest", first_row), number=3), 55, 10
    )
    assert ids(before_start) == order[:10] and before_start.number == 1


def test_no_page_in_either_direction_uses_offset(db, people, waiting55):
    query = QueueQuery()
    statements = []

    def capture(conn, cursor, statement, parameters, *args):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        last = open_page(query, Position(last=True), 55, SIZE)
        open_page(query, read_position(last.links()["previous"], "oldest"), 55, SIZE)
        open_page(query, read_position(last.links()["first"], "oldest"), 55, SIZE)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert statements
    for statement, parameters in statements:
        # SQLite's dialect always writes "LIMIT ? OFFSET ?"; with the parameters in place every
        # offset must be 0 (PostgreSQL's writes no OFFSET at all).
        if isinstance(parameters, dict):
            assert "OFFSET" not in statement.upper(), statement
            continue
        pieces = statement.split("?")
        filled = "".join(
            p + (repr(v) if i < len(parameters) else "")
            for i, (p, v) in enumerate(zip(pieces, list(parameters) + [None], strict=False))
        )
        assert all(value == "0" for value in re.findall(r"OFFSET (\d+)", filled.upper())), filled


# --- through the endpoint -------------------------------------------------------------------


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(queue, "PAGE_SIZE", SIZE)


def test_walk_the_queue_with_next_then_back_with_previous(
    client, people, login_as, waiting55, small_pages
):
    login_as(people.coordinator)
    order = [r.reference for r in waiting55]
    expected = [order[i : i + SIZE] for i in range(0, 55, SIZE)]
    response = client.get("/review/")
    seen = []
    for number in range(1, 7):
        assert response.status_code == 200
        assert place(response) == f"Page {number} of 6"
        seen.append(refs(response))
        links = pager_links(response)
        assert ("prev" in links) == ("first" in links) == (number > 1)
        assert ("next" in links) == ("last" in links) == (number < 6)
        if number < 6:
            response = client.get(links["next"])
    assert seen == expected
    for number in range(5, 0, -1):
        response = client.get(pager_links(response)["prev"])
        assert place(response) == f"Page {number} of 6"
        assert refs(response) == expected[number - 1]
    assert "prev" not in pager_links(response)


def test_last_then_previous_then_first(client, people, login_as, waiting55, small_pages):
    login_as(people.coordinator)
    order = [r.reference for r in waiting55]
    last = client.get(pager_links(client.get("/review/"))["last"])
    assert place(last) == "Page 6 of 6"
    assert refs(last) == order[50:]
    previous = client.get(pager_links(last)["prev"])
    assert place(previous) == "Page 5 of 6"
    assert refs(previous) == order[40:50]
    first = client.get(pager_links(previous)["first"])
    assert place(first) == "Page 1 of 6"
    assert refs(first) == order[:10]


def test_every_link_keeps_the_filters_and_the_order(client, people, login_as, small_pages):
    for _ in range(25):
        make_report(people.observer, status=Status.SUBMITTED)
    for _ in range(3):
        make_report(people.observer, status=Status.SUBMITTED, criterion="ED-01")
    cam = pick_criterion("CAM-05").id
    login_as(people.coordinator)
    response = client.get(f"/review/?criterion={cam}&sort=newest")
    assert place(response) == "Page 1 of 3"
    response = client.get(pager_links(response)["next"])
    links = pager_links(response)
    assert set(links) == {"first", "prev", "next", "last"}
    for href in links.values():
        assert f"criterion={cam}" in href and "sort=newest" in href
    last = client.get(links["last"])
    assert place(last) == "Page 3 of 3" and len(refs(last)) == 5
    assert all(f"criterion={cam}" in href for href in pager_links(last).values())


@pytest.mark.parametrize(
    "query",
    [
        "after=bm90LWEtY3Vyc29y&page=2",
        "before=%%%&page=2",
        "page=abc",
        "page=0",
        "page=4",
        "page=last&after=CURSOR",
        "after=CURSOR&page=-1",
    ],
)
def test_a_forged_cursor_or_page_gives_the_message_and_the_first_page(
    client, people, login_as, waiting55, small_pages, query
):
    cursor = encode_cursor("oldest", waiting55[20])
    login_as(people.coordinator)
    response = client.get("/review/?" + query.replace("CURSOR", cursor))
    assert response.status_code == 400
    assert "This page link is no longer valid. Showing the first page." in response.text
    assert refs(response) == [r.reference for r in waiting55[:SIZE]]
    assert place(response) == "Page 1 of 6"


def test_a_link_without_a_page_number_still_pages(client, people, login_as, waiting55, small_pages):
    # As the links made before pages had numbers (and bench/ still asks): the page is shown,
    # its number is not claimed.
    cursor = encode_cursor("oldest", waiting55[19])
    login_as(people.coordinator)
    response = client.get(f"/review/?after={cursor}")
    assert response.status_code == 200
    assert refs(response) == [r.reference for r in waiting55[20:30]]
    assert place(response) == "6 pages"
    assert "page=" not in pager_links(response)["next"]


def test_an_empty_queue_has_no_pager(client, people, login_as, small_pages):
    login_as(people.coordinator)
    response = client.get("/review/")
    assert response.status_code == 200
    assert "No reports match these filters." in response.text
    assert pager_links(response) == {} and place(response) is None
    last = client.get("/review/?page=last")
    assert last.status_code == 200 and refs(last) == []
