from django.core.management.base import BaseCommand

from programs.figures import BATCH_SIZE, sheet_figures_refresh_all


class Command(BaseCommand):
    help = (
        "全シートの保存済みの数値（予算額・決算額・執行率・不用額・行政収支差額・指標達成度など、一覧の並べ替えに使う値）を"
        "計算し直します。シートの部分をデータベースで直接書き換えた後に実行してください。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"一度に計算するシートの数（既定 {BATCH_SIZE}）")

    def handle(self, *args, **options):
        updated = sheet_figures_refresh_all(batch_size=options["batch_size"])
        self.stdout.write(f"{updated} 枚のシートの数値を計算し直しました")
