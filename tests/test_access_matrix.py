"""Every route, every role: the rule each view declares (observer/auth/access.py) is enforced.

A route added without a rule fails `test_every_endpoint_declares_a_rule`; a rule that is not
enforced fails the matrix."""

from __future__ import annotations

import pytest
from flask import Flask

from observer.auth.access import DENIED_HEADER, ROLES_FOR_RULE, RULES, rule_for_endpoint

ROLES = ("anonymous", "observer", "coordinator", "admin")
PLACEHOLDERS = {"int": "999999", "string": "no-such-thing", "default": "no-such-thing", "path": "x"}


def concrete_url(rule) -> str:
    """Fill a URL rule's variables with values that name nothing."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        kind = type(converter).__name__.replace("Converter", "").lower() if converter else "default"
        values[name] = PLACEHOLDERS.get("int" if kind in ("integer", "int") else kind, "x")
    url = rule.rule
    for name, value in values.items():
        url = url.replace(f"<{name}>", value)
        for prefix in ("int:", "string:", "path:"):
            url = url.replace(f"<{prefix}{name}>", value)
    return url


def routes(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_endpoint_declares_a_rule(app):
    missing = [
        endpoint
        for endpoint in app.view_functions
        if endpoint != "static" and rule_for_endpoint(app, endpoint) not in RULES
    ]
    assert missing == [], f"endpoints without an access rule: {missing}"


def test_a_route_without_a_rule_is_refused(make_app, db):
    app = make_app()

    @app.get("/undeclared")
    def undeclared():
        return "should never be served"

    response = app.test_client().get("/undeclared")
    assert response.status_code == 403
    assert b"should never be served" not in response.data


@pytest.fixture
def people(make_user):
    return {
        "observer": make_user("observer"),
        "coordinator": make_user("coordinator"),
        "admin": make_user("admin"),
    }


def test_access_matrix(app, db, catalog, people, login_as):
    checked = 0
    failures = []
    for rule, method in routes(app):
        declared = rule_for_endpoint(app, rule.endpoint)
        url = concrete_url(rule)
        for role in ROLES:
            client = app.test_client()
            if role != "anonymous":
                db.session.expire_all()  # an earlier POST (sign-out) may have rotated the token
                login_as(people[role], client)
            response = client.open(url, method=method, data={})
            response.close()  # a streamed export keeps its request context until closed
            location = response.headers.get("Location", "")
            allowed = role in ROLES_FOR_RULE[declared]
            sent_to_login = response.status_code in (301, 302, 303) and "/login" in location
            refused_by_rule = response.headers.get(DENIED_HEADER) == "rule"
            if response.status_code >= 500:
                failures.append(f"{method} {url} as {role}: {response.status_code}")
            elif allowed and (refused_by_rule or (sent_to_login and declared != "public")):
                failures.append(
                    f"{method} {url} as {role}: refused ({response.status_code} {location}) "
                    f"but rule is {declared}"
                )
            elif not allowed and role == "anonymous" and not sent_to_login:
                failures.append(
                    f"{method} {url} as anonymous: {response.status_code} {location}, not sign-in"
                )
            elif (
                not allowed
                and role != "anonymous"
                and not (response.status_code == 403 and refused_by_rule)
            ):
                failures.append(f"{method} {url} as {role}: {response.status_code}, expected 403")
            checked += 1
    assert failures == [], "\n".join(failures)
    assert checked >= 4 * 20  # the matrix really walked the app


def test_observers_never_see_judgments(app, db, catalog, people, login_as):
    """Every assessment and recommendation page, with ids that exist: staff are served,
    observers are refused by the rule (never a 404 that would confirm or deny an id), and
    anonymous visitors are sent to sign in."""
    from observer.assessments.scales import ensure_default_scales
    from observer.assessments.service import rate_follow_up
    from tests.factories_assessments import content, make_recommendation, propose

    ensure_default_scales()
    db.session.commit()
    assessment = propose(people["coordinator"])
    recommendation = make_recommendation()
    rate_follow_up(people["coordinator"], recommendation, catalog.id, content("not_implemented"))
    from observer.assessments.scales import levels_of

    ids = {
        "int:assessment_id": assessment.id,
        "int:recommendation_id": recommendation.id,
        "int:level_id": levels_of("follow_up")[0].id,
        "scale": "follow_up",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("assessments."):
            continue
        url = rule.rule
        for name, value in ids.items():
            url = url.replace(f"<{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, url, rule_for_endpoint(app, rule.endpoint)))
    assert len(urls) >= 10
    failures = []
    for method, url, declared in urls:
        for role in ("anonymous", "observer", "coordinator", "admin"):
            client = app.test_client()
            if role != "anonymous":
                db.session.expire_all()
                login_as(people[role], client)
            response = client.open(url, method=method, data={})
            body = response.get_data(as_text=True)
            if role == "observer" and (
                response.status_code != 403 or response.headers.get(DENIED_HEADER) != "rule"
            ):
                failures.append(f"{method} {url} as observer: {response.status_code}")
            elif role == "observer" and "Observers were kept out" in body:
                failures.append(f"{method} {url} shows an observer the reasoning")
            elif role == "anonymous" and "/login" not in response.headers.get("Location", ""):
                failures.append(f"{method} {url} as anonymous: {response.status_code}")
            elif role in ("coordinator", "admin") and response.status_code >= 500:
                failures.append(f"{method} {url} as {role}: {response.status_code}")
            elif role == "coordinator" and declared == "admin" and response.status_code != 403:
                failures.append(f"{method} {url} as coordinator: {response.status_code}")
            elif (
                role in ROLES_FOR_RULE[declared] and method == "GET" and response.status_code != 200
            ):
                failures.append(f"GET {url} as {role}: {response.status_code}")
    assert failures == [], "\n".join(failures)
