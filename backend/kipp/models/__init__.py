"""Every table; importing this module lets Alembic see them all."""

from kipp.models.administrative_review import AdministrativeReview
from kipp.models.afterlife import (
    Replication,
    SustainabilityEvidence,
    SustainabilityReminder,
    SustainabilityReport,
    SustainabilityStatus,
)
from kipp.models.agency import Agency
from kipp.models.attachment import Attachment
from kipp.models.audit_event import AuditEvent
from kipp.models.auth_token import ApiToken, LoginFailure, RefreshToken
from kipp.models.catalogue import CatalogueText
from kipp.models.competition import Competition, Stage
from kipp.models.innovation import Innovation, InnovationStatus, innovation_team
from kipp.models.judging import (
    ConflictOfInterest,
    ConflictSource,
    Criterion,
    PanelMember,
    Score,
    Scoresheet,
    ScoresheetStatus,
)
from kipp.models.nomination import Nomination, Objection
from kipp.models.notification import (
    ActionPurpose,
    ActionToken,
    Notification,
    OutboxMessage,
    OutboxStatus,
    ScoringReminder,
)
from kipp.models.organisation import Level, Organisation
from kipp.models.promotion import Promotion
from kipp.models.schedule import Schedule, ScheduleSlot
from kipp.models.user import Role, User

__all__ = [
    "ActionPurpose",
    "ActionToken",
    "AdministrativeReview",
    "Agency",
    "ApiToken",
    "Attachment",
    "AuditEvent",
    "CatalogueText",
    "Competition",
    "ConflictOfInterest",
    "ConflictSource",
    "Criterion",
    "Innovation",
    "InnovationStatus",
    "Level",
    "LoginFailure",
    "Nomination",
    "Notification",
    "Objection",
    "Organisation",
    "OutboxMessage",
    "OutboxStatus",
    "PanelMember",
    "Promotion",
    "RefreshToken",
    "Replication",
    "Role",
    "Schedule",
    "ScheduleSlot",
    "Score",
    "Scoresheet",
    "ScoresheetStatus",
    "ScoringReminder",
    "Stage",
    "SustainabilityEvidence",
    "SustainabilityReminder",
    "SustainabilityReport",
    "SustainabilityStatus",
    "User",
    "innovation_team",
]
