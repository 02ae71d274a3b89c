from django.core.management.base import BaseCommand
from django.db import transaction

from programs.models import Program
from programs.program_kinds import ADMIN, program_kinds_assign


class Command(BaseCommand):
    help = (
        "事業の種別（団体間比較）をキーワードで判定し直します。最新のシートの事務事業名・目的・内容にキーワードを含む"
        "最初の種別を付けます（管理画面で指定した事業はそのまま）。"
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = program_kinds_assign()
        kept = Program.objects.filter(kind_source=ADMIN).count()
        for name, count in sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or "")):
            self.stdout.write(f"  {name or '（該当なし）'}: {count} 事業")
        self.stdout.write(f"キーワードで {sum(counts.values())} 事業を判定しました（管理画面で指定した {kept} 事業はそのまま）")
