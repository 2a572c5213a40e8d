"""Screenshots of the Inventory Scanner on a 390 px phone, saved to docs/screenshots/.

Builds a throw-away demo database with setup/run.sh (the add-ons and their demo data), serves
it on a free port, logs in as admin/admin in headless Chromium (over the DevTools protocol,
with the helpers of dispatch_screenshots.py), opens Inventory Scanner and captures each
screen after a few scans sent through Odoo's barcode service, as a keyboard-wedge scanner
sends them (scanner_<operation>.png; scanner_home.png for the tiles, scanner_home_desktop.png
at 1440 px). The demo data of serial_inventory_scan gives every screen something to do.

    python3 tests/bench/scanner_screenshots.py [--output DIR] [--chromium PATH] [--only KEYS]
"""

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dispatch_screenshots import (  # re-runs itself in the project virtualenv
    ENV,
    HEIGHT,
    PHONE_HEIGHT,
    PHONE_WIDTH,
    REPO_ROOT,
    WIDTH,
    Browser,
    drop_db,
    rpc,
    serve,
)
from screens_screenshots import login, xmlid

SCANNER = "/odoo/action-serial_inventory_scan.action_serial_scanner"


def search_read(url, db, model, domain, fields, **kwargs):
    return rpc(url, db, model, "search_read", [domain], {"fields": fields, **kwargs})


def lot_names(url, db, domain, limit):
    return [lot["name"] for lot in search_read(url, db, "stock.lot", domain, ["name"],
                                               limit=limit, order="id")]


def demo_scans(url, db):
    """{operation: codes to scan on its screen}, read from the demo data."""
    shelf = xmlid(url, db, "serial_inventory_scan", "demo_location_scanner_shelf")
    on_shelf = [quant["lot_id"][1] for quant in search_read(
        url, db, "stock.quant", [("location_id", "=", shelf), ("quantity", ">", 0)],
        ["lot_id"], order="id")]
    stock = xmlid(url, db, "stock", "stock_location_stock")
    on_open_transfers = [line["lot_id"][0] for line in search_read(
        url, db, "stock.move.line", [("state", "not in", ("done", "cancel")),
                                     ("lot_id", "!=", False)], ["lot_id"])]
    in_stock = lot_names(url, db, [("product_id.tracking", "=", "serial"),
                                   ("id", "not in", on_open_transfers),
                                   ("quant_ids.location_id", "=", stock),
                                   ("quant_ids.quantity", ">", 0),
                                   ("quant_ids.reserved_quantity", "=", 0)], 3)
    receipt = search_read(url, db, "stock.picking",
                          [("origin", "like", "Inventory Scanner demo: labels"),
                           ("state", "=", "assigned")], ["name"], limit=1)[0]["name"]
    meter = xmlid(url, db, "serial_inventory", "demo_product_meter")
    pregenerated = lot_names(url, db, [("product_id", "=", meter), ("quant_ids", "=", False)],
                             2)
    delivery_id = xmlid(url, db, "serial_inventory", "demo_delivery_ready")
    delivery = search_read(url, db, "stock.picking", [("id", "=", delivery_id)],
                           ["name"])[0]["name"]
    reserved = [line["lot_id"][1] for line in search_read(
        url, db, "stock.move.line", [("picking_id", "=", delivery_id), ("lot_id", "!=", False)],
        ["lot_id"], order="id")][:2]
    delivered = [line["lot_id"][1] for line in search_read(
        url, db, "stock.move.line", [("picking_id.origin", "=", "Inventory Scanner demo"),
                                     ("state", "=", "done")], ["lot_id"], order="id")]
    return {
        "receive": [receipt, *pregenerated],
        "deliver": [delivery, *reserved],
        "transfer": ["WH-SHELF-S1", *on_shelf[:2]],
        "count": ["WH-SHELF-S1", *on_shelf[:3], *in_stock[:1]],
        "order": in_stock[1:3],
        "return": delivered[:2],
        "lookup": on_shelf[:1],
    }


def scan(browser, code):
    browser.js(f"{ENV}.services.barcode.bus.trigger('barcode_scanned', "
               f"{{barcode: {json.dumps(code)}, target: document.body}})")
    # One answer at a time: the screen's queue badge disappears when the server answered.
    time.sleep(0.5)
    browser.wait("document.querySelector('.o_serial_scan_pending') === null")
    time.sleep(0.7)


def open_operation(browser, key):
    tile = f".o_serial_scanner_tile[data-operation={json.dumps(key)}]"
    browser.wait(f"document.querySelector({json.dumps(tile)}) !== null")
    browser.js(f"document.querySelector({json.dumps(tile)}).click()")
    browser.wait(f"document.querySelector('.o_serial_scan_screen[data-operation={key}]') "
                 "!== null")
    time.sleep(1)


def back_home(browser):
    """Back until the tiles show (a screen may first go back to its own list)."""
    for _attempt in range(4):
        if browser.js("document.querySelector('.o_serial_scanner_tile') !== null"):
            return
        browser.js("document.querySelector('.o_serial_scan_back')?.click()")
        time.sleep(1)


def capture(url, db, output, chromium, only):
    scans = demo_scans(url, db)
    browser = Browser(chromium)
    try:
        try:
            login(browser, url, db)
        except RuntimeError:
            # A fresh database builds its asset bundles on the first request; a page loaded
            # while they are rebuilt may miss one: log in again.
            login(browser, url, db)
        browser.goto(url + SCANNER)
        browser.wait("document.querySelector('.o_serial_scanner_tile') !== null")
        time.sleep(1.5)
        browser.screenshot(output / "scanner_home_desktop.png")
        browser.viewport(PHONE_WIDTH, PHONE_HEIGHT, mobile=True)
        browser.goto(url + SCANNER)
        browser.wait("document.querySelector('.o_serial_scanner_tile') !== null")
        time.sleep(1.5)
        browser.screenshot(output / "scanner_home.png")
        offered = browser.js("[...document.querySelectorAll('.o_serial_scanner_tile')]"
                             ".map((tile) => tile.dataset.operation)")
        for key, codes in scans.items():
            if (only and key not in only) or key not in offered:
                continue
            open_operation(browser, key)
            if key == "order":  # a quotation for the first customer offered
                browser.js("document.querySelector('.o_serial_order_customer')?.click()")
                time.sleep(1.5)
            for code in codes:
                scan(browser, code)
            browser.screenshot(output / f"scanner_{key}.png")
            back_home(browser)
        browser.viewport(WIDTH, HEIGHT)
    finally:
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--only", default="", help="comma-separated operations to capture")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    db = f"si_scanner_{os.getpid()}"
    drop_db(db)
    with serve(db, "scanner-screenshots-run.log") as url:
        capture(url, db, args.output, args.chromium,
                set(filter(None, args.only.split(","))))


if __name__ == "__main__":
    main()
