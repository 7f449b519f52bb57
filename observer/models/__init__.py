"""All models, re-exported: `from observer.models import Report`."""

from observer.models.assessment import (
    Assessment,
    EvidenceKind,
    EvidenceLink,
    FollowUp,
    JudgmentEvent,
    JudgmentStatus,
    Recommendation,
    ScaleLevel,
    Scales,
    recommendation_criteria,
)
from observer.models.audit import AuditLog, ChainHead, ReviewEvent
from observer.models.base import Base, utcnow
from observer.models.candidate import Candidate, Election, RefusalReason
from observer.models.catalog import Campaign, Criterion, District, Region, Stage
from observer.models.commission import Commission, CommissionLevel, CommissionMember
from observer.models.device import DeviceCredential
from observer.models.forms_kept import KeptForm, UsedFormToken
from observer.models.hold import ReportHold
from observer.models.job import Job, JobFileChunk, JobStatus
from observer.models.mission import MissionProfile, SigningKey
from observer.models.official_figure import OfficialFigure, SourceCopy
from observer.models.organisation import Organisation
from observer.models.process_term import ProcessTerm
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
from observer.models.sign_in import KnownBrowser, SignInSession
from observer.models.statement import (
    Statement,
    StatementCase,
    StatementFile,
    StatementSection,
    StatementStatus,
)
from observer.models.user import ROLES, Roles, User, user_regions

__all__ = [
    "ProcessTerm",
    "Organisation",
    "SourceCopy",
    "OfficialFigure",
    "CommissionMember",
    "CommissionLevel",
    "Commission",
    "RefusalReason",
    "Election",
    "Candidate",
    "INFO_CREDIBILITY",
    "ROLES",
    "SCOPES",
    "SEVERITIES",
    "SOURCE_RELIABILITY",
    "SOURCE_TYPES",
    "Assessment",
    "Attachment",
    "AuditLog",
    "Base",
    "Campaign",
    "ChainHead",
    "Criterion",
    "DeviceCredential",
    "District",
    "EvidenceKind",
    "EvidenceLink",
    "FollowUp",
    "Job",
    "JobFileChunk",
    "JobStatus",
    "JudgmentEvent",
    "JudgmentStatus",
    "KeptEvidence",
    "KeptForm",
    "MissionProfile",
    "KnownBrowser",
    "Recommendation",
    "Region",
    "Report",
    "ReportHold",
    "ReviewEvent",
    "SignInSession",
    "Roles",
    "SigningKey",
    "ScaleLevel",
    "Scales",
    "Stage",
    "Statement",
    "StatementCase",
    "StatementFile",
    "StatementSection",
    "StatementStatus",
    "Status",
    "UsedFormToken",
    "User",
    "recommendation_criteria",
    "report_criteria",
    "user_regions",
    "utcnow",
]
