"""Benchmark: look up one serial among LOTS lots, by exact name and by fragment.

Fills the database with LOTS serials of one product through the project's batched
generation (stock.lot._serial_bulk_create, in chunks), then times, in a fresh process:
- exact: stock.lot.search([("name", "=", serial)]), the lookup behind a scan;
- scan: serial.code.resolver._resolve(serial), the whole resolution of a scanned code;
- fragment: stock.lot.search([("name", "ilike", fragment)], limit=80), the list's search box.
Prints median and 95th percentile per kind, and the query plans used.

    setup/bench.sh serial_lookup [LOTS]      (default: 1000000)
"""

import sys

from benchlib import median, percentile, run_in_odoo

FILL = """
chunk = 200000
pattern = env["serial.pattern"].create({
    "name": "Lookup", "template": "LK{SEQ:8:36}{CHECK}", "check_algorithm": "mod37_36"})
product = env["product.product"].create({
    "name": "Lookup unit", "is_storable": True, "tracking": "serial",
    "serial_pattern_id": pattern.id})
env.cr.commit()
total, start = {lots}, time.perf_counter()
while total > 0:
    names = pattern._generate(min(chunk, total), product)
    env["stock.lot"]._serial_bulk_create(product, names, from_pattern=True)
    env.cr.commit()
    env.invalidate_all()
    total -= len(names)
env.cr.execute("ANALYZE stock_lot")
env.cr.commit()
_report(product_id=product.id, fill_seconds=time.perf_counter() - start)
"""

MEASURE = """
import random
product_id = {product_id}
env.cr.execute("SELECT name FROM stock_lot WHERE product_id = %s", (product_id,))
names = [row[0] for row in env.cr.fetchall()]
picker = random.Random(42)
samples = picker.sample(names, 300)
fragments = [name[3:9] for name in picker.sample(names, 100)]
Lot = env["stock.lot"]
timings = {{"exact": [], "scan": [], "fragment": []}}
found = {{"exact": 0, "scan": 0, "fragment": 0}}
for name in samples[:200]:
    env.invalidate_all()
    start = time.perf_counter()
    lots = Lot.search([("name", "=", name)])
    timings["exact"].append(time.perf_counter() - start)
    found["exact"] += len(lots) == 1
for name in samples[200:]:
    env.invalidate_all()
    start = time.perf_counter()
    result = env["serial.code.resolver"]._resolve(name)
    timings["scan"].append(time.perf_counter() - start)
    found["scan"] += result["lot"].name == name
for fragment in fragments:
    env.invalidate_all()
    start = time.perf_counter()
    lots = Lot.search([("name", "ilike", fragment)], limit=80)
    timings["fragment"].append(time.perf_counter() - start)
    found["fragment"] += bool(lots)
plans = {{}}
for kind, clause in (("exact", "name = %s"), ("fragment", "name ILIKE %s")):
    value = samples[0] if kind == "exact" else "%" + fragments[0] + "%"
    env.cr.execute("EXPLAIN SELECT id FROM stock_lot WHERE " + clause + " LIMIT 80", (value,))
    plans[kind] = " / ".join(row[0].strip() for row in env.cr.fetchall())
env.cr.execute("SELECT count(*) FROM stock_lot")
_report(timings=timings, found=found, plans=plans, lots=env.cr.fetchone()[0])
"""


def main(lots):
    filled = run_in_odoo(FILL.replace("{lots}", str(lots)), timeout=7200)
    print(f"filled {lots} serials in {filled['fill_seconds']:.1f} s "
          f"({lots / filled['fill_seconds']:.0f} serials/s)")
    result = run_in_odoo(MEASURE.format(product_id=filled["product_id"]))
    print(f"lots in the database: {result['lots']}")
    for kind, values in result["timings"].items():
        milliseconds = [value * 1000 for value in values]
        print(f"{kind:>9}: median {median(milliseconds):7.2f} ms   "
              f"p95 {percentile(milliseconds, 0.95):7.2f} ms   "
              f"({len(values)} lookups, {result['found'][kind]} found)")
    for kind, plan in result["plans"].items():
        print(f"plan {kind}: {plan}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000000)
