"""Demo reports (filled in by the reports feature)."""


def seed_demo_reports() -> None:
    return None
