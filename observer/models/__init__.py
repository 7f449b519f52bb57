"""All models, re-exported: `from observer.models import Report`."""

from observer.models.audit import AuditLog, ChainHead, ReviewEvent
from observer.models.base import Base, utcnow
from observer.models.catalog import Campaign, Criterion, District, Region, Stage
from observer.models.hold import ReportHold
from observer.models.report import (
    INFO_CREDIBILITY,
    SCOPES,
    SEVERITIES,
    SOURCE_RELIABILITY,
    SOURCE_TYPES,
    Attachment,
    KeptEvidence,
    Report,
    Status,
    report_criteria,
)
from observer.models.statement import Statement, StatementSection, StatementStatus
from observer.models.user import ROLES, Roles, User, user_regions

__all__ = [
    "INFO_CREDIBILITY",
    "ROLES",
    "SCOPES",
    "SEVERITIES",
    "SOURCE_RELIABILITY",
    "SOURCE_TYPES",
    "Attachment",
    "AuditLog",
    "Base",
    "Campaign",
    "ChainHead",
    "Criterion",
    "District",
    "KeptEvidence",
    "Region",
    "Report",
    "ReportHold",
    "ReviewEvent",
    "Roles",
    "Stage",
    "Statement",
    "StatementSection",
    "StatementStatus",
    "Status",
    "User",
    "report_criteria",
    "user_regions",
    "utcnow",
]
