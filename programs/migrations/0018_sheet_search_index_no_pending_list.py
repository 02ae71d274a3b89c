from django.db import migrations


def fastupdate_off(apps, schema_editor):
    """PostgreSQL: the trigram index without GIN's pending list. Rows written in bulk (generate_demo, an import of a
    ward) otherwise wait in an unindexed list until a vacuum, every search scans that list, and the planner then
    prefers a scan of the whole table: measured at 4,606 generated sheets, 433 pending pages, a search by sequential
    scan in 110 ms; the same search from the index in 7 ms."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX sheetsearch_document_trgm SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list('sheetsearch_document_trgm')")


def fastupdate_on(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX sheetsearch_document_trgm RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("programs", "0017_sheet_search")]

    operations = [migrations.RunPython(fastupdate_off, fastupdate_on)]
