"""Every translatable term of the add-ons can be extracted: Odoo's exporter reads each Python
file with Babel, which evaluates the string arguments of ``_()`` and gives up on the whole
file (its terms then missing from the .pot, the screens left in English) on an argument it
cannot evaluate, an f-string for one."""

from pathlib import Path

import pytest

babel_extract = pytest.importorskip("babel.messages.extract")

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ("serial_inventory", "serial_inventory_labels", "serial_inventory_scan",
          "serial_inventory_dispatch")
PYTHON_FILES = sorted(path for addon in ADDONS for path in (ROOT / addon).rglob("*.py")
                      if "tests" not in path.parts)


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_python_terms_extract(path):
    with path.open("rb") as source:
        # Odoo's keywords for Python sources (odoo/tools/translate.py: _extract_translatable...).
        list(babel_extract.extract_python(source, ["_", "_lt"], [], {}))


def test_an_fstring_argument_is_caught(tmp_path):
    """The check above can fail: the construct that broke three files."""
    bad = tmp_path / "bad.py"
    bad.write_text('raise UserError(_("%(n)s units", n=f"{max(1, 2):g}"))\n')
    with pytest.raises(NameError), bad.open("rb") as source:
        list(babel_extract.extract_python(source, ["_", "_lt"], [], {}))
