from __future__ import annotations

from pydantic import BaseModel

from kipp.demo import seed
from kipp.deps import PUBLIC, SessionDep, SettingsDep, api_router
from kipp.errors import NotFound, responses_for
from kipp.i18n import Msg
from kipp.models import Role
from kipp.schemas import Page

NO_DEMO = Msg(id="Tidak ada data demo yang dimuat.", en="No demo data is loaded.")

router = api_router(tags=["demo"])


class DemoLoginOut(BaseModel):
    email: str
    password: str
    role: Role
    full_name: str


@router.get(
    "/demo-logins",
    response_model=Page[DemoLoginOut],
    responses=responses_for(NotFound),
    openapi_extra=PUBLIC,
)
def list_demo_logins(session: SessionDep, settings: SettingsDep) -> Page[DemoLoginOut]:
    """The demo accounts, shown on the login page — only in development, while the demo data
    is loaded."""
    if settings.environment != "development":
        # Their passwords are public; outside development the list does not exist.
        raise NotFound(NO_DEMO)
    if not seed.demo_loaded(session=session):
        raise NotFound(NO_DEMO)
    items = [
        DemoLoginOut(email=d.email, password=d.password, role=d.role, full_name=d.full_name)
        for d in seed.demo_logins()
    ]
    return Page(items=items, total=len(items))
