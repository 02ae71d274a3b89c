import time

from django.core.management.base import BaseCommand
from django.db import transaction

from programs.improvements import improvements_refresh_all


class Command(BaseCommand):
    help = (
        "全シートの改善策について、本文から推定した状況を計算し直し、前年度の改善策とのつながり（改善策の進捗）を"
        "結び直します。この機能より前に登録した改善策や、データベースを直接書き換えた後に実行してください。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="一度に処理するシートの数（既定 1000）")

    def handle(self, *args, **options):
        started = time.perf_counter()
        with transaction.atomic():
            count = improvements_refresh_all(batch_size=options["batch_size"])
        self.stdout.write(f"{count} 枚のシートの改善策を更新しました（{time.perf_counter() - started:.1f} 秒）")
