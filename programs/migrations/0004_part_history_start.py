"""A first history row ('+') for every 担当者, 小事業 and 経過 that existed before they kept history, so a restore of
an earlier version finds them (the other parts have had their first row since they were loaded)."""

from django.db import migrations
from django.utils import timezone

PARTS = ["StaffMember", "SubProgram", "HistoryEvent"]


def _start(apps, schema_editor):
    now = timezone.now()
    for name in PARTS:
        model = apps.get_model("programs", name)
        historical = apps.get_model("programs", f"Historical{name}")
        fields = [f.attname for f in model._meta.concrete_fields]
        historical.objects.bulk_create(
            historical(**{f: getattr(row, f) for f in fields}, history_date=now, history_type="+", history_change_reason="履歴の開始")
            for row in model.objects.all().iterator()
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_roles")]

    operations = [migrations.RunPython(_start, migrations.RunPython.noop)]
