import time

from django.core.management.base import BaseCommand, CommandError

from programs.demo_data import CODE_RANGE, LATEST_YEAR, DemoSize, demo_clear, demo_generate
from programs.similarity import similar_programs_refresh


class Command(BaseCommand):
    help = (
        "架空の特別区（架空第1区 …、架空都、団体コード 99001x〜）のデモデータを生成します: 部・課、分野/政策/施策、"
        "事務事業と評価年度ごとの公開済みシート（全項目入り）。同じ --seed なら同じデータになります。"
        "種シート（荒川区）には触れません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--wards", type=int, default=23, help="区の数（既定 23）")
        parser.add_argument("--programs", type=int, default=400, help="1区あたりの事務事業数（既定 400）")
        parser.add_argument("--years", type=int, default=5, help=f"評価年度の数（{LATEST_YEAR}年度までの連続した年度、既定 5）")
        parser.add_argument("--seed", type=int, default=1, help="乱数の種（既定 1）")
        parser.add_argument(
            "--clear",
            action="store_true",
            help=f"生成済みの団体（団体コード {CODE_RANGE[0]}〜{CODE_RANGE[1]}）とその配下をすべて削除してから生成します"
            "（--wards 0 なら削除だけ）",
        )

    def handle(self, *args, wards, programs, years, seed, clear, **options):
        if wards < 0 or programs < 1 or years < 1:
            raise CommandError("--wards は 0 以上、--programs と --years は 1 以上を指定してください")
        started = time.perf_counter()
        if clear:
            deleted = demo_clear()
            self.stdout.write(f"生成済みのデモデータ {deleted:,} 行を削除しました（{time.perf_counter() - started:.1f} 秒）")
        size = DemoSize(wards=wards, programs=programs, years=years, seed=seed)
        counts = demo_generate(size=size, progress=self.stdout.write)
        for model, count in sorted(counts.items()):
            self.stdout.write(f"  {model}: {count:,} 行")
        similar = similar_programs_refresh()  # once for every ward (the bulk inserts bypass the per-write refresh)
        self.stdout.write(
            f"類似する事務事業: {similar.programs:,} 事業の {similar.rows:,} 行を計算しました（{similar.seconds:.1f} 秒）"
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{counts.get('Sheet', 0):,} 枚のシートを生成しました（{elapsed:.1f} 秒）"))
