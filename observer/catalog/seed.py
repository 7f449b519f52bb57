"""Default 2024 catalog (filled in by the catalog feature)."""


def load_default_catalog() -> None:
    return None
