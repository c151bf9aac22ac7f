from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from kipp.deps import AdminUser, SessionDep, SettingsDep, api_router, require_roles
from kipp.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, responses_for
from kipp.models import Role, User
from kipp.schemas import IdPath, IdQuery, Page, Paging, paging
from kipp.users import invitations, policy, service
from kipp.users.schemas import UserIn, UserOut, UserPatch

router = api_router(
    prefix="/users", tags=["users"], responses=responses_for(Unauthorized, Forbidden)
)
UserManager = Annotated[User, require_roles(*policy.MANAGER_ROLES)]


@router.get("", response_model=Page[UserOut])
def list_users(
    session: SessionDep,
    actor: UserManager,
    page: Annotated[Paging, Depends(paging)],
    role: Role | None = None,
    agency_id: IdQuery = None,
) -> Page[UserOut]:
    """Accounts (an agency admin sees the innovators of their agency)."""
    users, total = service.list_users(
        session=session,
        actor=actor,
        role=role.value if role else None,
        agency_id=agency_id,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[UserOut.model_validate(u) for u in users], total=total)


@router.post(
    "",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    responses=responses_for(ValidationFailed, Conflict),
)
def create_user(
    body: UserIn, session: SessionDep, settings: SettingsDep, actor: UserManager
) -> UserOut:
    """Create an account. Without `password` the person gets an invitation e-mail with a
    single-use link to set their own (`invite` defaults to true then)."""
    user = service.create(
        session=session,
        actor=actor,
        email=str(body.email),
        full_name=body.full_name,
        role=body.role.value,
        agency_id=body.agency_id,
        password=body.password,
        organisation_id=body.organisation_id,
    )
    if body.invite if body.invite is not None else body.password is None:
        invitations.invite(session=session, settings=settings, actor=actor, user=user)
    return UserOut.model_validate(user)


@router.get("/{user_id}", response_model=UserOut, responses=responses_for(NotFound))
def read_user(user_id: IdPath, session: SessionDep, actor: UserManager) -> UserOut:
    """One account."""
    user = policy.get_manageable(session=session, actor=actor, user_id=user_id)
    return UserOut.model_validate(user)


@router.patch(
    "/{user_id}",
    response_model=UserOut,
    responses=responses_for(NotFound, ValidationFailed, Conflict),
)
def update_user(
    user_id: IdPath, body: UserPatch, session: SessionDep, actor: UserManager
) -> UserOut:
    """Change an account; `is_active: false` refuses the user everywhere at once."""
    user = policy.get_manageable(session=session, actor=actor, user_id=user_id)
    changes = body.model_dump(exclude_unset=True)
    if "role" in changes and changes["role"] is not None:
        changes["role"] = changes["role"].value
    user = service.update(session=session, actor=actor, user=user, changes=changes)
    return UserOut.model_validate(user)


@router.post(
    "/{user_id}/unlock",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses_for(Unauthorized, Forbidden, NotFound),
)
def unlock_user(user_id: IdPath, session: SessionDep, admin: AdminUser) -> None:
    """Forget the failed logins counted against an account, from every address (admin only,
    audited), so its owner can log in again at once."""
    user = policy.get_manageable(session=session, actor=admin, user_id=user_id)
    service.unlock(session=session, actor=admin, user=user)


@router.post(
    "/{user_id}/invitation",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses_for(NotFound),
)
def send_invitation(
    user_id: IdPath, session: SessionDep, settings: SettingsDep, actor: UserManager
) -> None:
    """E-mail a fresh invitation link to set the password; earlier invitation links stop
    working. The admin for any account, an agency admin for their agency's innovators."""
    user = policy.get_manageable(session=session, actor=actor, user_id=user_id)
    invitations.invite(session=session, settings=settings, actor=actor, user=user)
