"""Benchmark: receive N serial units end to end (serials generated, receipt validated).

Three databases made from the same no-demo template, in one run, for each count:
- plain: plain Odoo 18 without the add-ons (a copy of BENCH_PLAIN_TEMPLATE made here and
  dropped at the end): the receipt's "Generate Serials"
  (``stock.move._generate_serial_numbers``) then Validate (``button_validate``, which
  creates the lots, quants and valuation);
- odoo: the add-ons installed (BENCH_DB), the same two Odoo buttons, the add-ons' fast
  validation paths on (no ``serial_odoo_path`` key), for a product without a pattern;
- project: the add-ons, the project's "Number serials" (``receipt.serial.fill``, which
  also creates the lots) then the same Validate, for a product with a serial pattern.
Each receipt is prepared (confirmed) in one process and received in another, so the peak
memory printed is the receiving's own ("growth": the peak minus the process's size before
the timed part). Timings include the commit. Each received receipt is checked (done, N
quants of the received lots in an internal location). Then per count the speed-ups
plain / odoo and plain / project (total times), and the per-unit time growth of the
project's path from each count to the next (e.g. 10,000 to 100,000).

Plain Odoo fails at 100,000 units (RecursionError creating 100,000 lots in one create) and
is slow long before: the plain path is skipped above BENCH_PLAIN_MAX units (default 10000),
the odoo path above BENCH_ODOO_MAX (default: never). A failed measurement is printed and
the others go on; the script then exits 1.

    setup/bench.sh receipt [COUNT ...]                (default: 1000 10000)
    setup/bench.sh receipt 1000 10000 100000          plain skipped at 100000
    BENCH_PATHS=project setup/bench.sh receipt        only some paths (plain,odoo,project)
    BENCH_PLAIN_MAX=100000 setup/bench.sh receipt N   plain Odoo up to N units
    BENCH_PROFILE=1 setup/bench.sh receipt 10000      cProfile of each path (top functions)
"""

import os
import sys
import traceback
from contextlib import nullcontext
from itertools import pairwise

from benchlib import plain_database, run_in_odoo

ALL_PATHS = ("plain", "odoo", "project")
DESCRIPTIONS = {
    "plain": "plain Odoo, no add-ons: Generate Serials + Validate",
    "odoo": "add-ons, fast paths on: Generate Serials + Validate",
    "project": "add-ons: Number serials (receipt.serial.fill) + Validate",
}
PATHS = [path for path in os.environ.get("BENCH_PATHS", ",".join(ALL_PATHS)).split(",") if path]
PROFILE = bool(os.environ.get("BENCH_PROFILE"))
LIMITS = {"plain": ("BENCH_PLAIN_MAX", os.environ.get("BENCH_PLAIN_MAX", "10000")),
          "odoo": ("BENCH_ODOO_MAX", os.environ.get("BENCH_ODOO_MAX", ""))}
TIMEOUT = 7200

# Preceded by `paths = [...]`: the paths measured in this database.
SETUP = """
category = env["product.category"].create({
    "name": "Receipt bench (real time)", "property_cost_method": "fifo",
    "property_valuation": "real_time"})
for path in paths:
    values = {"name": "Receipt bench " + path, "is_storable": True, "tracking": "serial",
              "standard_price": 10.0, "categ_id": category.id}
    if path == "project":
        values["serial_pattern_id"] = env["serial.pattern"].create({
            "name": "Receipt bench", "template": "RB{SEQ:8:36}{CHECK}",
            "check_algorithm": "mod37_36"}).id
    env["product.product"].create(values)
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
if path == "project":
    env["receipt.serial.fill"].create({{"picking_id": picking.id}}).action_apply()
else:  # Odoo's "Generate Serials", with or without the add-ons
    picking.move_ids._generate_serial_numbers("ODOO{count}-00000001", {count})
generated = time.perf_counter() - start
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


def _skip_reason(path, count):
    """Why path is not measured at count (its BENCH_*_MAX), or None."""
    if path not in LIMITS:
        return None
    name, limit = LIMITS[path]
    if limit and count > int(limit):
        return f"skipped: {count} > {name}={limit}"
    return None


def _measure(path, count, db):
    prepared = run_in_odoo(PREPARE.format(path=path, count=count), timeout=TIMEOUT, db=db)
    result = run_in_odoo(MEASURE.format(
        path=path, count=count, picking_id=prepared["picking_id"], profile=PROFILE),
        timeout=TIMEOUT, db=db)
    if result["state"] != "done" or result["quants"] != count or result["quantity"] != count:
        raise RuntimeError(f"{path} {count}: not received as expected: {result}")
    return result


def main(counts):
    unknown = set(PATHS) - set(ALL_PATHS)
    if unknown:
        raise SystemExit(f"BENCH_PATHS: unknown paths {sorted(unknown)}; "
                         f"choose among {','.join(ALL_PATHS)}")
    for path in PATHS:
        print(f"{path:>8}: {DESCRIPTIONS[path]}")
    need_plain = "plain" in PATHS and any(not _skip_reason("plain", c) for c in counts)
    addon_paths = [path for path in PATHS if path != "plain"]
    results, failed = {}, []
    with plain_database() if need_plain else nullcontext() as plain_db:
        if need_plain:
            run_in_odoo(f"paths = {['plain']!r}\n" + SETUP, db=plain_db)
        if addon_paths:
            run_in_odoo(f"paths = {addon_paths!r}\n" + SETUP)
        print(f"{'count':>8} {'path':>8} {'total s':>8} {'generate':>9} {'validate':>9} "
              f"{'per unit':>9} {'peak MB':>8} {'growth':>7}", flush=True)
        for count in counts:
            for path in PATHS:
                reason = _skip_reason(path, count)
                if reason:
                    print(f"{count:>8} {path:>8}   {reason}", flush=True)
                    continue
                try:
                    result = _measure(path, count, plain_db if path == "plain" else None)
                except Exception as error:
                    failed.append((count, path))
                    # The last line: the exception the shell died of, or the check's message.
                    last = (str(error).strip().splitlines() or [type(error).__name__])[-1]
                    print(f"{count:>8} {path:>8}   FAILED: {last[:120]}", flush=True)
                    traceback.print_exc(file=sys.stderr)
                    continue
                results[count, path] = result
                validate = result["seconds"] - result["generate_seconds"]
                print(f"{count:>8} {path:>8} {result['seconds']:>8.2f} "
                      f"{result['generate_seconds']:>9.2f} {validate:>9.2f} "
                      f"{result['seconds'] / count * 1000:>7.2f}ms "
                      f"{result['peak_rss_mb']:>8.0f} "
                      f"{result['peak_rss_mb'] - result['baseline_mb']:>7.0f}", flush=True)
                if PROFILE:
                    print(result["profile"])
    _summary(counts, results)
    if failed:
        raise SystemExit(f"failed measurements: {failed}")


def _summary(counts, results):
    for count in counts:
        plain = results.get((count, "plain"))
        ratios = [f"plain / {path} = {plain['seconds'] / results[count, path]['seconds']:.1f}x"
                  for path in ("odoo", "project") if plain and (count, path) in results]
        if ratios:
            print(f"speed-up at {count}: " + ", ".join(ratios))
    measured = [count for count in counts if (count, "project") in results]
    for low, high in pairwise(measured):
        per_unit = [results[count, "project"]["seconds"] / count * 1000 for count in (low, high)]
        print(f"project per unit from {low} to {high}: {per_unit[0]:.3f} -> {per_unit[1]:.3f} ms"
              f" (x{per_unit[1] / per_unit[0]:.2f})")
    if "project" in PATHS and len(measured) < 2:
        print("project per-unit growth: needs two counts (e.g. 10000 100000)")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
