"""Cached page aggregates (overview, roll-up, compare) through Django's cache framework (settings.CACHES: Redis when
REDIS_URL is set, else local memory per process).

A cached value is keyed by the data version, the viewer's visibility (published sheets only, or every sheet) and the
page's own parameters (municipality, year, selection), so it is never served once anything it was computed from
changed. The data version has two parts:

- a fingerprint of the sheets read in one query (how many, how many published, the sum of their versions, the newest
  update and id): any save of a sheet or of one of its parts (programs.locking bumps Sheet.version), a status change,
  an import, a roll-over or a deletion changes it, in every process, whatever cache backend;
- a generation counter in the cache, bumped by post_save/post_delete of any model of the programs, finance and
  indicators apps (a 分野 renamed, a population entered, a part saved outside the locking services).
"""

import hashlib

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "evalsheets:data-generation"
TIMEOUT = 60 * 60  # seconds; the key changes with the data anyway, the timeout only frees memory
DATA_APPS = {"programs", "finance", "indicators"}


def data_generation_bump(sender=None, **_kwargs) -> None:
    """A receiver of post_save/post_delete: one more generation when a model of the data apps is written."""
    if sender is not None and sender._meta.app_label not in DATA_APPS:
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value changes the key
        cache.set(GENERATION_KEY, 1, None)


def _no_fingerprint() -> str:
    return ""


_fingerprint = _no_fingerprint


def connect_invalidation(*, fingerprint) -> None:
    """Connects the generation counter to every model save and delete, and sets `fingerprint` (a callable returning the
    data's fingerprint as text, one query: programs.selectors.sheets_fingerprint) — called once, by
    ProgramsConfig.ready (this module imports no app)."""
    global _fingerprint
    _fingerprint = fingerprint
    post_save.connect(data_generation_bump, dispatch_uid="evalsheets-cache-save")
    post_delete.connect(data_generation_bump, dispatch_uid="evalsheets-cache-delete")


def data_version() -> str:
    """The data version (one query): changes whenever any sheet, part, status or hierarchy row changes."""
    return f"{cache.get(GENERATION_KEY, 0)}:{_fingerprint()}"


def visibility(viewer) -> str:
    """Whether `viewer` reads every sheet or published sheets only (Sheet.objects.visible_to's rule)."""
    return "all" if viewer is None or viewer.has_perm("programs.view_unpublished_sheet") else "published"


def page_key(name: str, *, viewer, version: str | None = None, **params) -> str:
    """The cache key of `name` for the data version, `viewer`'s visibility and `params` (each turned into text: pass
    codes, years, ids); also the vary-on value of a template's {% cache %} fragment."""
    version = data_version() if version is None else version
    parts = [name, version, visibility(viewer), *(f"{key}={params[key]!r}" for key in sorted(params))]
    return f"evalsheets:page:{name}:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached(name: str, compute, *, viewer, version: str | None = None, **params):
    """`compute()` once per data version, visibility and `params` (page_key).

    `version`: the data_version already read for this request (a page of several cached parts reads it once)."""
    key = page_key(name, viewer=viewer, version=version, **params)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
