"""Components limited to some submission channels (chỉ áp dụng cho hình thức nộp).

The civil status procedures list both the paper form "(nếu người có yêu cầu lựa chọn nộp hồ sơ theo
hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính)" and the interactive e-form "(…, nếu người có
yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến)" as required; each is required only on its own
channels. Stored components are set here rather than by a re-import, for the reason 0003 gives. The rule
is frozen here (a migration must not follow later parser edits).
"""

import re

from django.db import migrations, models

BATCH = 2000
_CONDITION = re.compile(r"\([^()]*\bnếu\b[^()]*\bhình thức\b[^()]*\)", re.IGNORECASE)
_WORDS = (
    ("direct", re.compile(r"\btrực tiếp\b", re.IGNORECASE)),
    ("post", re.compile(r"\bbưu chính\b", re.IGNORECASE)),
    ("online", re.compile(r"\btrực tuyến\b", re.IGNORECASE)),
)


def _channels(name):
    named = set()
    for condition in _CONDITION.findall(name):
        named |= {kind for kind, word in _WORDS if word.search(condition)}
    if not named or len(named) == len(_WORDS):
        return []
    return [kind for kind, _ in _WORDS if kind in named]


def set_channels(apps, schema_editor):
    Component = apps.get_model("catalog", "Component")
    changed = []
    for component in Component.objects.only("id", "name", "channels").iterator(chunk_size=BATCH):
        channels = _channels(component.name)
        if channels:
            component.channels = channels
            changed.append(component)
        if len(changed) >= BATCH:
            Component.objects.bulk_update(changed, ["channels"])
            changed = []
    Component.objects.bulk_update(changed, ["channels"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_supplement_rules_situational_components"),
    ]

    operations = [
        migrations.AddField(
            model_name="component",
            name="channels",
            field=models.JSONField(blank=True, default=list, verbose_name="chỉ áp dụng cho hình thức nộp"),
        ),
        migrations.RunPython(set_channels, migrations.RunPython.noop),
    ]
