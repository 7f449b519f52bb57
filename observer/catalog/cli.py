"""flask catalog load FILE"""

from flask.cli import AppGroup

catalog_cli = AppGroup("catalog", help="Manage the criteria catalog.")
