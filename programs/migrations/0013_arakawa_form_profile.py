"""荒川区's form profile (today's form: every block, its five 分類, 分野 → 政策 → 施策, no extra text fields), and the
roles' permissions on the new models: every role reads them; 編集 edits a sheet's 追加の文章項目 (a part of the sheet);
様式, 分類の選択肢 and their text fields are 管理's."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ARAKAWA = {"code": "131181", "name": "荒川区", "prefecture": "東京都", "kind": "特別区"}
BLOCKS = [
    "strategy_plan",
    "implementation_standard",
    "sub_programs",
    "history",
    "necessity",
    "implementation",
    "budget",
    "money",
    "activity",
    "breakdown",
    "cost",
    "remarks",
    "issues",
    "improvements",
    "other_wards",
    "council",
]
CLASSIFICATIONS = ["重点的に推進", "推進", "継続", "改善・見直し", "休止・完了"]
NEW_MODELS = ["formprofile", "evaluationchoice", "profiletextfield", "sheettext"]


def profile_create(apps, schema_editor):
    Municipality = apps.get_model("programs", "Municipality")
    FormProfile = apps.get_model("programs", "FormProfile")
    EvaluationChoice = apps.get_model("programs", "EvaluationChoice")
    arakawa, _ = Municipality.objects.get_or_create(code=ARAKAWA["code"], defaults=ARAKAWA)
    profile, created = FormProfile.objects.get_or_create(
        municipality=arakawa,
        defaults={
            "form_name": "事務事業分析シート",
            "level1_name": "分野",
            "level2_name": "政策",
            "level3_name": "施策",
            "blocks": BLOCKS,
            "labels": {},
        },
    )
    if created:
        EvaluationChoice.objects.bulk_create(
            EvaluationChoice(profile=profile, value=value, position=i) for i, value in enumerate(CLASSIFICATIONS)
        )


def permissions_grant(apps, schema_editor):
    app_config = apps.get_app_config("programs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    new = Permission.objects.filter(content_type__app_label="programs", content_type__model__in=NEW_MODELS)
    for group in Group.objects.filter(name__in=["閲覧", "編集", "承認", "管理"]):
        if group.name == "管理":
            group.permissions.add(*new)
            continue
        group.permissions.add(*new.filter(codename__startswith="view_"))
        if group.name == "編集":
            group.permissions.add(*new.filter(content_type__model="sheettext").exclude(codename__startswith="view_"))


class Migration(migrations.Migration):
    dependencies = [("programs", "0012_form_profile"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(profile_create, migrations.RunPython.noop),
        migrations.RunPython(permissions_grant, migrations.RunPython.noop),
    ]
