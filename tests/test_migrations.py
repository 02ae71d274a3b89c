import importlib

from django.core.management import call_command

from finance.choices import CostAccount


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_cost_account_migration_turns_printed_labels_into_keys_and_back(db):
    """finance 0002 rewrote CostLine.account (and its history) from the printed label to the English key."""
    from django.apps import apps

    from finance.models import CostLine

    migration = importlib.import_module("finance.migrations.0002_cost_account_keys")
    lines = CostLine.objects.filter(sheet__program__code="03-04-01", fiscal_year=2019)
    before = dict(lines.values_list("account", "amount"))
    for key in before:
        lines.filter(account=key).update(account=CostAccount(key).label)  # as stored before the migration

    migration.labels_to_keys(apps, None)
    assert dict(lines.values_list("account", "amount")) == before
    assert lines.get(account="goods").amount == 421459  # 物件費 of 03-04-01, 令和元年度

    migration.keys_to_labels(apps, None)
    assert set(lines.values_list("account", flat=True)) == {CostAccount(key).label for key in before}
