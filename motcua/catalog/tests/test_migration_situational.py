"""Migration 0003 corrects stored components to the situational rule, and its reverse restores them."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from motcua.catalog.models import Component
from motcua.catalog.tests.factories import ComponentFactory, ProcedureVersionFactory

migration = import_module("motcua.catalog.migrations.0003_supplement_rules_situational_components")


@pytest.mark.django_db
def test_situational_components_become_optional_and_back() -> None:
    version = ProcedureVersionFactory.create()
    rows = {
        "to-khai": ("Tờ khai", "", True),
        "bo-roi": ("Trường hợp trẻ em bị bỏ rơi thì phải có biên bản", "", True),
        "uy-quyen": ("Văn bản ủy quyền (nếu có)", "", False),
        "nuoc-ngoai": ("Giấy chứng sinh", "b) Trường hợp sinh ra ở nước ngoài:", True),
    }
    for position, (code, (name, group, required)) in enumerate(rows.items(), start=1):
        ComponentFactory.create(
            version=version, position=position, code=code, name=name, group=group, required=required
        )

    migration.mark_situational(apps, None)
    assert _required(version.pk) == {"to-khai": True, "bo-roi": False, "uy-quyen": False, "nuoc-ngoai": False}

    migration.unmark_situational(apps, None)
    assert _required(version.pk) == {"to-khai": True, "bo-roi": True, "uy-quyen": False, "nuoc-ngoai": True}


def _required(version_id: int) -> dict[str, bool]:
    return dict(Component.objects.filter(version_id=version_id).values_list("code", "required"))
