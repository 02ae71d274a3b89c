import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import evalsheets.lib.params
import programs.models.municipality


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_program_code_validator"),
    ]

    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        max_length=6,
                        unique=True,
                        validators=[programs.models.municipality.validate_local_government_code],
                        verbose_name="団体コード",
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="団体名")),
                ("prefecture", models.CharField(max_length=10, verbose_name="都道府県")),
                (
                    "kind",
                    models.CharField(
                        choices=[("特別区", "特別区"), ("市", "市"), ("町", "町"), ("村", "村")],
                        max_length=10,
                        verbose_name="区分",
                    ),
                ),
            ],
            options={
                "verbose_name": "団体",
                "verbose_name_plural": "団体",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="MunicipalityPopulation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "fiscal_year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1900),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="年度",
                    ),
                ),
                (
                    "population",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)], verbose_name="人口（人）"
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True, help_text="例: 住民基本台帳 4月1日現在", max_length=200, verbose_name="出典・基準日"
                    ),
                ),
            ],
            options={
                "verbose_name": "人口",
                "verbose_name_plural": "人口",
                "ordering": ["municipality", "fiscal_year"],
            },
        ),
        migrations.AlterModelOptions(
            name="department",
            options={"ordering": ["municipality__code", "name"], "verbose_name": "部", "verbose_name_plural": "部"},
        ),
        migrations.AlterModelOptions(
            name="measure",
            options={
                "ordering": ["policy__field__municipality__code", "policy__field__code", "policy__code", "code"],
                "verbose_name": "施策",
                "verbose_name_plural": "施策",
            },
        ),
        migrations.AlterModelOptions(
            name="policy",
            options={
                "ordering": ["field__municipality__code", "field__code", "code"],
                "verbose_name": "政策",
                "verbose_name_plural": "政策",
            },
        ),
        migrations.AlterModelOptions(
            name="policyfield",
            options={"ordering": ["municipality__code", "code"], "verbose_name": "分野", "verbose_name_plural": "分野"},
        ),
        migrations.AlterModelOptions(
            name="program",
            options={"ordering": ["municipality__code", "code"], "verbose_name": "事務事業", "verbose_name_plural": "事務事業"},
        ),
        migrations.AlterModelOptions(
            name="section",
            options={
                "ordering": ["department__municipality__code", "department__name", "name"],
                "verbose_name": "課",
                "verbose_name_plural": "課",
            },
        ),
        migrations.AddField(
            model_name="department",
            name="municipality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="programs.municipality",
                verbose_name="団体",
            ),
        ),
        migrations.AddField(
            model_name="policyfield",
            name="municipality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="policy_fields",
                to="programs.municipality",
                verbose_name="団体",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="municipality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="programs",
                to="programs.municipality",
                verbose_name="団体",
            ),
        ),
        migrations.AddField(
            model_name="municipalitypopulation",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="populations",
                to="programs.municipality",
                verbose_name="団体",
            ),
        ),
        migrations.AddConstraint(
            model_name="municipalitypopulation",
            constraint=models.UniqueConstraint(fields=("municipality", "fiscal_year"), name="population_unique_year"),
        ),
        migrations.AddConstraint(
            model_name="municipalitypopulation",
            constraint=models.CheckConstraint(condition=models.Q(("population__gte", 1)), name="population_positive"),
        ),
    ]
