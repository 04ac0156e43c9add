# mypy: disallow-untyped-calls=False
"""One province for the access, CSRF and masking tests: the dossier World of the dossier tests (a center,
a subject commune's People's Committee, another center and commune, a supervisor and an admin), plus a
center admin, a clerk and a supervisor of elsewhere, two signed-in citizens, a counter with tickets, a
stored document, a draft, and an API token for every officer.

Every actor named `other_*` belongs to another center, agency or province than the dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from motcua.citizens.models import Citizen
from motcua.citizens.services import citizen_sign_in
from motcua.citizens.session import SESSION_KEY
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.documents import document_store
from motcua.dossiers.services.drafts import draft_create
from motcua.dossiers.services.reception import ApplicantData, ComponentData
from motcua.dossiers.services.tracking import tracking_token
from motcua.dossiers.tests.factories import PERSONAL_ID, DossierFactory, World, act, build_world
from motcua.org.models import Counter, StaffUser
from motcua.org.services import api_token_create
from motcua.org.tests.factories import ProvinceFactory, StaffUserFactory
from motcua.queueing.models import Ticket, TicketSource
from motcua.queueing.services.setup import queue_service_upsert, work_profile_set
from motcua.queueing.services.tickets import ticket_issue
from motcua.queueing.tests.factories import CounterFactory

#: A one-page PDF the document store accepts.
PDF = b"%PDF-1.4\n1 0 obj <</Type /Page>>\n%%EOF\n"
OTHER_PERSONAL_ID = "001085054321"  # Hà Nội, male, born 1985

ANONYMOUS = "anonymous"
CITIZEN = "citizen"
OTHER_CITIZEN = "other_citizen"
STAFF = (
    "reception",
    "other_reception",
    "center_admin",
    "other_center_admin",
    "specialist",
    "other_specialist",
    "leader",
    "other_leader",
    "clerk",
    "other_clerk",
    "supervisor",
    "other_supervisor",
    "admin",
)
CITIZENS = (CITIZEN, OTHER_CITIZEN)
ACTORS = (ANONYMOUS, *CITIZENS, *STAFF)


@dataclass
class Scene:
    world: World
    #: Received at `world.center`, handled by `world.subject_agency`, with the specialist now.
    dossier: Dossier
    #: Just received at the desk, not yet transferred.
    fresh: Dossier
    sha256: str
    counter: Counter
    other_counter: Counter
    ticket: Ticket
    citizens: dict[str, Citizen]
    draft_token: str
    staff: dict[str, StaffUser] = field(default_factory=dict)

    @property
    def center(self) -> str:
        return self.world.center.code

    @property
    def tracking(self) -> str:
        return tracking_token(self.dossier)

    def client(self, actor: str) -> Client:
        """A browser of `actor`: signed in (staff session or citizen session) or anonymous."""
        client = Client()
        if actor in self.staff:
            client.force_login(self.staff[actor])
        elif actor in self.citizens:
            session = client.session
            session[SESSION_KEY] = self.citizens[actor].personal_id
            session.save()
        return client

    def api_headers(self, actor: str) -> dict[str, Any]:
        """A staff member's bearer token; citizens and the anonymous have none."""
        if actor not in self.staff:
            return {}
        return {"Authorization": f"Bearer {api_token_create(username=self.staff[actor].username)}"}


def _citizen(sub: str, personal_id: str, name: str) -> Citizen:
    return citizen_sign_in(
        issuer="https://vneid.test",
        claims={"sub": sub, "personal_id": personal_id, "name": name, "phone_number": "0900000000"},
    )


def build_scene(applicant: ApplicantData | None = None) -> Scene:
    """`applicant` replaces the applicant of the handled dossier (the masking test plants its markers)."""
    world = build_world()
    center, other_center = world.center, world.other_center
    province_elsewhere = ProvinceFactory.create(code="01", name="Thành phố Hà Nội")
    world.staff.update(
        {
            "center_admin": StaffUserFactory.create(center_admin=True, center=center),
            "other_center_admin": StaffUserFactory.create(center_admin=True, center=other_center),
            "other_clerk": StaffUserFactory.create(clerk=True, agency=world.other_agency),
            "other_supervisor": StaffUserFactory.create(supervisor=True, province=province_elsewhere),
        }
    )
    sha256 = document_store(actor=world.staff["reception"], chunks=[PDF]).sha256
    components = [ComponentData("to-khai", documents=[sha256]), ComponentData("giay-chung-sinh")]
    extra = {"applicant": applicant} if applicant else {}
    dossier = DossierFactory.create(world=world, components=components, **extra)
    dossier = act(world, dossier, "transfer", "reception")
    dossier = act(world, dossier, "assign", "leader", payload={"assignee": world.staff["specialist"].username})
    fresh = DossierFactory.create(world=world)

    service = queue_service_upsert(center=center, code="A", name="Hộ tịch", position=1)
    counter = CounterFactory.create(center=center, number=1)
    work_profile_set(counter=counter, service_codes=["A"])
    queue_service_upsert(center=other_center, code="A", name="Hộ tịch", position=1)
    other_counter = CounterFactory.create(center=other_center, number=1)
    work_profile_set(counter=other_counter, service_codes=["A"])
    ticket = ticket_issue(center_code=center.code, service_code=service.code, source=TicketSource.KIOSK)

    citizens = {
        CITIZEN: _citizen("vneid-1", PERSONAL_ID, "Nguyễn Văn An"),
        OTHER_CITIZEN: _citizen("vneid-2", OTHER_PERSONAL_ID, "Trần Thị Bình"),
    }
    draft = draft_create(
        personal_id=PERSONAL_ID,
        procedure_code=world.procedure.code,
        data={"full_name": "Nguyễn Văn An"},
        vneid_verified=True,
    )
    return Scene(
        world=world,
        dossier=dossier,
        fresh=fresh,
        sha256=sha256,
        counter=counter,
        other_counter=other_counter,
        ticket=ticket,
        citizens=citizens,
        draft_token=draft.token,
        staff=world.staff,
    )
