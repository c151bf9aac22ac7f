"""What the proposal and evidence routers share: who acts as an owner, the errors they declare."""

from __future__ import annotations

from typing import Annotated

from kipp.deps import require_roles
from kipp.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, responses_for
from kipp.models import Role, User

# The roles that own proposals (the team, their agency admin); the object-level check is in
# kipp.innovations.access.get_owned.
OwnerUser = Annotated[User, require_roles(Role.INNOVATOR, Role.AGENCY_ADMIN)]

READ_ERRORS = responses_for(Unauthorized, NotFound)
WRITE_ERRORS = responses_for(Unauthorized, Forbidden, NotFound, Conflict, ValidationFailed)
