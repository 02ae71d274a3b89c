from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "事務事業"

    def ready(self):
        from evalsheets.lib.cache import connect_invalidation
        from programs.selectors import sheets_fingerprint

        connect_invalidation(
            fingerprint=sheets_fingerprint
        )  # cached page aggregates follow every write (evalsheets/lib/cache.py)
