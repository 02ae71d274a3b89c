"""Bulk inserts that still leave a first entry in django-simple-history (plain bulk_create skips its signals)."""

from collections.abc import Iterable

from simple_history.utils import bulk_create_with_history


def bulk_create_recorded(model, objects: Iterable, *, user=None, reason: str | None = None) -> list:
    """bulk_create for a model with HistoricalRecords, writing the '+' history rows too (one extra insert), by `user`
    (else the request's user, when there is one) and with `reason` as their change reason."""
    return bulk_create_with_history(list(objects), model, default_user=user, default_change_reason=reason)
