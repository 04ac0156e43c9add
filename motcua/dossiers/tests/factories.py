# mypy: disallow-untyped-calls=False
"""A small province and dossiers built through the services, with traits for lifecycle states.

`World` holds one procedure of commune level (5 working days, default workflow), a subject commune
with its People's Committee, another commune, a receiving center elsewhere, and one account per role.
`DossierFactory(world=w, handling=True)` receives a dossier at the desk and moves it on with the
same service calls the API uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from factory.base import Factory
from factory.declarations import Trait

from motcua.catalog.models import ChannelKind, Procedure
from motcua.catalog.services.workflow import workflow_template_reset
from motcua.catalog.tests.factories import ChannelFactory, ComponentFactory, ProcedureFactory, ProcedureVersionFactory
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.reception import ApplicantData, ComponentData, dossier_receive
from motcua.dossiers.services.workflow import dossier_transition
from motcua.org.models import Agency, ServiceCenter, StaffUser
from motcua.org.tests.factories import AgencyFactory, ServiceCenterFactory, StaffUserFactory

PERSONAL_ID = "010190012345"  # Lào Cai, male, born 1990


@dataclass
class World:
    procedure: Procedure
    subject_agency: Agency
    other_agency: Agency
    center: ServiceCenter
    other_center: ServiceCenter
    staff: dict[str, StaffUser] = field(default_factory=dict)

    @property
    def subject_code(self) -> str:
        assert self.subject_agency.unit is not None
        return self.subject_agency.unit.code


def build_world(*, limit_days: int = 5) -> World:
    procedure = ProcedureFactory.create(commune=True, boundary_free=True)
    version = ProcedureVersionFactory.create(procedure=procedure, effective_from=timezone.now() - timedelta(days=400))
    ChannelFactory.create(version=version, kind=ChannelKind.DIRECT, time_amount=Decimal(limit_days))
    ChannelFactory.create(version=version, kind=ChannelKind.ONLINE, time_amount=Decimal(limit_days))
    ComponentFactory.create(version=version, code="to-khai", name="Tờ khai", required=True)
    ComponentFactory.create(version=version, code="giay-chung-sinh", name="Giấy chứng sinh", required=True)
    ComponentFactory.create(version=version, code="giay-uy-quyen", name="Văn bản ủy quyền", required=False)
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    workflow_template_reset(procedure=procedure)
    subject_agency = AgencyFactory.create(commune_committee=True)
    other_agency = AgencyFactory.create(commune_committee=True)
    center = ServiceCenterFactory.create()
    other_center = ServiceCenterFactory.create()
    world = World(procedure, subject_agency, other_agency, center, other_center)
    world.staff = {
        "reception": StaffUserFactory.create(reception=True, center=center),
        "other_reception": StaffUserFactory.create(reception=True, center=other_center),
        "specialist": StaffUserFactory.create(specialist=True, agency=subject_agency),
        "leader": StaffUserFactory.create(leader=True, agency=subject_agency),
        "clerk": StaffUserFactory.create(clerk=True, agency=subject_agency),
        "other_specialist": StaffUserFactory.create(specialist=True, agency=other_agency),
        "other_leader": StaffUserFactory.create(leader=True, agency=other_agency),
        "supervisor": StaffUserFactory.create(supervisor=True),
        "admin": StaffUserFactory.create(system_admin=True),
    }
    return world


def paper_form_and_eform(world: World) -> None:
    """The declaration as a paper for the desk and the post, and a required interactive e-form for online
    filing: each component wanted on its own channels only (birth registration lists both)."""
    version = world.procedure.current_version
    assert version is not None
    version.components.filter(code="to-khai").update(channels=["direct", "post"])
    # After the version's last component: the factory numbers positions from a sequence shared by all tests,
    # so a fixed number can already be taken, depending on the order tests run in.
    last = max(component.position for component in version.components.all())
    ComponentFactory.create(
        version=version,
        code="e-form",
        name="Mẫu điện tử tương tác",
        required=True,
        channels=["online"],
        position=last + 1,
    )


def receive(
    world: World, *, received_at: datetime | None = None, channel: str = ChannelKind.DIRECT, **kwargs: Any
) -> Dossier:
    defaults: dict[str, Any] = {
        "actor": world.staff["reception"],
        "procedure_code": world.procedure.code,
        "receiving_center": world.center.code,
        "channel": channel,
        "applicant": ApplicantData(full_name="Nguyễn Văn An", personal_id=PERSONAL_ID, phone="0912345678"),
        "subject_unit": world.subject_code,
        "components": [ComponentData("to-khai"), ComponentData("giay-chung-sinh")],
        "received_at": received_at,
    }
    return dossier_receive(**{**defaults, **kwargs})


def act(
    world: World, dossier: Dossier, action: str, role: str, *, at: datetime | None = None, **kwargs: Any
) -> Dossier:
    return dossier_transition(actor=world.staff[role], dossier_code=dossier.code, action=action, now=at, **kwargs)


#: (action, role, extra arguments) in lifecycle order; traits stop at their state.
_PATH: list[tuple[str, str, dict[str, Any]]] = [
    ("transfer", "reception", {}),
    ("assign", "leader", {"payload": {"assignee": "<specialist>"}}),
    ("forward", "specialist", {}),
    ("approve", "leader", {}),
    ("issue-result", "clerk", {}),
    ("return-result", "reception", {}),
]
_STEPS = {"received": 0, "handling": 2, "signing": 3, "approved": 5, "returned": 6}


class DossierFactory(Factory[Dossier]):
    """`DossierFactory(world=w)`; traits: `handling`, `signing`, `approved`, `returned`, `overdue`."""

    class Meta:
        model = Dossier

    received_at = None
    stage = "received"

    class Params:
        handling = Trait(stage="handling")
        signing = Trait(stage="signing")
        approved = Trait(stage="approved")
        returned = Trait(stage="returned")
        # Received 30 days ago and still with the specialist: past its 5-working-day due time.
        overdue = Trait(stage="handling", received_at=timezone.now() - timedelta(days=30))

    @classmethod
    def _create(cls, model_class: type[Dossier], *args: Any, **kwargs: Any) -> Dossier:
        world: World = kwargs.pop("world")
        stage = kwargs.pop("stage")
        at = kwargs.pop("received_at")
        dossier = receive(world, received_at=at, **kwargs)
        for action, role, extra in _PATH[: _STEPS[stage]]:
            if "payload" in extra:
                extra = {"payload": {"assignee": world.staff["specialist"].username}}
            step_at = at + timedelta(hours=1) if at else None
            dossier = act(world, dossier, action, role, at=step_at, **extra)
            at = step_at
        return dossier
