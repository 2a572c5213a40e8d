"""Benchmark: validating an N-serial delivery, plain Odoo versus the add-ons installed.

Two databases in the same run: BENCH_DB (the three add-ons, from setup/bench.sh, their fast
validation paths on) and a copy of the same no-demo template without them (plain Odoo 18:
stock_account, product_expiry, barcodes_gs1_nomenclature, sale_stock), made from
BENCH_PLAIN_TEMPLATE by benchlib.plain_database and dropped at the end. For each count N, in
each database, each step in a fresh process:
- setup (not measured): one serial product, N lots (N x REPEATS) with one unit each in
  WH/Stock;
- prepare (not measured): a delivery of N units to Customers, confirmed and reserved
  (action_assign);
- measure: picking.button_validate() plus the commit, the lines picked by Odoo's own
  button (no wizard);
- check (fails loudly otherwise): the delivery is done, its N lines are done, N quants of +1
  of its lots are at the customer location (and none other), none of them left in WH/Stock.
Prints both times (the median of REPEATS deliveries) and the speed-up plain / add-ons.
No assertion on time.

    setup/bench.sh dispatch_validation [N ...]                  (default: 5000 20000)
    BENCH_REPEATS=3 setup/bench.sh dispatch_validation 5000     median of 3 deliveries
"""

import os
import sys

from benchlib import median, plain_database, run_in_odoo

REPEATS = int(os.environ.get("BENCH_REPEATS", "1"))
TIMEOUT = 7200

SETUP = """
count = {count}
start = time.perf_counter()
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
stock = env.ref("stock.stock_location_stock")
product = env["product.product"].create({{
    "name": "Validation bench {count}", "is_storable": True, "tracking": "serial",
    "standard_price": 10.0}})
lots = env["stock.lot"].create([
    {{"name": f"VB{{index:08d}}", "product_id": product.id}} for index in range(count)])
Quant = env["stock.quant"]
for lot in lots:
    Quant._update_available_quantity(product, stock, 1, lot_id=lot)
env.cr.commit()
env.cr.execute("ANALYZE")
env.cr.commit()
_report(product_id=product.id, seconds=time.perf_counter() - start)
"""

PREPARE = """
product = env["product.product"].browse({product_id})
stock, customers = env.ref("stock.stock_location_stock"), env.ref("stock.stock_location_customers")
picking = env["stock.picking"].create({{
    "picking_type_id": env.ref("stock.picking_type_out").id,
    "location_id": stock.id, "location_dest_id": customers.id,
    "move_ids": [(0, 0, {{
        "name": product.name, "product_id": product.id, "product_uom_qty": {count},
        "product_uom": product.uom_id.id, "location_id": stock.id,
        "location_dest_id": customers.id}})],
}})
picking.action_confirm()
picking.action_assign()
env.cr.commit()
_report(picking_id=picking.id, state=picking.state, lines=len(picking.move_line_ids))
"""

MEASURE = """
env = env(user=env.ref("base.user_admin").id)
picking = env["stock.picking"].browse({picking_id})
start = time.perf_counter()
result = picking.button_validate()
env.cr.commit()
elapsed = time.perf_counter() - start
stock, customers = env.ref("stock.stock_location_stock"), env.ref("stock.stock_location_customers")
env.cr.execute("SELECT count(*) FROM stock_move_line WHERE picking_id = %s AND state = 'done'"
               " AND quantity = 1 AND lot_id IS NOT NULL", (picking.id,))
done_lines = env.cr.fetchone()[0]
lots = "SELECT lot_id FROM stock_move_line WHERE picking_id = %s"
env.cr.execute("SELECT count(*) FILTER (WHERE quantity = 1), count(*) FROM stock_quant"
               f" WHERE location_id = %s AND lot_id IN ({{lots}})", (customers.id, picking.id))
customer_unit_quants, customer_quants = env.cr.fetchone()
env.cr.execute("SELECT coalesce(sum(quantity), 0), coalesce(sum(reserved_quantity), 0)"
               f" FROM stock_quant WHERE location_id = %s AND lot_id IN ({{lots}})",
               (stock.id, picking.id))
stock_left, stock_reserved = env.cr.fetchone()
_report(seconds=elapsed, state=picking.state, done_lines=done_lines,
        customer_unit_quants=customer_unit_quants, customer_quants=customer_quants,
        stock_left=stock_left, stock_reserved=stock_reserved, validate_result=str(result))
"""


def _measure(label, count, db):
    """Median seconds of validating a reserved N-unit delivery; stock for every repeat."""
    product_id = run_in_odoo(SETUP.format(count=count * REPEATS), timeout=TIMEOUT,
                             db=db)["product_id"]
    times = []
    for _repeat in range(REPEATS):
        prepared = run_in_odoo(PREPARE.format(product_id=product_id, count=count),
                               timeout=TIMEOUT, db=db)
        if prepared["state"] != "assigned" or prepared["lines"] != count:
            raise SystemExit(f"{label} {count}: delivery not reserved as expected: {prepared}")
        result = run_in_odoo(MEASURE.format(picking_id=prepared["picking_id"]),
                             timeout=TIMEOUT, db=db)
        expected = {"state": "done", "done_lines": count, "customer_unit_quants": count,
                    "customer_quants": count, "stock_left": 0, "stock_reserved": 0}
        wrong = {key: result[key] for key, value in expected.items() if result[key] != value}
        if wrong:
            raise SystemExit(f"{label} {count}: delivery not validated as expected: {wrong} "
                             f"(expected {expected}); {result}")
        times.append(result["seconds"])
        print(f"  {label:>8}: validated {count} serials in {result['seconds']:.2f} s "
              f"(peak {result['peak_rss_mb']:.0f} MB; done, {count} quants of +1 at "
              f"Customers)", flush=True)
    return median(times)


def main(counts):
    if REPEATS < 1:
        raise SystemExit("BENCH_REPEATS must be at least 1")
    figures = []
    with plain_database() as plain_db:
        for count in counts:
            plain = _measure("plain", count, plain_db)
            addons = _measure("add-ons", count, None)
            figures.append((count, plain, addons))
    print(f"{'count':>8} {'plain s':>9} {'add-ons s':>10} {'speed-up':>9}   "
          f"(median of {REPEATS}; speed-up = plain / add-ons)")
    for count, plain, addons in figures:
        print(f"{count:>8} {plain:>9.2f} {addons:>10.2f} {plain / addons:>8.2f}x")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [5000, 20000])
