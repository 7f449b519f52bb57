"""Lockouts that a stranger cannot turn into a weapon: short, doubling with each further
lockout, and counted per holder: the account (for browsers that never signed in to it) or one
known browser. Plain functions over anything with failed_logins, lockouts and locked_until."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int = 5
    first_minutes: int = 1
    max_minutes: int = 30

    @classmethod
    def from_config(cls, config) -> LockoutPolicy:
        return cls(
            threshold=int(config["LOCKOUT_THRESHOLD"]),
            first_minutes=int(config["LOCKOUT_FIRST_MINUTES"]),
            max_minutes=int(config["LOCKOUT_MAX_MINUTES"]),
        )

    def minutes_for(self, earlier_lockouts: int) -> int:
        """1, 2, 4, 8 ... minutes (with the defaults), never more than max_minutes."""
        doublings = min(earlier_lockouts, 20)  # 2**20 minutes is far past any sane maximum
        return min(self.first_minutes * 2**doublings, self.max_minutes)


def count_failure(holder, now: datetime, policy: LockoutPolicy) -> int | None:
    """One more failed attempt; returns the lockout's minutes when this one starts a lockout."""
    holder.failed_logins = (holder.failed_logins or 0) + 1
    if holder.failed_logins < policy.threshold:
        return None
    minutes = policy.minutes_for(holder.lockouts or 0)
    holder.lockouts = (holder.lockouts or 0) + 1
    holder.failed_logins = 0
    holder.locked_until = now + timedelta(minutes=minutes)
    return minutes


def clear(holder) -> None:
    """A good sign-in: the holder starts afresh."""
    holder.failed_logins = 0
    holder.lockouts = 0
    holder.locked_until = None
