import time

from django.core.management.base import BaseCommand

from programs.search import BATCH_SIZE, sheet_search_refresh_all


class Command(BaseCommand):
    help = (
        "全シートの検索用の文章（名称・目的・内容・経過・問題点・改善策・指標名などを正規化したもの）を作り直します。"
        "データベースの索引（PostgreSQL: pg_trgm、SQLite: FTS5）も合わせて更新されます。"
        "シートの部分をデータベースで直接書き換えた後に実行してください。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"一度に処理するシートの数（既定 {BATCH_SIZE}）")

    def handle(self, *args, **options):
        started = time.perf_counter()
        written = sheet_search_refresh_all(batch_size=options["batch_size"])
        self.stdout.write(f"{written} 枚のシートの検索用の文章を作り直しました（{time.perf_counter() - started:.1f} 秒）")
