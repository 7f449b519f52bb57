"""Which reports a staff member may see: coordinators can be limited to some regions."""

from __future__ import annotations

from observer.models import Report, User


def region_scope(user: User) -> tuple[int, ...] | None:
    """None means every region; a tuple lists the only regions this user may see."""
    if user.role == "coordinator" and user.regions:
        return tuple(user.region_ids)
    return None


def staff_can_see(user: User, report: Report) -> bool:
    if not user.is_staff:
        return False
    scope = region_scope(user)
    return scope is None or report.region_id in scope
