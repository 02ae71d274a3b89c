from django.core.management.base import BaseCommand

from programs.similarity import similar_programs_refresh


class Command(BaseCommand):
    help = (
        "類似する事務事業を計算し直します: 各事務事業の最新の公開シート（事務事業名・目的・内容の文字 n-gram の TF-IDF、"
        "施策・政策・分野、予算規模、分類）から上位5件を求め、保存済みの結果を1つのトランザクションで置き換えます。"
        "事務事業が多いデータベース（programs.similarity.SYNC_REFRESH_MAX_PROGRAMS 超）では cron などで定期的に実行してください。"
    )

    def handle(self, *args, **options):
        report = similar_programs_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"類似する事務事業: {report.programs:,} 事業の {report.rows:,} 行を保存しました（{report.seconds:.1f} 秒）"
            )
        )
