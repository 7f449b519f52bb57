"""Commits for hot paths that read on after committing."""

from __future__ import annotations

from observer.extensions import db


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session has loaded.

    By default a commit expires every loaded object, so the next attribute read (the
    signed-in user's role, the report just decided) costs a query. Use this only where what
    the transaction wrote either maps to no loaded object (a hold, a review event) or was
    written through the loaded objects themselves, so that they already hold what the
    database now holds."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
