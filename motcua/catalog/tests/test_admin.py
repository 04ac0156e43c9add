"""The catalog admin: pages render; workflow steps must add up to the legal limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import WorkflowTemplate
from motcua.catalog.services.workflow import workflow_template_reset
from motcua.catalog.tests.factories import procedure_with_version
from motcua.org.models import StaffUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_vi(client: Client) -> Client:
    user = StaffUser.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123", role="system_admin")
    client.force_login(user)
    return client


@pytest.fixture
def template() -> WorkflowTemplate:
    return workflow_template_reset(procedure=procedure_with_version(code="1.000001"))


def test_procedure_and_version_pages_render(admin_client_vi: Client, template: WorkflowTemplate) -> None:
    procedure = template.procedure
    assert admin_client_vi.get("/admin/catalog/procedure/?level=province&q=1.000001").status_code == 200
    assert admin_client_vi.get(f"/admin/catalog/procedure/{procedure.pk}/change/").status_code == 200
    assert (
        admin_client_vi.get(f"/admin/catalog/procedureversion/{procedure.current_version_id}/change/").status_code
        == 200
    )
    assert admin_client_vi.get(f"/admin/catalog/workflowtemplate/{template.pk}/change/").status_code == 200


def _step_form(template: WorkflowTemplate, budgets: list[str]) -> dict[str, Any]:
    steps = list(template.steps.order_by("order"))
    data: dict[str, Any] = {
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for index, (step, budget) in enumerate(zip(steps, budgets, strict=True)):
        prefix = f"steps-{index}-"
        data.update(
            {
                prefix + "id": str(step.pk),
                prefix + "template": str(template.pk),
                prefix + "order": str(step.order),
                prefix + "name": step.name,
                prefix + "role": step.role,
                prefix + "unit_kind": step.unit_kind,
                prefix + "budget_days": budget,
                prefix + "output": step.output,
            }
        )
    return data


def test_steps_that_do_not_add_up_are_refused_in_vietnamese(
    admin_client_vi: Client, template: WorkflowTemplate
) -> None:
    url = f"/admin/catalog/workflowtemplate/{template.pk}/change/"

    response = admin_client_vi.post(url, _step_form(template, ["0.25", "4", "0.75", "0.25"]))

    assert response.status_code == 200
    assert "phải bằng thời hạn giải quyết" in response.content.decode()
    template.refresh_from_db()
    assert template.is_default is True


def test_edited_steps_that_add_up_are_saved_and_no_longer_default(
    admin_client_vi: Client, template: WorkflowTemplate
) -> None:
    url = f"/admin/catalog/workflowtemplate/{template.pk}/change/"

    response = admin_client_vi.post(url, _step_form(template, ["0.5", "3.5", "0.75", "0.25"]))

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.is_default is False
    assert [str(s.budget_days) for s in template.steps.order_by("order")] == ["0.50", "3.50", "0.75", "0.25"]
