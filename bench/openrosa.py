"""OpenRosa submission against the web form's submission, on the same gunicorn server (2 sync
workers, PostgreSQL), same run, measured in alternating turns.

The web form path is what an observer's Submit costs (session, CSRF, form, validation, INSERT,
reference, chained event, redirect). The OpenRosa path is what ODK Collect or Tella sends: HTTP
Basic with a device credential, a multipart body with the XML instance, defusedxml parsing,
catalog codes to ids, the same validation and save_report, the OpenRosa response document.
Each request files a new report (a fresh instanceID). Last line: ratio = OpenRosa / web form
throughput (target >= 1: OpenRosa at least as fast).

    python bench/openrosa.py [--clients 8] [--seconds 10] [--rounds 5]
"""

from __future__ import annotations

import argparse
import base64
import uuid

from common import (  # noqa: I001 - puts the project on sys.path first
    OBSERVER_EMAIL,
    PASSWORD,
    Database,
    make_app,
    prepare,
    server_env,
)

from bench.harness import Client, Gunicorn, catalog_choice, multipart, report_fields
from bench.submit import Endpoint, alternate, summarize

TARGET = 1.0


def device_headers(app) -> dict[str, str]:
    """A device credential of the bench observer, as ODK Collect sends it."""
    from observer.auth.service import find_user_by_email
    from observer.openrosa.credentials import create_credential

    with app.app_context():
        issued = create_credential(find_user_by_email(OBSERVER_EMAIL), "bench phone")
    token = base64.b64encode(f"{issued.username}:{issued.password}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-OpenRosa-Version": "1.0"}


def instance_xml(form_id: str, version: str, codes: dict, number: int) -> bytes:
    """The XML instance with the same answers the web form posts."""
    answers = {
        "stage": codes["stage"],
        "criterion": codes["criterion"],
        "occurred_on": "2024-02-10",
        "occurred_at": "14:30:00.000+03:00",
        "region_code": codes["region"],
        "district": codes["district"],
        "settlement": "Town centre",
        "title": f"Observer turned away from the commission meeting ({number})",
        "narrative": "The chair of the precinct commission refused to let the accredited "
        f"observer attend the meeting and gave no written reason. Case {number}.",
        "source_type": "direct_observation",
        "severity": "2",
        "scope": "isolated",
        "complaint_lodged": "no",
    }
    cells = "".join(f"<{k}>{v}</{k}>" for k, v in answers.items())
    return (
        f'<?xml version="1.0"?><data id="{form_id}" version="{version}">{cells}'
        f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
    ).encode()


def catalog_codes(app, choice: dict) -> tuple[dict, str, str]:
    from observer.catalog.queries import active_campaign
    from observer.extensions import db
    from observer.models import Criterion, District, Region, Stage
    from observer.openrosa.xform import form_id

    with app.app_context():
        campaign = active_campaign()
        codes = {
            "stage": db.session.get(Stage, choice["stage"]).code,
            "criterion": db.session.get(Criterion, choice["criterion"]).code,
            "region": db.session.get(Region, choice["region"]).iso_code,
            "district": db.session.get(District, choice["district"]).name_en,
        }
        return codes, form_id(campaign), campaign.catalog_version


def main() -> float:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5, help="turns per endpoint")
    parser.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args()

    database = Database().create()
    try:
        app = make_app(database.url)
        prepare(app)
        from observer.extensions import db

        with app.app_context():
            choice = catalog_choice(db.session)
            db.engine.dispose()
        codes, form_id, version = catalog_codes(app, choice)
        headers = device_headers(app)
        env = {**server_env(database.url), "OBSERVER_OPENROSA_RATE_LIMIT": "1000000 per minute"}
        with Gunicorn("wsgi:app", env=env) as server:
            web_clients = [Client(server.port) for _ in range(args.clients)]
            tokens = {}
            for client in web_clients:
                client.sign_in(OBSERVER_EMAIL, PASSWORD)
                tokens[id(client)] = client.csrf_token("/reports/new")
                client.frozen_cookies = True

            def web_submit(client, number):
                return client.post(
                    "/reports/new", report_fields(tokens[id(client)], choice, number)
                )[0]

            def openrosa_submit(client, number):
                xml = instance_xml(form_id, version, codes, number)
                body, content_type = multipart(
                    [], [("xml_submission_file", "submission.xml", "text/xml", xml)]
                )
                status, _headers, _body = client.request(
                    "POST",
                    "/openrosa/submission",
                    body,
                    {**headers, "Content-Type": content_type},
                )
                return 302 if status == 201 else status  # counted like the form's redirect

            web = Endpoint(server, web_clients, web_submit)
            device = Endpoint(
                server, [Client(server.port) for _ in range(args.clients)], openrosa_submit
            )
            alternate([web, device], args)
            rss = web.peak_rss()
    finally:
        database.drop()

    return summarize(
        args,
        "one gunicorn server (2 sync workers), PostgreSQL",
        (("OpenRosa", device, rss), ("web form", web, rss)),
        TARGET,
    )


if __name__ == "__main__":
    main()
