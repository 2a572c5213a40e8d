"""Screenshots of the everyday screens, in English and in French, saved to docs/screenshots/.

Builds a throw-away demo database with setup/run.sh (the add-ons and their demo data), serves
it on a free port, logs in as admin/admin in headless Chromium (over the DevTools protocol, with
the helpers of dispatch_screenshots.py) and captures, once per language (suffix _en, _fr):
- receipt_numbered: the demo's ready receipt after Number serials, its move's details dialog
  listing the serials (1440 px);
- dispatch_dialog, dispatch_dialog_phone: the ready demo delivery's dispatch dialog after two
  scans through Odoo's barcode service, at 1440 px, then at 390 px;
- verify: the Verify screen after a serial was checked;
- batch_recall: a demo batch's Recall button, the new recall it opens;
- valuation: the Serial Valuation report.
French is installed the way a user does it (Settings > Languages: base.language.install),
which loads the add-ons' fr.po. The server, the browser and the database are removed
afterwards.

    python3 tests/bench/screens_screenshots.py [--output DIR] [--chromium PATH] [--langs en,fr]
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
    WEBCLIENT_READY,
    WIDTH,
    Browser,
    drop_db,
    open_dispatch_dialog,
    rpc,
    serve,
)

LANGS = {"en": "en_US", "fr": "fr_FR"}


def xmlid(url, db, module, name):
    return rpc(url, db, "ir.model.data", "search_read",
               [[("module", "=", module), ("name", "=", name)]], {"fields": ["res_id"]})[0][
        "res_id"]


def set_language(url, db, code):
    """Install ``code`` as a user would (Settings > Languages > Add), make it admin's."""
    if code != "en_US":
        lang_ids = rpc(url, db, "res.lang", "search", [[("code", "=", code)]],
                       {"context": {"active_test": False}})
        wizard = rpc(url, db, "base.language.install", "create",
                     [{"lang_ids": [(6, 0, lang_ids)], "overwrite": True}])
        rpc(url, db, "base.language.install", "lang_install", [[wizard]])
    rpc(url, db, "res.users", "write", [[2], {"lang": code}])


def numbered_receipt(url, db):
    """The demo's ready receipt, numbered with the add-on's Number serials."""
    picking_id = xmlid(url, db, "serial_inventory", "demo_receipt_ready")
    wizard = rpc(url, db, "receipt.serial.fill", "create", [{"picking_id": picking_id}])
    rpc(url, db, "receipt.serial.fill", "action_apply", [[wizard]])
    return picking_id


def login(browser, url, db):
    browser.goto(f"{url}/web/login?db={db}")
    browser.js("""(() => {
        document.querySelector('input[name=login]').value = 'admin';
        document.querySelector('input[name=password]').value = 'admin';
        document.querySelector('form.oe_login_form').submit();
    })()""")
    time.sleep(1)
    browser.wait(WEBCLIENT_READY)


def close_dialog(browser):
    browser.js(f"{ENV}.services.action.doAction({{type: 'ir.actions.act_window_close'}})")
    time.sleep(1)


def capture(url, db, output, chromium, lang, receipt_id):
    suffix = f"_{lang}"
    delivery_id = xmlid(url, db, "serial_inventory", "demo_delivery_ready")
    serials = [line["lot_id"][1] for line in rpc(
        url, db, "stock.move.line", "search_read", [[("picking_id", "=", delivery_id)]],
        {"fields": ["lot_id"], "order": "id"}) if line["lot_id"]]
    batch = rpc(url, db, "serial.batch", "search_read", [[("lot_ids", "!=", False)]],
                {"fields": ["id"], "limit": 1, "order": "id"})[0]["id"]
    browser = Browser(chromium)
    try:
        login(browser, url, db)

        # The receipt after Number serials: its move's details list the serials.
        browser.goto(f"{url}/odoo/action-stock.action_picking_tree_all/{receipt_id}")
        # The move's list icon (Odoo's stock_move_one2many "Open Move" button).
        open_move = ".o_form_view .o_data_row button[name='Open Move']"
        browser.wait(WEBCLIENT_READY + f" && document.querySelector({json.dumps(open_move)})"
                     " !== null")
        time.sleep(1)
        browser.js(f"document.querySelector({json.dumps(open_move)}).click()")
        browser.wait("document.querySelector('.modal-dialog .o_list_renderer') !== null")
        time.sleep(1.5)
        browser.screenshot(output / f"receipt_numbered{suffix}.png")
        close_dialog(browser)

        # The dispatch dialog, two scans, at desktop width and on a phone.
        open_dispatch_dialog(browser, url, delivery_id)
        for serial in serials[:2]:
            browser.js(f"{ENV}.services.barcode.bus.trigger('barcode_scanned', "
                       f"{{barcode: {json.dumps(serial)}, target: document.body}})")
            time.sleep(1.5)
        browser.screenshot(output / f"dispatch_dialog{suffix}.png")
        close_dialog(browser)
        browser.viewport(PHONE_WIDTH, PHONE_HEIGHT, mobile=True)
        open_dispatch_dialog(browser, url, delivery_id)
        browser.screenshot(output / f"dispatch_dialog_phone{suffix}.png")
        close_dialog(browser)
        browser.viewport(WIDTH, HEIGHT)

        # Verify: a serial of the delivery, checked.
        browser.js(f"{ENV}.services.action.doAction('serial_inventory.action_serial_verify')")
        browser.wait("document.querySelector('.o_serial_verify_input') !== null")
        time.sleep(1)
        browser.js(f"""(() => {{
            const input = document.querySelector('.o_serial_verify_input');
            input.value = {json.dumps(serials[0] if serials else "UNKNOWN-1")};
            input.dispatchEvent(new Event('input', {{bubbles: true}}));
            input.dispatchEvent(new KeyboardEvent('keydown', {{key: 'Enter', bubbles: true}}));
        }})()""")
        browser.wait("document.querySelector('.o_serial_verify_result') !== null")
        time.sleep(1.5)
        browser.screenshot(output / f"verify{suffix}.png")

        # A batch's Recall button: the new recall with the batch's serials.
        browser.goto(f"{url}/odoo/action-serial_inventory.action_serial_batch/{batch}")
        browser.wait(WEBCLIENT_READY + " && document.querySelector("
                     "'button[name=action_serial_recall]') !== null")
        time.sleep(1)
        browser.js("document.querySelector('button[name=action_serial_recall]').click()")
        browser.wait("document.querySelector('.o_form_view div[name=line_ids] "
                     ".o_data_row') !== null")
        time.sleep(1.5)
        browser.screenshot(output / f"batch_recall{suffix}.png")
        browser.js("document.querySelector('.o_form_button_cancel, "
                   ".o_form_button_discard')?.click()")
        time.sleep(1)

        # Serial Valuation.
        browser.js(f"{ENV}.services.action.doAction("
                   "'serial_inventory.action_serial_valuation_report')")
        browser.wait("document.querySelector('.o_list_renderer .o_group_header, "
                     ".o_list_renderer .o_data_row') !== null")
        time.sleep(1.5)
        browser.screenshot(output / f"valuation{suffix}.png")
    finally:
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--langs", default="en,fr")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    db = f"si_screens_{os.getpid()}"
    drop_db(db)
    with serve(db, "screens-screenshots-run.log") as url:
        receipt_id = numbered_receipt(url, db)
        for lang in args.langs.split(","):
            set_language(url, db, LANGS[lang])
            capture(url, db, args.output, args.chromium, lang, receipt_id)

if __name__ == "__main__":
    main()
