"""Demo data. Every step checks what exists first, so seeding twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from observer.auth.service import create_user, find_user_by_email
from observer.extensions import db


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    display_name: str
    password: str
    totp_secret: str | None = None


# Demo-only credentials, printed by `flask demo seed`. The TOTP secrets are fixed so that the
# README and the browser tests can compute codes; a real deployment never runs the demo seed.
DEMO_ACCOUNTS = (
    DemoAccount(
        "admin",
        "admin@demo.observer",
        "Demo Admin",
        "demo-admin-pass-2024",
        "OBSERVERADMINDEMOSECRETAAAAAAAAA",
    ),
    DemoAccount(
        "coordinator",
        "coordinator@demo.observer",
        "Demo Coordinator",
        "demo-coordinator-pass-2024",
        "OBSERVERCOORDINATORDEMOSECRETAAA",
    ),
    DemoAccount("observer", "observer@demo.observer", "Demo Observer", "demo-observer-pass-2024"),
    DemoAccount(
        "observer", "observer2@demo.observer", "Second Demo Observer", "demo-observer2-pass-2024"
    ),
    DemoAccount(
        "observer", "observer3@demo.observer", "Third Demo Observer", "demo-observer3-pass-2024"
    ),
)


def seed_demo_accounts() -> list[DemoAccount]:
    for account in DEMO_ACCOUNTS:
        if find_user_by_email(account.email) is not None:
            continue
        user = create_user(
            account.email, account.display_name, account.role, password=account.password
        )
        if account.totp_secret:
            user.totp_secret = account.totp_secret
            user.totp_enabled = True
    db.session.commit()
    return list(DEMO_ACCOUNTS)


def seed_demo() -> list[DemoAccount]:
    from observer.catalog.seed import load_default_catalog

    accounts = seed_demo_accounts()
    load_default_catalog()
    db.session.commit()
    for step in _further_demo_steps():
        step()
        db.session.commit()
    return accounts


def _further_demo_steps():
    """Demo data of features that have it: reports (with review history), process records,
    assessments and recommendations, statements."""
    from observer.assessments.demo import seed_demo_judgments
    from observer.records.demo import seed_demo_records
    from observer.reports.demo import seed_demo_reports
    from observer.statements.demo import seed_demo_statements

    return [seed_demo_reports, seed_demo_records, seed_demo_judgments, seed_demo_statements]
