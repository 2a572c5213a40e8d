"""Screenshots of every label format: the first page of a real PDF, as PNG.

Prints sample serials with each seeded label format (and, to show the 2D symbols, a QR and
a GS1 DataMatrix variant) through the project's report and wkhtmltopdf, then renders the
first page with pdftoppm into serial_inventory_labels/static/description/label_*.png, the
images the add-on's readme shows. Run it again after changing the label report:

    setup/bench.sh labels_screenshots [--output DIR]
"""

import argparse
import subprocess
import tempfile
from pathlib import Path

from benchlib import run_in_odoo

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "serial_inventory_labels" / "static" / "description"

RENDER = """
import os
pdf_dir = {pdf_dir!r}
reports = env["ir.actions.report"].with_context(force_report_rendering=True)
product = env["product.product"].create({{
    "name": "Stainless Widget 40 mm", "default_code": "SW-40", "is_storable": True,
    "tracking": "serial", "barcode": "4006381333931", "list_price": 24.9}})
batch = env["serial.batch"].create({{"name": "B2611-07", "product_id": product.id}})
names = [f"SW40-{{number:06d}}" for number in range(1, 61)]
lots = env["stock.lot"]._serial_bulk_create(product, names, {{
    "serial_batch_id": batch.id, "manufacture_date": "2026-11-02",
    "expiration_date": "2031-10-31 12:00:00"}})
formats = {{}}
for xmlid in ("a4_3x8", "a4_4x10", "letter_3x10", "thermal_2x1in", "thermal_4x6in",
              "thermal_57x32"):
    formats[xmlid] = env.ref(f"serial_inventory_labels.label_format_{{xmlid}}")
formats["qr_57x32"] = formats["thermal_57x32"].copy(
    {{"name": "Thermal 57 x 32 mm, QR", "barcode_kind": "qr"}})
formats["datamatrix_a4_4x10"] = formats["a4_4x10"].copy(
    {{"name": "A4 4 x 10, GS1 DataMatrix", "barcode_kind": "datamatrix",
      "show_expiration_date": True}})
written = {{}}
for code, label_format in formats.items():
    count = label_format.labels_per_page if label_format.kind == "sheet" else 1
    pdf = reports._render_qweb_pdf(
        "serial_inventory_labels.action_report_serial_label", None,
        data={{"label_format_id": label_format.id, "lot_ids": lots.ids[:count]}})[0]
    path = os.path.join(pdf_dir, f"label_{{code}}.pdf")
    with open(path, "wb") as pdf_file:
        pdf_file.write(pdf)
    written[code] = {{"pdf": path, "sheet": label_format.kind == "sheet"}}
env.cr.rollback()
_report(written=written)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as pdf_dir:
        written = run_in_odoo(RENDER.format(pdf_dir=pdf_dir))["written"]
        for code, entry in sorted(written.items()):
            png = args.output / f"label_{code}"
            # Whole sheets at 80 dpi; a thermal label is small: 300 dpi.
            resolution = "80" if entry["sheet"] else "300"
            subprocess.run(["pdftoppm", "-png", "-r", resolution, "-f", "1", "-l", "1",
                            "-singlefile", entry["pdf"], str(png)], check=True)
            print(f"{png}.png")


if __name__ == "__main__":
    main()
