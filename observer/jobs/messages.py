"""What a failed job's page says, by the code the runner stored."""

from flask_babel import lazy_gettext as _l

FAILURE_MESSAGES = {
    "not_allowed": _l("Your account may no longer run this export, so it was stopped."),
    "bad_request": _l("This export was asked for with settings that are not valid."),
    "queue_unreachable": _l(
        "The export could not be started because the job queue is not reachable. Nothing was "
        "exported. Please try again in a few minutes or tell an administrator."
    ),
    "worker_lost": _l(
        "The export stopped part-way (the program doing it was interrupted). No file was kept. "
        "Please start it again."
    ),
    "internal": _l(
        "The export failed because of an unexpected error. No file was kept. Please start it "
        "again; if it fails again, tell an administrator."
    ),
}


def failure_message(code: str | None) -> str:
    return str(FAILURE_MESSAGES.get(code or "internal", FAILURE_MESSAGES["internal"]))
