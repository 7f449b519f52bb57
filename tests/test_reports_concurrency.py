"""References stay unique and consecutive when many observers submit at the same moment."""

from __future__ import annotations

import threading

from observer.models import User
from observer.reports import service
from observer.reports.service import ReportData
from tests.factories_reports import DEFAULT_DATE, criterion, district_of

SUBMISSIONS = 12


def report_data() -> ReportData:
    crit = criterion("EV-01")
    dist = district_of("BY-VI", 3)
    return ReportData(
        stage_id=crit.stage_id,
        criterion_id=crit.id,
        occurred_on=DEFAULT_DATE,
        region_id=dist.region_id,
        district_id=dist.id,
        title="Conscripts marched to vote early",
        narrative="A unit of conscripts was marched to the polling station on the first day.",
        source_type="witness_account",
        severity=3,
        scope="systematic",
    )


def number(reference: str) -> int:
    return int(reference.rsplit("-", 1)[1])


def test_submissions_get_distinct_consecutive_references(app, db, catalog, make_user):
    observers = [make_user("observer").id for _ in range(SUBMISSIONS)]
    data = report_data()
    references: list[str] = []
    errors: list[BaseException] = []

    def submit(user_id: int, barrier: threading.Barrier | None) -> None:
        with app.app_context(), app.test_request_context():
            try:
                user = db.session.get(User, user_id)
                campaign = db.session.merge(catalog, load=True)
                if barrier is not None:
                    barrier.wait(timeout=30)
                report = service.save_report(user, data, submit=True, campaign=campaign)
                references.append(report.reference)
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    if db.engine.dialect.name == "postgresql":
        barrier = threading.Barrier(SUBMISSIONS)
        threads = [threading.Thread(target=submit, args=(uid, barrier)) for uid in observers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:  # SQLite serialises writers; the allocation logic is the same
        for uid in observers:
            submit(uid, None)

    assert errors == []
    assert len(references) == SUBMISSIONS == len(set(references))
    assert sorted(number(r) for r in references) == list(range(1, SUBMISSIONS + 1))
    assert all(r.startswith("R-2024-") for r in references)
