"""One press, one report: a form's one-time token makes a second post of it (double press,
resend, a retry racing the first) answer with the first one's report, never a duplicate or a
500; a token from another form or another person is refused with a clear page and nothing lost."""

from __future__ import annotations

import re
import threading
from html import unescape

import pytest
from sqlalchemy import func, select

from observer.models import Report, ReviewEvent, UsedFormToken
from tests.factories_reports import count_reports, form_data, only_report, upload

ONCE = re.compile(r'name="once"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="once"')


def once_token(page: bytes) -> str:
    match = ONCE.search(page.decode())
    assert match, "the form carries a one-time token"
    return unescape(match[1] or match[2])


@pytest.fixture
def observer(catalog, make_user):
    return make_user("observer")


@pytest.fixture
def signed_in(client, observer, login_as):
    return login_as(observer)


def post_new(client, data):
    return client.post("/reports/new", data=data, content_type="multipart/form-data")


def test_a_second_post_of_the_same_form_shows_the_first_report(signed_in, db):
    token = once_token(signed_in.get("/reports/new").data)
    data = form_data(once=token, save_draft=None, submit_report="Submit")
    first = post_new(signed_in, dict(data))
    assert first.status_code == 302
    report = only_report()
    again = post_new(signed_in, dict(data))
    assert again.status_code == 303
    assert again.headers["Location"].endswith(f"/reports/{report.id}")
    page = signed_in.get(again.headers["Location"]).get_data(as_text=True)
    assert "already been received" in page and report.reference in page
    assert count_reports() == 1
    submitted = db.session.scalar(select(func.count(ReviewEvent.id)))
    assert submitted == 1  # one submission in the history, not two


def test_files_sent_twice_are_attached_once(signed_in, db):
    from tests.factories_reports import count_attachments, jpeg_with_metadata

    token = once_token(signed_in.get("/reports/new").data)
    for _ in range(2):
        data = form_data(once=token)
        data["evidence"] = [upload(jpeg_with_metadata(), "photo.jpg")]
        assert post_new(signed_in, data).status_code in (302, 303)
    assert count_reports() == 1 and count_attachments() == 1


def test_two_posts_racing_make_one_report_and_no_error(app, observer, login_as, db):
    clients = [login_as(observer, app.test_client()) for _ in range(4)]
    token = once_token(clients[0].get("/reports/new").data)
    data = form_data(once=token)
    answers: list[int] = []
    start = threading.Barrier(len(clients))

    def press(client):
        start.wait()
        answers.append(post_new(client, dict(data)).status_code)

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 4 and all(code in (302, 303) for code in answers), answers
    assert count_reports() == 1
    assert db.session.scalar(select(func.count()).select_from(UsedFormToken)) == 1


def test_an_edit_posted_twice_is_saved_once(signed_in, db):
    assert post_new(signed_in, form_data()).status_code == 302
    report = only_report()
    page = signed_in.get(f"/reports/{report.id}/edit").data
    data = form_data(once=once_token(page), title="Corrected title of the report", version="1")
    assert signed_in.post(f"/reports/{report.id}/edit", data=dict(data)).status_code == 302
    again = signed_in.post(f"/reports/{report.id}/edit", data=dict(data))
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/reports/{report.id}")
    db.session.expire_all()
    assert db.session.get(Report, report.id).version == 2


def test_a_token_of_another_person_is_refused_and_nothing_is_lost(
    app, observer, make_user, login_as, db
):
    other = login_as(make_user("observer"), app.test_client())
    foreign = once_token(other.get("/reports/new").data)
    mine = login_as(observer, app.test_client())
    data = form_data(once=foreign, title="A title I typed carefully")
    refused = post_new(mine, data)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "not made for this page or for your account" in text
    assert "A title I typed carefully" in text  # what was typed comes back
    assert once_token(refused.data) != foreign  # a fresh token of this person's own
    assert count_reports() == 0
    assert post_new(mine, form_data(once=once_token(refused.data))).status_code == 302


@pytest.mark.parametrize("token", ["garbage", "x" * 400, "eyJ1IjoxfQ.forged"])
def test_a_forged_or_foreign_form_token_is_refused(signed_in, db, token):
    assert post_new(signed_in, form_data(once=token)).status_code == 422
    assert count_reports() == 0


def test_a_token_of_another_form_is_refused(signed_in, db):
    assert post_new(signed_in, form_data()).status_code == 302
    report = only_report()
    edit_token = once_token(signed_in.get(f"/reports/{report.id}/edit").data)
    assert post_new(signed_in, form_data(once=edit_token)).status_code == 422
    assert count_reports() == 1
