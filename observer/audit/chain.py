"""The hash chain of review events, as pure functions (no Flask, no database)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_DIGEST = "0" * 64


def event_digest(content: dict[str, Any], prev_digest: str) -> str:
    """SHA-256 over canonical JSON of the event's content and the previous digest."""
    canonical = json.dumps(
        {"content": content, "prev": prev_digest},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int | None
    reason: str


def verify_chain(
    events: Iterable[tuple[int, int, dict[str, Any], str, str]],
    head_seq: int,
    head_digest: str,
) -> ChainBreak | None:
    """events: (seq, id, content, prev_digest, digest) in seq order. Returns the first break."""
    expected_prev = GENESIS_DIGEST
    expected_seq = 1
    for seq, event_id, content, prev_digest, digest in events:
        if seq != expected_seq:
            return ChainBreak(expected_seq, None, f"event #{expected_seq} is missing")
        if prev_digest != expected_prev:
            return ChainBreak(seq, event_id, "its link to the previous event does not match")
        if event_digest(content, prev_digest) != digest:
            return ChainBreak(seq, event_id, "its content does not match its digest")
        expected_prev = digest
        expected_seq += 1
    if expected_seq - 1 != head_seq or expected_prev != head_digest:
        return ChainBreak(expected_seq, None, "the newest events are missing or were replaced")
    return None
