"""Every fixed list printed on the form, as TextChoices. Values are the form's own labels."""

from django.db import models


class StrategyPlan(models.TextChoices):
    COLLABORATION = "協働", "協働"
    OPERATIONS = "業務", "業務"
    FINANCE = "財務", "財務"
    PERSONNEL = "人事", "人事"


class BusinessType(models.TextChoices):
    NEW = "新規", "新規事業"
    CONSTRUCTION = "建設", "建設事業"
    CONTINUING = "継続", "それ以外の継続事業"


class ImplementationStandard(models.TextChoices):
    STATUTORY = "法令基準内", "法令基準内"
    METROPOLITAN = "都基準内", "都基準内"
    WARD = "区独自基準", "区独自基準"


class PlanCategory(models.TextChoices):
    PLANNED = "計画", "計画"
    UNPLANNED = "非計画", "非計画"


class Outsourcing(models.TextChoices):
    FULL = "全部委託", "全部委託"
    PARTIAL = "一部委託", "一部委託"
    DIRECT = "直営", "直営"


class Classification(models.TextChoices):
    PRIORITY = "重点的に推進", "重点的に推進"
    PROMOTE = "推進", "推進"
    CONTINUE = "継続", "継続"
    REVIEW = "改善・見直し", "改善・見直し"
    SUSPEND = "休止・完了", "休止・完了"


class DirectStaffKind(models.TextChoices):
    REGULAR = "常勤職員", "常勤職員"
    FISCAL_YEAR = "会計年度任用職員", "会計年度任用職員"


class SheetStatus(models.TextChoices):
    """Where a sheet is in its publication workflow: only 公開 sheets are shown to the public."""

    DRAFT = "draft", "作成中"
    SUBMITTED = "submitted", "提出"
    APPROVED = "approved", "承認"
    PUBLISHED = "published", "公開"


class ImprovementStatus(models.TextChoices):
    """Where one 改善策 stands: set in the admin, or proposed from the texts (programs/improvements.py)."""

    PLANNED = "planned", "計画"
    IN_PROGRESS = "in_progress", "実施中"
    DONE = "done", "完了"
    DROPPED = "dropped", "見送り"
