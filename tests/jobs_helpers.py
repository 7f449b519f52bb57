"""Waiting for background jobs as a person does: reading the job's page until it is over."""

from __future__ import annotations

from time import monotonic, sleep


def wait_for_job(client, page_url: str, timeout: float = 60.0) -> dict:
    status_url = page_url.rstrip("/") + "/status"
    deadline = monotonic() + timeout
    while True:
        state = client.get(status_url).get_json()
        if state["status"] not in ("queued", "running"):
            return state
        assert monotonic() < deadline, f"job still {state['status']} after {timeout} s"
        sleep(0.05)


def download_finished(client, page_url: str, timeout: float = 60.0):
    state = wait_for_job(client, page_url, timeout)
    assert state["status"] == "done", state
    page = client.get(page_url)
    assert page.status_code == 200
    assert b"/download" in page.data
    response = client.get(page_url.rstrip("/") + "/download")
    assert response.status_code == 200
    response.get_data()
    response.close()  # a streamed file keeps its request context until closed, as a server does
    return response
