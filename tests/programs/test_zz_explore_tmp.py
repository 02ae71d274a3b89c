import pytest
from programs.findings import findings_for_sheets
from programs.models import Sheet
pytestmark = pytest.mark.django_db
def test_show():
    ids = dict(Sheet.objects.values_list("pk", "program__code"))
    for sid, fs in findings_for_sheets(ids).items():
        for f in fs:
            print(ids[sid], f.code, f.severity, f.fiscal_year, f.figures)
            print("   ", f.message)
