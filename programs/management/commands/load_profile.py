from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.documents import DocumentError
from programs.services import document_read, profile_upsert


class Command(BaseCommand):
    help = (
        "団体の様式（様式の名称、体系の階層名、表示する欄と見出し、分類の選択肢、追加の文章項目）と団体・人口を "
        "JSON ファイルから登録・更新します（何度実行しても同じ結果。例: fixtures/examples/kakuu_city_profile.json）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE", help="様式の JSON ファイル")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            profile = profile_upsert(document=document_read(path=path))
        except DocumentError as exc:
            raise CommandError(f"{path.name}: {exc.path}: {exc.message}") from None
        choices = "／".join(str(choice) for choice in profile.choices.all())
        self.stdout.write(
            f"{profile.municipality}（{profile.municipality.code}）の様式「{profile.form_name}」を登録しました: 分類 {choices}"
        )
