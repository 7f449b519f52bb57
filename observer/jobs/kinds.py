"""The kinds of background job, each a function named by a dotted path (imported when a job of
that kind runs, so the queue never imports the features and the features never import the
worker).

A kind's function is called as `function(job, out, progress)`: it reads `job.params` (plain
JSON) and `job.owner_id`, writes its file to the binary file object `out`, reports progress,
and returns a JobOutput. Raising JobFailed(code) ends the job with that message; any other
exception ends it with the generic one. Either way no file is kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

KINDS = {
    "reports_export": "observer.dashboard.export_jobs:run_reports_export",
}


@dataclass(frozen=True)
class JobOutput:
    filename: str
    media_type: str
    rows: int


class JobFailed(Exception):
    """A failure the requester can act on; `code` names its message in jobs/messages.py."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def function_for(kind: str) -> Callable:
    module_name, _, attribute = KINDS[kind].partition(":")
    return getattr(import_module(module_name), attribute)
