"""Benchmark: server time of a dispatch scan, and scans per second from concurrent clients.

The database gets LOTS serials (most of them on a filler product, created in batches by
stock.lot._serial_bulk_create) and LINES serial products, each with CLIENTS + 1 units in
stock; CLIENTS + 1 delivery orders of LINES lines (one unit of each product) are confirmed.
Then, each in fresh processes:
- sequential: one client scans the LINES serials of the first delivery through
  stock.picking.serial_dispatch_scan, committing after each scan as an RPC would; prints the
  median and 95th percentile of the server time per scan, then the time of
  serial_dispatch_state (the dialog's load) and serial_dispatch_apply (Dispatch) on the
  full delivery;
- concurrent: CLIENTS processes (one connection each) start together and scan the other
  deliveries; prints the scans per second of them all and the per-scan percentiles.
Times are the model calls' own (as user admin, with access checks); HTTP and JSON are not
included.

    setup/bench.sh dispatch [LINES [LOTS [CLIENTS]]]     (default: 1000 1000000 4)
"""

import sys
import tempfile
import threading

from benchlib import median, percentile, run_in_odoo

FILL = """
lines, lots, clients = {lines}, {lots}, {clients}
start = time.perf_counter()
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
stock = env.ref("stock.stock_location_stock")
customers = env.ref("stock.stock_location_customers")
pattern = env["serial.pattern"].create({{
    "name": "Dispatch bench", "template": "DB{{SEQ:8:36}}{{CHECK}}",
    "check_algorithm": "mod37_36"}})
products = env["product.product"].create([{{
    "name": f"Dispatch bench {{index:04d}}", "is_storable": True, "tracking": "serial",
    "serial_pattern_id": pattern.id}} for index in range(lines)])
per_product = clients + 1
names = pattern._generate(lines * per_product, products[0])
Quant = env["stock.quant"]
for index, product in enumerate(products):
    product_lots = env["stock.lot"]._serial_bulk_create(
        product, names[index * per_product:(index + 1) * per_product], from_pattern=True)
    for lot in product_lots:
        Quant._update_available_quantity(product, stock, 1, lot_id=lot)
env.cr.commit()
filler = env["product.product"].create({{
    "name": "Dispatch bench filler", "is_storable": True, "tracking": "serial",
    "serial_pattern_id": pattern.id}})
remaining = lots - lines * per_product
while remaining > 0:
    chunk = pattern._generate(min(200000, remaining), filler)
    env["stock.lot"]._serial_bulk_create(filler, chunk, from_pattern=True)
    env.cr.commit()
    env.invalidate_all()
    remaining -= len(chunk)
pickings = []
for _index in range(per_product):
    picking = env["stock.picking"].create({{
        "picking_type_id": env.ref("stock.picking_type_out").id,
        "location_id": stock.id, "location_dest_id": customers.id,
        "move_ids": [(0, 0, {{
            "name": product.name, "product_id": product.id, "product_uom_qty": 1,
            "product_uom": product.uom_id.id, "location_id": stock.id,
            "location_dest_id": customers.id}}) for product in products],
    }})
    picking.action_confirm()
    env.cr.commit()
    pickings.append(picking.id)
env.cr.execute("ANALYZE")
env.cr.commit()
env.cr.execute("SELECT count(*) FROM stock_lot")
_report(product_ids=products.ids, picking_ids=pickings, lots=env.cr.fetchone()[0],
        fill_seconds=time.perf_counter() - start)
"""

# Delivery number {index} scans the {index}-th unit in stock of each of its products.
CODES = """
import os, uuid
env = env(user=env.ref("base.user_admin").id)
product_ids = {product_ids}
env.cr.execute(
    "SELECT product_id, array_agg(name ORDER BY id) FROM stock_lot "
    "WHERE product_id = ANY(%s) GROUP BY product_id", (product_ids,))
lot_names = dict(env.cr.fetchall())
codes = [lot_names[product_id][{index}] for product_id in product_ids]
picking = env["stock.picking"].browse({picking_id})
"""

SEQUENTIAL = CODES + """
timings, refused = [], []
for code in codes:
    started = time.perf_counter()
    result = picking.serial_dispatch_scan(code, uuid.uuid4().hex)
    env.cr.commit()
    timings.append(time.perf_counter() - started)
    if result["result"] != "accepted":
        refused.append(result["message"])
env.invalidate_all()
started = time.perf_counter()
state = picking.serial_dispatch_state()
state_seconds = time.perf_counter() - started
started = time.perf_counter()
applied = picking.serial_dispatch_apply()
env.cr.commit()
apply_seconds = time.perf_counter() - started
_report(timings=timings, refused=refused[:5], refused_count=len(refused),
        lines=len(state["lines"]), state_seconds=state_seconds, apply_seconds=apply_seconds,
        complete=applied["complete"])
"""

# Each client announces it is ready, then waits for the others (a file-system barrier), so
# that the measured interval holds only scanning.
CLIENT = CODES + """
ready_dir, clients = {ready_dir!r}, {clients}
open(os.path.join(ready_dir, "ready-{index}"), "w").close()
deadline = time.time() + 300
while len(os.listdir(ready_dir)) < clients and time.time() < deadline:
    time.sleep(0.005)  # polling interval of the barrier
started_at = time.time()
timings, refused = [], 0
for code in codes:
    started = time.perf_counter()
    result = picking.serial_dispatch_scan(code, uuid.uuid4().hex)
    env.cr.commit()
    timings.append(time.perf_counter() - started)
    refused += result["result"] != "accepted"
_report(started_at=started_at, ended_at=time.time(), timings=timings, refused=refused)
"""


def _milliseconds(values):
    return [value * 1000 for value in values]


def main(lines, lots, clients):
    filled = run_in_odoo(FILL.format(lines=lines, lots=lots, clients=clients), timeout=7200)
    print(f"{filled['lots']} serials, {lines}-line deliveries x {clients + 1}; "
          f"filled in {filled['fill_seconds']:.0f} s")
    product_ids, picking_ids = filled["product_ids"], filled["picking_ids"]

    sequential = run_in_odoo(SEQUENTIAL.format(
        product_ids=product_ids, picking_id=picking_ids[0], index=0))
    scan_ms = _milliseconds(sequential["timings"])
    print(f"sequential: {len(scan_ms)} scans, {sequential['refused_count']} refused "
          f"{sequential['refused']}")
    print(f"  server time per scan: median {median(scan_ms):.2f} ms, "
          f"p95 {percentile(scan_ms, 0.95):.2f} ms, max {max(scan_ms):.2f} ms")
    print(f"  state of the {sequential['lines']}-line delivery: "
          f"{sequential['state_seconds'] * 1000:.0f} ms; Dispatch (apply): "
          f"{sequential['apply_seconds']:.2f} s, complete={sequential['complete']}")

    results = [None] * clients
    with tempfile.TemporaryDirectory(prefix="bench-dispatch-") as ready_dir:

        def client(index):
            results[index] = run_in_odoo(CLIENT.format(
                product_ids=product_ids, picking_id=picking_ids[index + 1], index=index + 1,
                ready_dir=ready_dir, clients=clients))

        threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = max(r["ended_at"] for r in results) - min(r["started_at"] for r in results)
    scans = sum(len(r["timings"]) for r in results)
    all_ms = _milliseconds([t for r in results for t in r["timings"]])
    print(f"concurrent: {clients} clients, {scans} scans in {elapsed:.1f} s = "
          f"{scans / elapsed:.0f} scans/s; refused {sum(r['refused'] for r in results)}")
    print(f"  server time per scan: median {median(all_ms):.2f} ms, "
          f"p95 {percentile(all_ms, 0.95):.2f} ms")


if __name__ == "__main__":
    args = [int(arg) for arg in sys.argv[1:]]
    main(*(args + [1000, 1000000, 4][len(args):]))
