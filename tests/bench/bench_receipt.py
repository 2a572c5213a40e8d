"""Benchmark: receive N serial units end to end (serials generated, receipt validated).

Same database, same run, for each count:
- Odoo's own path: the receipt's "Generate Serials" (stock.move._generate_serial_numbers)
  then Validate (button_validate, which creates the lots, quants and valuation);
- the project's path: "Number serials" (receipt.serial.fill) then the same Validate.
Each receipt is prepared (confirmed) in one process and received in another, so the peak
memory printed is the receiving's own. Timings include the commit.

    setup/bench.sh receipt [COUNT ...]            (default: 1000 10000)
    BENCH_PATHS=project setup/bench.sh receipt    only the project's path
    BENCH_PROFILE=1 setup/bench.sh receipt 10000  cProfile of each path (top functions)
"""

import os
import sys

from benchlib import run_in_odoo

PATHS = os.environ.get("BENCH_PATHS", "odoo,project").split(",")
PROFILE = bool(os.environ.get("BENCH_PROFILE"))

SETUP = """
pattern = env["serial.pattern"].create({
    "name": "Receipt bench", "template": "RB{SEQ:8:36}{CHECK}", "check_algorithm": "mod37_36"})
category = env["product.category"].create({
    "name": "Receipt bench (real time)", "property_cost_method": "fifo",
    "property_valuation": "real_time"})
for path in ("odoo", "project"):
    env["product.product"].create({
        "name": "Receipt bench " + path, "is_storable": True, "tracking": "serial",
        "standard_price": 10.0, "categ_id": category.id,
        "serial_pattern_id": pattern.id if path == "project" else False})
env.cr.commit()
_report(ok=True)
"""

PREPARE = """
product = env["product.product"].search([("name", "=", "Receipt bench {path}")])
stock, supplier = env.ref("stock.stock_location_stock"), env.ref("stock.stock_location_suppliers")
picking = env["stock.picking"].create({{
    "picking_type_id": env.ref("stock.picking_type_in").id,
    "location_id": supplier.id, "location_dest_id": stock.id,
    "move_ids": [(0, 0, {{
        "name": product.name, "product_id": product.id, "product_uom_qty": {count},
        "product_uom": product.uom_id.id, "price_unit": 10.0,
        "location_id": supplier.id, "location_dest_id": stock.id}})],
}})
picking.action_confirm()
env.cr.commit()
_report(picking_id=picking.id)
"""

MEASURE = """
import cProfile, io, pstats
picking = env["stock.picking"].browse({picking_id})
path, profile = "{path}", {profile}
baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
profiler = cProfile.Profile() if profile else None
start = time.perf_counter()
if profiler:
    profiler.enable()
if path == "odoo":
    picking.move_ids._generate_serial_numbers("ODOO{count}-00000001", {count})
    generated = time.perf_counter() - start
else:
    env["receipt.serial.fill"].create({{"picking_id": picking.id}}).action_apply()
    generated = time.perf_counter() - start
if path == "odoo":
    picking = picking.with_context(serial_standard_validation=True)
result = picking.button_validate()
env.cr.commit()
if profiler:
    profiler.disable()
elapsed = time.perf_counter() - start
top = ""
if profiler:
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(25)
    top = stream.getvalue()
env.cr.execute("SELECT count(*), sum(q.quantity) FROM stock_quant q "
               "JOIN stock_location l ON l.id = q.location_id "
               "JOIN stock_move_line ml ON ml.lot_id = q.lot_id "
               "WHERE l.usage = 'internal' AND ml.picking_id = %s", (picking.id,))
quants, quantity = env.cr.fetchone()
_report(seconds=elapsed, generate_seconds=generated, state=picking.state, quants=quants,
        quantity=quantity, baseline_mb=baseline_mb, profile=top, validate_result=str(result))
"""


def main(counts):
    run_in_odoo(SETUP)
    print(f"{'count':>8} {'path':>8} {'total s':>8} {'generate':>9} {'validate':>9} "
          f"{'per unit':>9} {'peak MB':>8} {'growth':>7}")
    ratios = {}
    for count in counts:
        results = {}
        for path in PATHS:
            prepared = run_in_odoo(PREPARE.format(path=path, count=count))
            result = run_in_odoo(MEASURE.format(
                path=path, count=count, picking_id=prepared["picking_id"], profile=PROFILE),
                timeout=7200)
            if result["state"] != "done" or result["quants"] != count:
                raise SystemExit(f"{path} {count}: not received as expected: {result}")
            results[path] = result
            validate = result["seconds"] - result["generate_seconds"]
            print(f"{count:>8} {path:>8} {result['seconds']:>8.2f} "
                  f"{result['generate_seconds']:>9.2f} {validate:>9.2f} "
                  f"{result['seconds'] / count * 1000:>7.2f}ms {result['peak_rss_mb']:>8.0f} "
                  f"{result['peak_rss_mb'] - result['baseline_mb']:>7.0f}")
            if PROFILE:
                print(result["profile"])
        if len(results) == 2:
            ratios[count] = results["odoo"]["seconds"] / results["project"]["seconds"]
    for count, ratio in ratios.items():
        print(f"ratio at {count}: Odoo's path / project's path = {ratio:.1f}x")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
