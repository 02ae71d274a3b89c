"""The sheet document (fixtures/FORMAT.md) in and out: workbook read/write/layout, serializer, text importers.

The only place that imports openpyxl."""
