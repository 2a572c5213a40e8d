"""Benchmark: validating an N-serial delivery with the add-ons installed versus plain Odoo.

Two databases in the same run: BENCH_DB (the three add-ons, from setup/bench.sh) and a
copy of the same dependency template without them (plain Odoo 18: stock_account,
product_expiry, barcodes_gs1_nomenclature, sale_stock), made here from
BENCH_PLAIN_TEMPLATE and dropped at the end. In each database, each step in a fresh process:
- setup (not measured): one serial product, N lots and N units in WH/Stock;
- prepare (not measured): a delivery of N units, confirmed and reserved (action_assign);
- measure: picking.button_validate() plus the commit, the lines picked by Odoo's own
  button (no wizard); the state must be done.
Prints both times, the ratio (add-ons / plain) and the overhead of the add-ons; target:
overhead under 10 %. No assertion on time.

    setup/bench.sh dispatch_validation [N [REPEATS]]     (default: 5000 1)
"""

import os
import shlex
import subprocess
import sys
from contextlib import contextmanager

from benchlib import median, run_in_odoo

SETUP = """
count = {count}
start = time.perf_counter()
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
stock = env.ref("stock.stock_location_stock")
product = env["product.product"].create({{
    "name": "Validation bench", "is_storable": True, "tracking": "serial",
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
env.cr.execute("SELECT count(*) FROM stock_move_line WHERE picking_id = %s AND state = 'done'"
               " AND quantity = 1 AND lot_id IS NOT NULL", (picking.id,))
done_lines = env.cr.fetchone()[0]
_report(seconds=elapsed, state=picking.state, done_lines=done_lines,
        validate_result=str(result))
"""


def _shell_for(db):
    """BENCH_ODOO_SHELL with its database (-d) replaced by db."""
    tokens = shlex.split(os.environ["BENCH_ODOO_SHELL"])
    tokens[tokens.index("-d") + 1] = db
    return shlex.join(tokens)


@contextmanager
def _database(db):
    saved = os.environ["BENCH_ODOO_SHELL"]
    os.environ["BENCH_ODOO_SHELL"] = _shell_for(db)
    try:
        yield
    finally:
        os.environ["BENCH_ODOO_SHELL"] = saved


def _data_dir():
    for token in shlex.split(os.environ["BENCH_ODOO_SHELL"]):
        if token.startswith("--data-dir="):
            return token.split("=", 1)[1]
    raise SystemExit("no --data-dir in BENCH_ODOO_SHELL")


def _create_plain(db):
    template = os.environ.get("BENCH_PLAIN_TEMPLATE")
    if not template:
        raise SystemExit("BENCH_PLAIN_TEMPLATE (the no-demo dependency database) is not set; "
                         "run through setup/bench.sh")
    subprocess.run(["createdb", "-T", template, db], check=True)
    filestore = os.path.join(_data_dir(), "filestore")
    if os.path.isdir(os.path.join(filestore, template)):
        subprocess.run(["cp", "-a", os.path.join(filestore, template),
                        os.path.join(filestore, db)], check=True)


def _drop_plain(db):
    subprocess.run(["dropdb", "--if-exists", db], check=False, stderr=subprocess.DEVNULL)
    subprocess.run(["rm", "-rf", os.path.join(_data_dir(), "filestore", db)], check=False)


def _measure(label, count, repeats):
    """Median seconds of validating a reserved N-unit delivery; stock for every repeat."""
    product_id = run_in_odoo(SETUP.format(count=count * repeats), timeout=7200)["product_id"]
    times = []
    for _repeat in range(repeats):
        prepared = run_in_odoo(PREPARE.format(product_id=product_id, count=count), timeout=7200)
        if prepared["state"] != "assigned" or prepared["lines"] != count:
            raise SystemExit(f"{label}: delivery not reserved as expected: {prepared}")
        result = run_in_odoo(MEASURE.format(picking_id=prepared["picking_id"]), timeout=7200)
        if result["state"] != "done" or result["done_lines"] != count:
            raise SystemExit(f"{label}: delivery not validated as expected: {result}")
        times.append(result["seconds"])
        print(f"  {label:>8}: validated {count} serials in {result['seconds']:.2f} s "
              f"(peak {result['peak_rss_mb']:.0f} MB)", flush=True)
    return median(times)


def main(count, repeats):
    plain_db = os.environ["BENCH_DB"] + "_plain"
    _drop_plain(plain_db)
    _create_plain(plain_db)
    try:
        with _database(plain_db):
            plain = _measure("plain", count, repeats)
        addons = _measure("add-ons", count, repeats)
    finally:
        _drop_plain(plain_db)
    ratio = addons / plain
    print(f"validate {count} serials: plain Odoo {plain:.2f} s, with the add-ons {addons:.2f} s"
          f" (median of {repeats})")
    print(f"ratio add-ons / plain = {ratio:.3f}; overhead {(ratio - 1) * 100:+.1f} % "
          f"(target < 10 %)")


if __name__ == "__main__":
    args = [int(arg) for arg in sys.argv[1:]]
    main(*(args + [5000, 1][len(args):]))
