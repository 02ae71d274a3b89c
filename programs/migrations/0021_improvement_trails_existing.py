from django.db import migrations


def trails_link(apps, schema_editor):
    """Every existing 改善策's proposed status and trail link, by the same code the services and
    `manage.py refresh_improvements` use (as 0014 and 0017 do for the stored figures and the search documents)."""
    from programs.improvements import improvements_refresh_all

    improvements_refresh_all()


class Migration(migrations.Migration):
    dependencies = [("programs", "0020_improvement_ledger_and_similar_programs")]

    operations = [migrations.RunPython(trails_link, migrations.RunPython.noop)]
