"""The review queue: non-draft reports in the viewer's scope, filtered, sorted and paginated by
keyset (the page after or before a cursor holding the sort key and id, or the last page read from
the end), so page 1,000 costs what page 1 does given an index on (sort column, id)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Integer, func, literal, or_, select, tuple_
from sqlalchemy.orm import joinedload, lazyload, load_only

from observer.dashboard.queries import ReportFilter
from observer.extensions import db
from observer.models import Attachment, Report, User
from observer.review.holds import held_by_others

PAGE_SIZE = 25

# sort name -> (column, descending). The id breaks ties in the same direction, so the pair is a
# total order and a row-value comparison continues exactly where the previous page stopped.
SORTS = {
    "oldest": (Report.submitted_at, False),
    "newest": (Report.submitted_at, True),
    "occurred": (Report.occurred_on, True),
    "severity": (Report.severity, True),
}
DEFAULT_SORT = "oldest"  # triage: whoever has waited longest comes first


class InvalidCursor(ValueError):
    """The `after` parameter was not produced by this queue for this sort order."""


@dataclass(frozen=True)
class QueueQuery:
    report_filter: ReportFilter = field(default_factory=lambda: ReportFilter(statuses=()))
    observer_codes: tuple[str, ...] = ()
    text: str | None = None
    sort: str = DEFAULT_SORT
    # The viewer's id when reports other coordinators hold are left out (the default).
    skip_held_for: int | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        where = self.report_filter.conditions()
        if self.skip_held_for is not None:
            where.append(~held_by_others(self.skip_held_for))
        if self.observer_codes:
            where.append(
                Report.author_id.in_(
                    select(User.id).where(User.observer_code.in_(self.observer_codes))
                )
            )
        if self.text:
            pattern = like_pattern(self.text)
            where.append(
                or_(
                    Report.title.ilike(pattern, escape="\\"),
                    Report.narrative.ilike(pattern, escape="\\"),
                )
            )
        return where


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with the user's % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class QueuePage:
    reports: list[Report]
    next_cursor: str | None


def _key_to_json(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def encode_cursor(sort: str, report: Report) -> str:
    column, _descending = SORTS[sort]
    payload = [sort, _key_to_json(getattr(report, column.key)), report.id]
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, sort: str):
    """(sort key, id) from a cursor; InvalidCursor if it is malformed or for another order."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        cursor_sort, key, report_id = json.loads(raw)
        if cursor_sort != sort or not isinstance(report_id, int):
            raise InvalidCursor(token)
        if sort in ("newest", "oldest"):
            key = datetime.fromisoformat(key)
            if key.tzinfo is None:
                raise InvalidCursor(token)
        elif sort == "occurred":
            key = date.fromisoformat(key)
        elif not isinstance(key, int):
            raise InvalidCursor(token)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise InvalidCursor(token) from error
    return key, report_id


def fetch_page(
    query: QueueQuery, after: str | None = None, page_size: int = PAGE_SIZE
) -> QueuePage:
    rows, more = _read(query, after, page_size)
    next_cursor = encode_cursor(query.sort, rows[-1]) if more else None
    return QueuePage(rows, next_cursor)


def _read(query: QueueQuery, cursor: str | None, size: int, *, backwards: bool = False):
    """Up to `size` reports next to `cursor` (after it, or before it when `backwards`; from the
    start, or from the end, without one), in the queue's order, and whether more lie beyond.
    The page's ids are chosen by a query over `reports` alone (an index range scan in sort
    order, stopped by LIMIT, read backwards for a page before the cursor), and only then joined
    to what a row shows: with the joins in the same query PostgreSQL misjudged how many rows a
    filter keeps and sorted all 10,000 waiting reports for every page (80-300 ms instead of
    under 1 ms at a million reports)."""
    ids, order = _ids(query, cursor, size + 1, backwards=backwards)
    stmt = (
        select(Report)
        .where(Report.id.in_(ids))
        .options(
            joinedload(Report.criterion),
            joinedload(Report.region),
            joinedload(Report.district),
            # Only the pseudonymous code of the author is ever shown here.
            joinedload(Report.author).options(
                load_only(User.id, User.observer_code), lazyload(User.regions)
            ),
        )
    )
    rows = list(db.session.execute(stmt.order_by(*order)).unique().scalars())
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return rows, more


def counts_by_status(query: QueueQuery) -> dict[str, int]:
    """How many reports each status holds under every filter except the status filter itself,
    so the coordinator sees where the rest of the matching reports are (one GROUP BY)."""
    unfiltered = replace(query, report_filter=replace(query.report_filter, statuses=()))
    rows = db.session.execute(
        select(Report.status, func.count(Report.id))
        .where(*unfiltered.conditions())
        .group_by(Report.status)
    )
    return {status: count for status, count in rows}


def page_ids(query: QueueQuery, after: str | None, page_size: int):
    """SELECT of the ids of one page, in the queue's order (reports alone, no joins)."""
    return _ids(query, after, page_size)


def _ids(query: QueueQuery, cursor: str | None, limit: int, *, backwards: bool = False):
    """SELECT of up to `limit` ids after `cursor` in the queue's order or, `backwards`, before
    it in the reverse order (nearest first); the ORDER BY it reads them in."""
    column, descending = SORTS[query.sort]
    reverse = descending != backwards
    ids = select(Report.id).where(*query.conditions())
    if cursor:
        key, cursor_id = decode_cursor(cursor, query.sort)
        position = tuple_(column, Report.id)
        bound = tuple_(literal(key, column.type), literal(cursor_id, Integer()))
        ids = ids.where(position < bound if reverse else position > bound)
    elif backwards:
        # The last page, read from the end: PostgreSQL keeps NULLs (the drafts' submission
        # times) at that end of the index, and without this walked through all of them first.
        ids = ids.where(column.is_not(None))
    order = (column.desc(), Report.id.desc()) if reverse else (column.asc(), Report.id.asc())
    return ids.order_by(*order).limit(limit), order


def next_in_queue(query: QueueQuery, current) -> int | None:
    """The id of the report after `current` (anything with the sort keys and an id) in this
    queue's order, or else of the first one (the queue is worked from the top, and reports
    decided meanwhile have left it); None when empty."""
    after, _ = page_ids(query, encode_cursor(query.sort, current), 1)
    found = db.session.execute(after).scalar()
    if found is not None:
        return found
    first, _ = page_ids(query, None, 2)
    return next((i for i in db.session.execute(first).scalars() if i != current.id), None)


def evidence_counts(report_ids: list[int]) -> dict[int, int]:
    """How many files each of these reports carries (one GROUP BY over one page)."""
    if not report_ids:
        return {}
    rows = db.session.execute(
        select(Attachment.report_id, func.count(Attachment.id))
        .where(Attachment.report_id.in_(report_ids))
        .group_by(Attachment.report_id)
    )
    return dict(rows.all())


# --- paging: first, previous, next, last, and "page X of Y" ---------------------------------
#
# A page is reached from the start (First), from the end (Last: the queue read in reverse, the
# last page holding the remainder so that its pages line up with those counted from the start),
# or next to a cursor: `after` (Next) or `before` (Previous, read backwards and turned round).
# No page ever costs an OFFSET. The page number travels in the links beside the cursor; it only
# labels the page, never chooses its rows, and what the rows show overrules it (no report
# before the page: page 1; none after it: the last page).

PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
LAST = "last"


@dataclass(frozen=True)
class Position:
    """Where a request asks to be in the queue; `number` is the page number its link carried
    (None when it carried none, as in links made before page numbers were)."""

    after: str | None = None
    before: str | None = None
    last: bool = False
    number: int | None = None


FIRST = Position()


def read_position(args, sort: str) -> Position:
    """The position of the `after`, `before` and `page` parameters (a mapping with .get);
    InvalidCursor for a cursor this queue did not make for this order, or a page number that
    is not one (or that contradicts the rest: a number without a cursor, "last" with one)."""
    after = args.get("after") or None
    before = args.get("before") or None
    page = args.get("page") or None
    if after and before:
        raise InvalidCursor("after and before")
    if page == LAST:
        if after or before:
            raise InvalidCursor(page)
        return Position(last=True)
    number = None
    if page is not None:
        if not PAGE_NUMBER.fullmatch(page):
            raise InvalidCursor(page)
        number = int(page)
    cursor = after or before
    if cursor is None:
        if number not in (None, 1):
            raise InvalidCursor(page)
        return FIRST
    decode_cursor(cursor, sort)
    return Position(after=after, before=before, number=number)


@dataclass(frozen=True)
class Paging:
    """One page of the queue and where it stands: page `number` (None: not known) of `pages`."""

    reports: list[Report]
    number: int | None
    pages: int
    previous_cursor: str | None  # None on the first page
    next_cursor: str | None  # None on the last page

    def links(self) -> dict[str, dict[str, str]]:
        """The parameters (beside the queue's filters and order) of the First, Previous, Next
        and Last links, only those that lead somewhere from here."""
        links: dict[str, dict[str, str]] = {}
        if self.previous_cursor:
            links["first"] = {}
            links["previous"] = {"before": self.previous_cursor, **_page_param(self.number, -1)}
        if self.next_cursor:
            links["next"] = {"after": self.next_cursor, **_page_param(self.number, +1)}
            links["last"] = {"page": LAST}
        return links


def _page_param(number: int | None, step: int) -> dict[str, str]:
    return {} if number is None else {"page": str(number + step)}


def page_count(matching: int, page_size: int) -> int:
    """How many pages `matching` reports fill (an empty queue is still one page)."""
    return max(1, -(-matching // page_size))


def settle_number(carried: int | None, *, has_previous: bool, has_next: bool, pages: int):
    """(page number, page count) for a page with or without pages before and after it: the
    carried number where the rows do not contradict it, kept within the count, and the count
    raised where reports arrived since it was taken."""
    if not has_previous:
        number = 1
    elif not has_next:
        number = max(pages, 2)
    elif carried is None:
        return None, max(pages, 3)
    else:
        number = min(max(carried, 2), max(pages - 1, 2))
    return number, max(pages, number + (1 if has_next else 0))


def open_page(
    query: QueueQuery, position: Position, matching: int, page_size: int | None = None
) -> Paging:
    """The page of the queue at `position`; `matching` is how many reports the queue holds
    (the count the page shows anyway), from which the last page's size and the page count
    follow. A cursor past the end gives the last page, one before the start the first."""
    size = page_size or PAGE_SIZE
    pages = page_count(matching, size)
    if position.last:
        remainder = matching - (pages - 1) * size
        rows, has_previous = (
            _read(query, None, remainder, backwards=True) if pages > 1 else ([], False)
        )
        if not has_previous:
            return open_page(query, FIRST, matching, size)
        has_next = False
    elif position.before:
        rows, has_previous = _read(query, position.before, size, backwards=True)
        if not has_previous:
            return open_page(query, FIRST, matching, size)
        has_next = _beyond(query, rows[-1])
    elif position.after:
        rows, has_next = _read(query, position.after, size)
        if not rows:
            return open_page(query, Position(last=True), matching, size)
        has_previous = _beyond(query, rows[0], backwards=True)
    else:
        rows, has_next = _read(query, None, size)
        has_previous = False
    number, pages = settle_number(
        position.number, has_previous=has_previous, has_next=has_next, pages=pages
    )
    return Paging(
        reports=rows,
        number=number,
        pages=pages,
        previous_cursor=encode_cursor(query.sort, rows[0]) if has_previous else None,
        next_cursor=encode_cursor(query.sort, rows[-1]) if has_next else None,
    )


def _beyond(query: QueueQuery, report: Report, *, backwards: bool = False) -> bool:
    """Whether any report of the queue comes after `report` (before it, `backwards`)."""
    ids, _ = _ids(query, encode_cursor(query.sort, report), 1, backwards=backwards)
    return db.session.execute(ids).first() is not None


def matching_count(query: QueueQuery, counts: dict[str, int]) -> int:
    """How many reports the queue holds, from its counts per status."""
    return sum(counts.get(status, 0) for status in query.report_filter.statuses)
