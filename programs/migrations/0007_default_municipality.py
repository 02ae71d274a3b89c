"""The default municipality (荒川区, 団体コード 131181, settings.EVALSHEETS_DEFAULT_MUNICIPALITY) owns every existing
program, 分野 and 部: until now the installation held 荒川区's sheets only."""

from django.db import migrations

ARAKAWA = {"code": "131181", "name": "荒川区", "prefecture": "東京都", "kind": "特別区"}


def municipality_assign(apps, schema_editor):
    Municipality = apps.get_model("programs", "Municipality")
    arakawa, _ = Municipality.objects.get_or_create(code=ARAKAWA["code"], defaults=ARAKAWA)
    for model in ("Program", "PolicyField", "Department"):
        apps.get_model("programs", model).objects.filter(municipality__isnull=True).update(municipality=arakawa)


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_municipality")]

    operations = [migrations.RunPython(municipality_assign, migrations.RunPython.noop)]
