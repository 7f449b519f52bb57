"""People and helpers shared by the review tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from observer.extensions import db
from observer.models import Region, User


@dataclass
class People:
    observer: User
    other_observer: User
    coordinator: User
    second_coordinator: User
    admin: User


@pytest.fixture(name="people")
def people_fixture(catalog, make_user) -> People:
    # No passwords: these tests sign in through the session, and hashing is deliberately slow.
    return People(
        observer=make_user("observer", password=None),
        other_observer=make_user("observer", password=None),
        coordinator=make_user("coordinator", password=None),
        second_coordinator=make_user("coordinator", password=None),
        admin=make_user("admin", password=None),
    )


def region(iso: str) -> Region:
    return db.session.execute(select(Region).where(Region.iso_code == iso)).scalar_one()


def limit_to(user: User, *isos: str) -> User:
    """An admin assigns the coordinator to these regions only."""
    user.regions = [region(iso) for iso in isos]
    db.session.commit()
    return user
