"""Bulk inserts that still leave a first entry in django-simple-history (plain bulk_create skips its signals)."""

from collections.abc import Iterable

from simple_history.utils import bulk_create_with_history


def bulk_create_recorded(model, objects: Iterable) -> list:
    """bulk_create for a model with HistoricalRecords, writing the '+' history rows too (one extra insert)."""
    return bulk_create_with_history(list(objects), model)
