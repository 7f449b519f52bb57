"""The election-night page: the backlog at a glance, refreshing itself, within region scope."""

from __future__ import annotations

import re

from observer.backlog.queries import backlog
from observer.extensions import db
from observer.models import Status
from observer.review.scope import region_scope
from tests.factories import make_report
from tests.factories_review import limit_to, people_fixture, region  # noqa: F401
from tests.test_triage import decide, submitted_ago


def test_figures_of_the_night(client, people, login_as):
    critical = make_report(people.observer, status=Status.SUBMITTED, severity=4, region="BY-BR")
    opened = make_report(people.observer, status=Status.SUBMITTED, severity=4, region="BY-HO")
    mild = make_report(people.observer, status=Status.SUBMITTED, severity=1, region="BY-HO")
    submitted_ago(mild, 5)
    login_as(people.coordinator)
    client.get(f"/review/{opened.id}")
    decide(client, opened, "verify", source_reliability="A", info_credibility="1")

    figures = backlog(None, 24)
    assert figures.waiting == 2
    assert figures.waiting_by_severity == {4: 1, 1: 1}
    assert figures.waiting_by_region == {region("BY-BR").id: 1, region("BY-HO").id: 1}
    assert figures.critical_unopened == 1
    assert [r.id for r in figures.critical_unopened_oldest] == [critical.id]
    assert figures.oldest[0].id == mild.id
    assert sum(figures.received.values()) == 3 and sum(figures.decided.values()) == 1
    assert figures.decisions_by_coordinator == [(people.coordinator.observer_code, 1)]
    assert len(figures.hours) == 24

    html = client.get("/review/night/").get_data(as_text=True)
    assert "critical, not yet opened" in html and critical.reference in html
    assert "Decisions per coordinator" in html and people.coordinator.observer_code in html
    assert people.coordinator.display_name not in html  # codes only, never names
    assert re.search(r"<svg[^>]+id=\"chart-hours\"", html)
    assert "Received" in html and "Decided" in html


def test_the_page_refreshes_itself_until_told_to_stop(client, people, login_as):
    login_as(people.coordinator)
    html = client.get("/review/night/").get_data(as_text=True)
    # Without JavaScript: a meta refresh (ignored when scripts run; backlog.js then refreshes).
    assert '<noscript><meta http-equiv="refresh" content="60"></noscript>' in html
    assert 'href="/review/night/?hours=24&amp;refresh=off"' in html
    stopped = client.get("/review/night/?refresh=off").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in stopped
    assert "Automatic refresh is stopped." in stopped
    assert 'href="/review/night/?hours=24">Refresh automatically' in stopped
    six = client.get("/review/night/?hours=6&hours=nonsense")
    assert six.status_code == 200


def test_a_coordinator_limited_to_regions_sees_only_their_backlog(client, people, login_as):
    make_report(people.observer, status=Status.SUBMITTED, region="BY-BR")
    make_report(people.observer, status=Status.SUBMITTED, region="BY-HO", severity=4)
    limit_to(people.coordinator, "BY-BR")
    db.session.refresh(people.coordinator)
    figures = backlog(region_scope(people.coordinator), 24)
    assert figures.waiting == 1 and figures.critical_unopened == 0
    login_as(people.coordinator)
    html = client.get("/review/night/").get_data(as_text=True)
    assert "Gomel" not in html


def test_observers_are_refused(client, people, login_as):
    login_as(people.observer)
    assert client.get("/review/night/").status_code == 403
