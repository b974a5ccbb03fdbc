"""Who is calling a service: taken from the authenticated session, never from a widget."""
from __future__ import annotations

from dataclasses import dataclass, field

from db.states import Role, Source
from services.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: Role
    label: str
    family_id: int | None = None
    # Sites a staff member works on; managers see every site (site_ids is then None).
    site_ids: frozenset[int] | None = field(default=None)

    @property
    def source(self) -> Source:
        if self.user_id is None:
            return Source.SYSTEM
        return Source.PORTAL if self.role == Role.FAMILY else Source.BACK_OFFICE

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.MANAGER)

    def require_family(self) -> int:
        """The caller's family id; refuses anyone who is not a signed-in family."""
        if self.role != Role.FAMILY or self.family_id is None:
            raise Forbidden()
        return self.family_id

    def require_staff(self) -> None:
        if not self.is_staff:
            raise Forbidden()

    def require_manager(self) -> None:
        if self.role != Role.MANAGER:
            raise Forbidden()

    def require_site(self, site_id: int) -> None:
        """Refuses a staff member who does not work on `site_id`."""
        self.require_staff()
        if self.site_ids is not None and site_id not in self.site_ids:
            raise Forbidden("Ce lieu d'accueil ne fait pas partie de vos sites.")


SYSTEM = Actor(user_id=None, role=Role.MANAGER, label="système")
