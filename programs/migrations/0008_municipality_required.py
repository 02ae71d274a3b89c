import django.db.models.deletion
from django.db import migrations, models

import evalsheets.lib.params


class Migration(migrations.Migration):
    """Every program, 分野 and 部 now has its municipality: make it required and scope the codes and names to it."""

    dependencies = [
        ("programs", "0007_default_municipality"),
    ]

    operations = [
        migrations.AlterField(
            model_name="department",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="programs.municipality",
                verbose_name="団体",
            ),
        ),
        migrations.AlterField(
            model_name="policyfield",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="policy_fields",
                to="programs.municipality",
                verbose_name="団体",
            ),
        ),
        migrations.AlterField(
            model_name="program",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="programs",
                to="programs.municipality",
                verbose_name="団体",
            ),
        ),
        migrations.AlterField(
            model_name="program",
            name="code",
            field=models.CharField(
                max_length=20, validators=[evalsheets.lib.params.validate_program_code], verbose_name="事務事業コード"
            ),
        ),
        migrations.AlterField(
            model_name="policyfield",
            name="code",
            field=models.CharField(max_length=10, verbose_name="分野コード"),
        ),
        migrations.AlterField(
            model_name="department",
            name="name",
            field=models.CharField(max_length=100, verbose_name="部名"),
        ),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(fields=("municipality", "name"), name="department_unique_name_in_municipality"),
        ),
        migrations.AddConstraint(
            model_name="policyfield",
            constraint=models.UniqueConstraint(fields=("municipality", "code"), name="policyfield_unique_code_in_municipality"),
        ),
        migrations.AddConstraint(
            model_name="program",
            constraint=models.UniqueConstraint(fields=("municipality", "code"), name="program_unique_code_in_municipality"),
        ),
    ]
