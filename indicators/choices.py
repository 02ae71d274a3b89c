from django.db import models


class IndicatorKind(models.TextChoices):
    """活動指標 / 対象指標 / 成果指標: the three kinds of indicator a sheet may report (荒川区's are all 成果指標).

    The declaration order is the order of the sheet page and the workbook (activity, target, outcome).
    """

    ACTIVITY = "activity", "活動指標"
    TARGET = "target", "対象指標"
    OUTCOME = "outcome", "成果指標"


class Direction(models.TextChoices):
    """Which way an indicator is better, so achievement can be computed (none: no achievement)."""

    UP = "up", "増加が望ましい"
    DOWN = "down", "減少が望ましい"
    ZERO = "zero", "ゼロを維持"
    NONE = "none", "方向なし"


KIND_ORDER = {kind.value: position for position, kind in enumerate(IndicatorKind)}
