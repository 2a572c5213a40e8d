"""Benchmark: the ORM's own cost of the records a receipt of N serials must create.

Receiving N serials creates, whatever the path, N lots and 2N quants (-1 at the vendor,
+1 in stock), and writes each move line's lot. Under the ORM contract (every module's
defaults, overrides and computed fields see every record) each of them goes through the
ORM's batched ``create``. This measures those creates alone, in one batched call each,
in plain Odoo without the add-ons (a copy of BENCH_PLAIN_TEMPLATE) and in the add-ons'
database (BENCH_DB): the floor no receiving path through the ORM can go below on this
machine, to read beside ``setup/bench.sh receipt``.

    setup/bench.sh orm_floor [COUNT ...]      (default: 10000)
"""

import sys

from benchlib import plain_database, run_in_odoo

MEASURE = """
from odoo.addons.stock.models.stock_quant import StockQuant as OdooStockQuant
count = {count}
product = env["product.product"].create(
    {{"name": "ORM floor", "is_storable": True, "tracking": "serial"}})
stock = env.ref("stock.stock_location_stock")
supplier = env.ref("stock.stock_location_suppliers")
env.flush_all()
start = time.perf_counter()
lots = env["stock.lot"].with_context(mail_create_nolog=True).create(
    [{{"name": "FLOOR%08d" % index, "product_id": product.id}} for index in range(count)])
env.flush_all()
lots_done = time.perf_counter()
values = []
for lot in lots:
    for location, quantity in ((supplier, -1), (stock, 1)):
        values.append({{"product_id": product.id, "lot_id": lot.id,
                        "location_id": location.id, "quantity": quantity,
                        "in_date": "2026-01-01 00:00:00"}})
# One batched create below Odoo's stock.quant.create (which creates one quant at a time).
super(OdooStockQuant, env["stock.quant"].sudo()).create(values)
env.flush_all()
quants_done = time.perf_counter()
env.cr.rollback()
_report(lots=lots_done - start, quants=quants_done - lots_done)
"""


def main(counts):
    print("   count       database   lots s  ms/lot  quants s  ms/quant  floor ms/unit")
    with plain_database() as plain_db:
        for count in counts:
            for label, db in (("plain Odoo", plain_db), ("add-ons", None)):
                result = run_in_odoo(MEASURE.format(count=count), timeout=7200, db=db)
                lots, quants = result["lots"], result["quants"]
                print(f"{count:8d} {label:>14} {lots:8.2f} {lots / count * 1000:7.3f} "
                      f"{quants:9.2f} {quants / count / 2 * 1000:9.3f} "
                      f"{(lots + quants) / count * 1000:14.3f}", flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10000])
