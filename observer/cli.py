"""Command-line groups: each feature owns its commands; this module only registers them."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from observer.assessments.cli import recommendations_cli
    from observer.audit.cli import audit_cli
    from observer.backup.cli import backup_command, restore_command
    from observer.catalog.cli import catalog_cli
    from observer.demo.cli import demo_cli
    from observer.jobs.cli import jobs_cli
    from observer.records.cli import record_groups
    from observer.statements.cli import statements_cli
    from observer.statements.keys import keys_cli
    from observer.users.cli import users_cli

    for group in (
        users_cli,
        keys_cli,
        demo_cli,
        audit_cli,
        catalog_cli,
        statements_cli,
        recommendations_cli,
        backup_command,
        restore_command,
        jobs_cli,
        *record_groups(),
    ):
        app.cli.add_command(group)
