"""Benchmark: generate and store N serials on a receipt, the project's path against Odoo's.

Same database, same run. For each count, two fresh receipts of one product each:
- Odoo's own path: ``stock.move._generate_serial_numbers`` (what the receipt's "Generate
  Serials" does) for a product without a pattern;
- the project's path: the receipt's "Number serials" action (``receipt.serial.fill``) for a
  product with a pattern, which also creates the lots.
Both are committed inside the timed part. The receipt is prepared (confirmed) in one
process and numbered in another, so the peak memory printed is the numbering's own; "growth"
is the peak minus the process's size before the timed part.

    setup/bench.sh serial_generation [COUNT ...]     (default: 10000 100000)
"""

import os
import sys

from benchlib import run_in_odoo

# BENCH_PATHS=project measures only the project's path (quicker while tuning).
PATHS = [(p, "Odoo" if p == "odoo" else p)
         for p in os.environ.get("BENCH_PATHS", "odoo,project").split(",")]

SETUP = """
pattern = env["serial.pattern"].create({
    "name": "Bench", "template": "BN{YY}{SEQ:8:36}{CHECK}", "check_algorithm": "mod37_36"})
for name, with_pattern in (("Bench serial (project)", True), ("Bench serial (Odoo)", False)):
    env["product.product"].create({
        "name": name, "is_storable": True, "tracking": "serial",
        "serial_pattern_id": pattern.id if with_pattern else False})
env.cr.commit()
_report(ok=True)
"""

PREPARE = """
count = {count}
product = env["product.product"].search([("name", "=", "Bench serial ({label})")])
picking = env["stock.picking"].create({{
    "picking_type_id": env.ref("stock.picking_type_in").id,
    "location_id": env.ref("stock.stock_location_suppliers").id,
    "location_dest_id": env.ref("stock.stock_location_stock").id,
    "move_ids": [(0, 0, {{
        "name": product.name, "product_id": product.id, "product_uom_qty": count,
        "product_uom": product.uom_id.id,
        "location_id": env.ref("stock.stock_location_suppliers").id,
        "location_dest_id": env.ref("stock.stock_location_stock").id,
    }})],
}})
picking.action_confirm()
env.cr.commit()
_report(picking_id=picking.id)
"""

# Measured in a process of its own, so that its peak memory is the generation's.
MEASURE = """
count = {count}
path = "{path}"
picking = env["stock.picking"].browse({picking_id})
baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
if path == "odoo":
    move = picking.move_ids
    move._generate_serial_numbers("ODOO00000001", count)
else:
    env["receipt.serial.fill"].create({{"picking_id": picking.id}}).action_apply()
env.cr.commit()
elapsed = time.perf_counter() - start
lines = env["stock.move.line"].search_count([("picking_id", "=", picking.id)])
named = env["stock.move.line"].search_count(
    [("picking_id", "=", picking.id), "|", ("lot_id", "!=", False), ("lot_name", "!=", False)])
_report(path=path, count=count, seconds=elapsed, lines=lines, lines_with_serial=named,
        baseline_mb=baseline_mb)
"""


def main(counts):
    run_in_odoo(SETUP)
    print(f"{'count':>8} {'path':>8} {'seconds':>9} {'per unit':>10} {'peak MB':>8} "
          f"{'growth MB':>9}  lines")
    ratios = {}
    for count in counts:
        results = {}
        for path, label in PATHS:
            prepared = run_in_odoo(PREPARE.format(count=count, label=label))
            result = run_in_odoo(
                MEASURE.format(count=count, path=path, picking_id=prepared["picking_id"]))
            assert result["lines_with_serial"] == count, result
            results[path] = result
            print(f"{count:>8} {path:>8} {result['seconds']:>9.2f} "
                  f"{result['seconds'] / count * 1000:>8.3f}ms {result['peak_rss_mb']:>8.0f} "
                  f"{result['peak_rss_mb'] - result['baseline_mb']:>9.0f}  {result['lines']}")
        if len(results) == 2:
            ratios[count] = results["odoo"]["seconds"] / results["project"]["seconds"]
    for count, ratio in ratios.items():
        print(f"ratio at {count}: Odoo's path / project's path = {ratio:.1f}x")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10000, 100000])
