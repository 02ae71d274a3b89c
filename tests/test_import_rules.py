"""The layers stay honest: who may import whom (README, "Layout"), read from every module's imports."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("programs", "finance", "indicators")
VIEWS = ("programs.views", "programs.excel_views", "programs.api")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (function-level imports too), as absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # "from programs import views"
    return found


MODULES = {
    _module_name(path): _imports(path)
    for top in ("evalsheets", *APPS)
    for path in (ROOT / top).rglob("*.py")
    if "migrations" not in path.parts
}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _offending(modules: str, forbidden: tuple[str, ...], *, allowed: tuple[str, ...] = ()) -> list[str]:
    return sorted(
        f"{module} imports {name}"
        for module, names in MODULES.items()
        if _within(module, modules)
        for name in names
        if any(_within(name, f) for f in forbidden) and not any(_within(name, a) for a in allowed)
    )


def test_the_rules_see_the_imports_they_judge():
    """The reader finds real imports (so an empty result below means no offence, not no data)."""
    assert "programs.documents" in MODULES["finance.services"]
    assert "openpyxl" in MODULES["programs.interchange.workbook"]
    assert "programs.pages.compare" in MODULES["programs.views"]


def test_evalsheets_imports_no_app():
    assert _offending("evalsheets", APPS) == []


@pytest.mark.parametrize(("app", "other"), [("finance", "indicators"), ("indicators", "finance")])
def test_finance_and_indicators_never_import_each_other(app, other):
    assert _offending(app, (other,)) == []


@pytest.mark.parametrize("app", ["finance", "indicators"])
def test_finance_and_indicators_import_programs_only_for_its_models_and_the_document_reader(app):
    assert _offending(app, ("programs",), allowed=("programs.models", "programs.documents")) == []


@pytest.mark.parametrize("app", ["finance", "indicators"])
def test_finance_and_indicators_import_no_page_interchange_or_view(app):
    assert _offending(app, ("programs.pages", "programs.interchange", *VIEWS)) == []


def test_page_contexts_import_no_view():
    assert _offending("programs.pages", VIEWS) == []


def test_only_the_interchange_wing_imports_openpyxl():
    outside = {module: names for module, names in MODULES.items() if not _within(module, "programs.interchange")}
    assert sorted(module for module, names in outside.items() if any(_within(n, "openpyxl") for n in names)) == []


def test_page_contexts_and_views_do_no_pandas_or_plotly_work():
    """Group-bys and sums are analytics; figures are charts (STYLE.md)."""
    layers = [m for m in MODULES if _within(m, "programs.pages") or m in VIEWS]
    assert (
        sorted(
            f"{module} imports {name}"
            for module in layers
            for name in MODULES[module]
            if any(_within(name, lib) for lib in ("pandas", "plotly", "numpy"))
        )
        == []
    )
