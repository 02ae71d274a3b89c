from django.db import models


class Direction(models.TextChoices):
    """Which way an indicator is better, so achievement can be computed."""

    UP = "up", "増加が望ましい"
    DOWN = "down", "減少が望ましい"
    ZERO = "zero", "ゼロを維持"
