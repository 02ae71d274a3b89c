"""A small national list of program kinds (事業の種別) for comparing the same kind of program across municipalities.
Edit it in the admin (事業の種別): add kinds, change their keywords. Keywords are matched in 事務事業名, 目的 and 内容."""

from django.db import migrations

KINDS = [
    ("information_systems", "情報システム運用", "業務系システム\n情報系システム\n基幹系システム\n情報システム運用\n電算"),
    ("network", "ネットワーク管理", "ネットワーク管理\nネットワーク機器\nネットワークの整備\n通信回線"),
    ("system_facilities", "システム設備・機器管理", "システム設置設備\nOA機器\nサーバ室"),
    ("e_government", "電子自治体・行政のデジタル化", "電子自治体\n電子申請\nデジタル化\nDX"),
    ("document_management", "文書管理", "文書管理\n電子決裁"),
    ("illegal_dumping", "不法投棄対策", "不法投棄"),
    ("waste_recycling", "ごみ収集・リサイクル", "ごみ収集\nリサイクル\n資源回収"),
    ("disaster_prevention", "防災", "防災\n災害対策"),
    ("public_relations", "広報", "広報\nホームページ"),
    ("childcare", "保育", "保育"),
    ("health_checkups", "健康診査・検診", "健康診査\n健診\nがん検診"),
    ("libraries", "図書館", "図書館"),
    ("parks", "公園管理", "公園"),
]


def kinds_create(apps, schema_editor):
    ProgramKind = apps.get_model("programs", "ProgramKind")
    for position, (code, name, keywords) in enumerate(KINDS):
        ProgramKind.objects.get_or_create(code=code, defaults={"name": name, "keywords": keywords, "position": position})


class Migration(migrations.Migration):
    dependencies = [("programs", "0010_program_kind")]

    operations = [migrations.RunPython(kinds_create, migrations.RunPython.noop)]
