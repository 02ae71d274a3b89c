"""類似する事務事業: for each program, its five closest programs, computed by `refresh_similar_programs` and stored so a
page reads them in one query (programs/similarity.py computes them)."""

from django.db import models


class SimilarProgram(models.Model):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="similar_links", verbose_name="事務事業"
    )
    similar = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name="類似する事務事業")
    rank = models.PositiveSmallIntegerField("順位")
    score = models.FloatField("類似度")
    text_score = models.FloatField("本文の類似度")
    # Why it is similar, as shown beside it: same_measure / same_policy / same_classification (bool),
    # shared_words (list of str), budget_ratio (float or null: the other's budget ÷ this one's).
    reasons = models.JSONField("類似の理由", default=dict)
    source_sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="+", verbose_name="比較したシート")
    computed_at = models.DateTimeField("計算日時")

    class Meta:
        verbose_name = verbose_name_plural = "類似する事務事業"
        ordering = ["program", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["program", "rank"], name="similar_program_unique_rank"),
            models.UniqueConstraint(fields=["program", "similar"], name="similar_program_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.program} → {self.similar} ({self.score:.2f})"
