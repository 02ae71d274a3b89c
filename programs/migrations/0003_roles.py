"""The four roles as Django groups (閲覧, 編集, 承認, 管理), with their permissions.

閲覧 reads everything, drafts included; 編集 also edits the sheets of the 課 they belong to (Section.members) and
submits them; 承認 approves, sends back, publishes and reopens; 管理 may do everything, users and groups included.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SHEET_APPS = ["programs", "finance", "indicators"]
# Models edited as parts of a sheet (the sheet's own inlines); the policy hierarchy and 課 are 管理's.
PART_MODELS = {
    "programs": ["sheet", "program", "staffmember", "subprogram", "historyevent", "sheetissue", "improvement"],
    "finance": None,  # every model of the app
    "indicators": None,
}
ROLES = {
    "閲覧": {"view": True, "extra": ["view_unpublished_sheet"]},
    "編集": {"view": True, "edit": True, "extra": ["view_unpublished_sheet", "submit_sheet"]},
    "承認": {
        "view": True,
        "extra": ["view_unpublished_sheet", "approve_sheet", "publish_sheet", "reopen_sheet"],
    },
    "管理": {"all": True},
}


def _create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    in_apps = Permission.objects.filter(content_type__app_label__in=SHEET_APPS)
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if role.get("all"):
            group.permissions.set(in_apps | Permission.objects.filter(content_type__app_label="auth"))
            continue
        chosen = set(in_apps.filter(codename__in=role["extra"]))
        if role.get("view"):
            chosen |= set(in_apps.filter(codename__startswith="view_"))
        if role.get("edit"):
            for app, models in PART_MODELS.items():
                editable = in_apps.filter(content_type__app_label=app).exclude(codename__startswith="view_")
                if models is not None:
                    editable = editable.filter(content_type__model__in=models)
                chosen |= {p for p in editable if p.codename.split("_", 1)[0] in {"add", "change", "delete"}}
        group.permissions.set(chosen)


def _drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_sheet_status_version_members"),
        ("finance", "0002_cost_account_keys"),
        ("indicators", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(_create_roles, _drop_roles)]
