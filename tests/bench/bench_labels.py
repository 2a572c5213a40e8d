"""Benchmark: serial labels as PDF (the project's report against Odoo 18's own) and as ZPL.

Same database, same run, same lots. Each measurement runs in its own ``odoo-bin shell``
process, after a warm-up print of a few labels in that process (templates compiled,
wkhtmltopdf in the file cache), so the figures are those of a server already serving:

- PDF: COUNT serial labels (default 1,000) through wkhtmltopdf, with the project's report
  (``serial_inventory_labels.action_report_serial_label``, label format A4 4 x 10 by
  default) and with Odoo's own lot label report (``stock.action_report_lot_label``, its
  4 x 12 sheet); both timed from the report call to the PDF bytes. Target: the project's
  report no slower than Odoo's (ratio <= 1).
- ZPL: ZPL_COUNT labels (default 10,000) through the ZPL report
  (``serial_inventory_labels.action_report_serial_label_zpl``, thermal 2 x 1 in). Target:
  under 2 s.

Figures only; nothing is asserted.

    setup/bench.sh labels [--count N] [--zpl-count N] [--repeat N] [--format XMLID]
"""

import argparse
import statistics

from benchlib import run_in_odoo

SETUP = """
product = env["product.product"].create({{
    "name": "Bench label widget", "default_code": "BLW-1", "is_storable": True,
    "tracking": "serial", "barcode": "4006381333931"}})
batch = env["serial.batch"].create({{"name": "BENCH-B1", "product_id": product.id}})
names = [f"BL{{number:08d}}" for number in range({count})]
lots = env["stock.lot"]._serial_bulk_create(
    product, names, {{"serial_batch_id": batch.id, "expiration_date": "2030-06-30 12:00:00"}})
env.cr.commit()
_report(lot_ids=lots.ids)
"""

MEASURE = """
import io
from odoo.tools.pdf import PdfFileReader
lot_ids = {lot_ids!r}
path = "{path}"
reports = env["ir.actions.report"].with_context(force_report_rendering=True)
label_format = env.ref("{label_format}")
zpl_format = env.ref("serial_inventory_labels.label_format_thermal_2x1in")

def render(ids):
    if path == "project":
        return reports._render_qweb_pdf(
            "serial_inventory_labels.action_report_serial_label", None,
            data={{"label_format_id": label_format.id, "lot_ids": ids}})[0]
    if path == "odoo":
        return reports._render_qweb_pdf("stock.action_report_lot_label", ids)[0]
    return reports._render_qweb_text(
        "serial_inventory_labels.action_report_serial_label_zpl", None,
        data={{"label_format_id": zpl_format.id, "lot_ids": ids}})[0]

render(lot_ids[:8])  # warm-up: templates compiled, caches filled
env.invalidate_all()
start = time.perf_counter()
output = render(lot_ids)
elapsed = time.perf_counter() - start
if path == "zpl":
    text = output.decode() if isinstance(output, bytes) else str(output)
    _report(path=path, seconds=elapsed, labels=text.count("^XA"), size_kb=len(text) / 1024)
else:
    pages = PdfFileReader(io.BytesIO(output)).getNumPages()
    _report(path=path, seconds=elapsed, pages=pages, size_kb=len(output) / 1024)
"""

LABELS = {
    "project": "project PDF",
    "odoo": "Odoo PDF",
    "zpl": "project ZPL",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="labels per PDF")
    parser.add_argument("--zpl-count", type=int, default=10000, help="labels in the ZPL run")
    parser.add_argument("--repeat", type=int, default=3, help="measurements per path")
    parser.add_argument("--format", default="serial_inventory_labels.label_format_a4_4x10",
                        help="label format (XML id) of the project's PDF")
    args = parser.parse_args()

    lot_ids = run_in_odoo(SETUP.format(count=max(args.count, args.zpl_count)))["lot_ids"]
    results = {path: [] for path in LABELS}
    print(f"{'path':>12} {'labels':>7} {'seconds':>8} {'per label':>10} {'pages':>6} "
          f"{'KB':>8} {'peak MB':>8}")
    for repetition in range(args.repeat):
        # Alternate the order so that neither PDF path always runs on a warmer machine.
        order = ("project", "odoo") if repetition % 2 == 0 else ("odoo", "project")
        for path in (*order, "zpl"):
            count = args.zpl_count if path == "zpl" else args.count
            result = run_in_odoo(MEASURE.format(
                lot_ids=lot_ids[:count], path=path, label_format=args.format))
            results[path].append(result["seconds"])
            pages = result.get("pages", "")
            print(f"{LABELS[path]:>12} {count:>7} {result['seconds']:>8.2f} "
                  f"{result['seconds'] / count * 1000:>8.2f}ms {pages!s:>6} "
                  f"{result['size_kb']:>8.0f} {result['peak_rss_mb']:>8.0f}", flush=True)

    project, odoo, zpl = (statistics.median(results[path]) for path in LABELS)
    print()
    print(f"median over {args.repeat} runs:")
    print(f"  {args.count} labels to PDF, project ({args.format.split('.')[-1]}): "
          f"{project:.2f} s")
    print(f"  {args.count} labels to PDF, Odoo stock.action_report_lot_label (4 x 12): "
          f"{odoo:.2f} s")
    print(f"  ratio project / Odoo: {project / odoo:.2f} (target: <= 1)")
    print(f"  {args.zpl_count} labels to ZPL: {zpl:.2f} s (target: < 2 s)")


if __name__ == "__main__":
    main()
