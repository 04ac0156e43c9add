"""`Dossier.population_db_linked` (DSKetNoiCSDL, Decision 766 index 4.5). Dossiers that already had a
component marked as taken from a national database were synced with the population database in
DSKetNoiCSDL; they keep it."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def backfill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(components__from_national_db=True).update(population_db_linked=True)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_online_submission_ratings")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="population_db_linked",
            field=models.BooleanField(default=False, verbose_name="dữ liệu lấy từ CSDL quốc gia về dân cư"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
