"""Benchmark: counting a location of UNITS serials with the Inventory Scanner's Count.

The database gets a location holding UNITS serial units (created in batches by
stock.lot._serial_bulk_create, in stock through stock.quant._update_available_quantity).
Then, in a fresh process, as user admin with access checks, committing after each call as
an RPC would: a location scan opens the count, SCANS of the units are scanned through
serial.scan.operation.scan (each answer carries the whole screen state: counts and lists),
then the count is applied (Odoo's inventory adjustment of every unit: found ones confirmed,
the others missing). Prints the median, 95th percentile and maximum server time per scan,
the time of the last scans (the state then reads the most scans), and the apply time. HTTP
and JSON are not included; nothing is asserted.

    setup/bench.sh count [UNITS [SCANS]]     (default: 10000, all units but 10)
"""

import sys

from benchlib import median, percentile, run_in_odoo

FILL = """
units = {units}
start = time.perf_counter()
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
stock = env.ref("stock.stock_location_stock")
shelf = env["stock.location"].create(
    {{"name": "Count bench", "barcode": "COUNT-BENCH", "location_id": stock.id}})
product = env["product.product"].create(
    {{"name": "Count bench unit", "is_storable": True, "tracking": "serial"}})
names = [f"CB{{index:07d}}" for index in range(units)]
Quant = env["stock.quant"]
for offset in range(0, units, 2000):
    lots = env["stock.lot"]._serial_bulk_create(product, names[offset:offset + 2000])
    for lot in lots:
        Quant._update_available_quantity(product, shelf, 1, lot_id=lot)
    env.cr.commit()
    env.invalidate_all()
env.cr.execute("ANALYZE")
env.cr.commit()
_report(names=names, fill_seconds=time.perf_counter() - start)
"""

COUNT = """
import uuid
env = env(user=env.ref("base.user_admin").id)
operations = env["serial.scan.operation"]
names = {names}
started = time.perf_counter()
answer = operations.scan("count", False, "COUNT-BENCH", uuid.uuid4().hex)
env.cr.commit()
open_seconds = time.perf_counter() - started
count_id = answer["record_id"]
timings, refused = [], []
for name in names:
    started = time.perf_counter()
    answer = operations.scan("count", count_id, name, uuid.uuid4().hex)
    env.cr.commit()
    timings.append(time.perf_counter() - started)
    if answer["result"] != "accepted":
        refused.append(answer["message"])
counts = answer["state"]["counts"]
env.invalidate_all()
started = time.perf_counter()
state = operations.scan_apply("count", count_id)
env.cr.commit()
apply_seconds = time.perf_counter() - started
_report(timings=timings, refused=refused[:5], refused_count=len(refused), counts=counts,
        open_seconds=open_seconds, apply_seconds=apply_seconds,
        applied_moves=state["applied_moves"])
"""


def _milliseconds(values):
    return [value * 1000 for value in values]


def main(units, scans):
    filled = run_in_odoo(FILL.format(units=units), timeout=7200)
    print(f"{units} serials in one location; filled in {filled['fill_seconds']:.0f} s")
    result = run_in_odoo(COUNT.format(names=filled["names"][:scans]), timeout=7200)
    scan_ms = _milliseconds(result["timings"])
    last_ms = scan_ms[-100:]
    print(f"count: location scan {result['open_seconds'] * 1000:.0f} ms; {len(scan_ms)} unit "
          f"scans, {result['refused_count']} refused {result['refused']}; {result['counts']}")
    print(f"  server time per scan: median {median(scan_ms):.2f} ms, "
          f"p95 {percentile(scan_ms, 0.95):.2f} ms, max {max(scan_ms):.2f} ms; "
          f"last 100 scans: median {median(last_ms):.2f} ms")
    print(f"  apply (Odoo's inventory adjustment, {result['applied_moves']} moves): "
          f"{result['apply_seconds']:.2f} s")


if __name__ == "__main__":
    args = [int(arg) for arg in sys.argv[1:]]
    units = args[0] if args else 10000
    main(units, args[1] if len(args) > 1 else max(units - 10, 0))
