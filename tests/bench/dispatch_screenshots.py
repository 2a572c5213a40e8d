"""Screenshots of the dispatch add-on in headless Chromium, saved to docs/screenshots/.

Copies the demo database (serial_inventory_demo, built by setup/run.sh when missing) to a
throw-away database, serves it with setup/run.sh on a free port, logs in as admin/admin in
headless Chromium driven over the DevTools protocol, and captures:
- dispatch_dialog.png: the ready demo delivery with the dispatch dialog open (its "Scan
  serials" button), after two scans sent through Odoo's barcode service (as a keyboard-wedge
  scanner would), at 1440 px;
- dispatch_dialog_phone.png, dispatch_dialog_phone_refused.png: the same dialog on a 390 px
  phone screen, then after a refused scan (the notification below the prompt);
- scan_to_order.png: Inventory > Serials > Scan to Order, a customer and two serials typed;
- scan_to_transfer.png: Inventory > Serials > Scan to Transfer.
The server, the browser and the copy are removed afterwards.

    python3 tests/bench/dispatch_screenshots.py [--output DIR] [--chromium PATH]

Needs websocket-client (in the project's full virtualenv; the script re-runs itself with
that interpreter when the current one lacks it).
"""

import argparse
import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

try:
    import websocket
except ImportError:  # re-run with the project's virtualenv, which has websocket-client
    cache = os.environ.get("SI_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "serial_inventory")
    candidates = sorted(glob.glob(os.path.join(cache, "venv-full-*", "bin", "python")),
                        key=os.path.getmtime)
    if not candidates or os.environ.get("SI_SCREENSHOTS_REEXEC"):
        sys.exit("websocket-client is missing: run setup/run.sh once (builds the virtualenv)")
    os.environ["SI_SCREENSHOTS_REEXEC"] = "1"
    os.execv(candidates[-1], [candidates[-1], *sys.argv])

REPO_ROOT = Path(__file__).resolve().parents[2]
SI_CACHE = Path(os.environ.get("SI_CACHE") or Path(
    os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "serial_inventory")
DATA_DIR = Path(os.environ.get("SI_DATA_DIR") or SI_CACHE / "data")
DEMO_DB = os.environ.get("SI_DEMO_DB", "serial_inventory_demo")
for key, value in (("PGHOST", "localhost"), ("PGPORT", "5432"), ("PGUSER", "odoo"),
                   ("PGPASSWORD", "odoo")):
    os.environ.setdefault(key, value)
WIDTH, HEIGHT = 1440, 900
PHONE_WIDTH, PHONE_HEIGHT = 390, 844


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def db_exists(name):
    out = subprocess.run(["psql", "-d", "postgres", "-tAc",
                          f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                         capture_output=True, text=True, check=False).stdout
    return out.strip() == "1"


def drop_db(name):
    subprocess.run(["dropdb", "--if-exists", name], check=False, stderr=subprocess.DEVNULL)
    shutil.rmtree(DATA_DIR / "filestore" / name, ignore_errors=True)


class Browser:
    """Headless Chromium and one page, over the DevTools protocol."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="si-chromium-")
        self.process = subprocess.Popen([
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars", "--mute-audio",
            f"--user-data-dir={self.profile}", "--remote-debugging-port=0",
            f"--window-size={WIDTH},{HEIGHT}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(target for target in targets if target["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60,
                                              suppress_origin=True)
        self.next_id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.viewport(WIDTH, HEIGHT)

    def viewport(self, width, height, mobile=False):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=mobile)

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def js(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.js(expression):
                    return
            except RuntimeError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"timed out waiting for {expression}")

    def goto(self, url):
        self.send("Page.navigate", url=url)
        time.sleep(0.5)
        self.wait("document.readyState === 'complete'")

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        import base64
        path.write_bytes(base64.b64decode(data))
        print(path)

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)


def rpc(url, db, model, method, args, kwargs=None):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
        "service": "object", "method": "execute_kw",
        "args": [db, 2, "admin", model, method, args, kwargs or {}]}})
    request = urllib.request.Request(url + "/jsonrpc", body.encode(),
                                     {"Content-Type": "application/json"})
    reply = json.load(urllib.request.urlopen(request, timeout=60))
    if "error" in reply:
        raise RuntimeError(reply["error"])
    return reply["result"]


WEBCLIENT_READY = ("window.odoo && odoo.__WOWL_DEBUG__ && odoo.__WOWL_DEBUG__.root "
                   "&& document.querySelector('.o_main_navbar') !== null")
ENV = "odoo.__WOWL_DEBUG__.root.env"


def set_field(browser, selector, value):
    """Type into an input or textarea the way Odoo's fields listen (input then change)."""
    browser.js(f"""(() => {{
        const el = document.querySelector({json.dumps(selector)});
        el.focus();
        el.value = {json.dumps(value)};
        el.dispatchEvent(new Event('input', {{bubbles: true}}));
        el.dispatchEvent(new Event('change', {{bubbles: true}}));
    }})()""")


def pick_autocomplete(browser, selector, text):
    """A many2one: type text, then choose the first suggestion."""
    browser.js(f"""(() => {{
        const el = document.querySelector({json.dumps(selector)});
        el.focus();
        el.value = {json.dumps(text)};
        el.dispatchEvent(new Event('input', {{bubbles: true}}));
    }})()""")
    browser.wait("document.querySelector('.o-autocomplete--dropdown-item a') !== null")
    browser.js(f"""document.querySelector({json.dumps(selector)}).dispatchEvent(
        new KeyboardEvent('keydown', {{key: 'Enter', bubbles: true}}))""")
    time.sleep(1)


def open_dispatch_dialog(browser, url, picking_id):
    """The delivery's form, then its Scan serials button (the dispatch dialog)."""
    browser.goto(f"{url}/odoo/action-stock.action_picking_tree_all/{picking_id}")
    browser.wait(WEBCLIENT_READY + " && document.querySelector('.o_form_view .o_statusbar_status')"
                 " !== null")
    time.sleep(1)
    # On a phone Odoo folds the header buttons into the gear menu.
    browser.js("void (document.querySelector('button[name=action_serial_dispatch_open]') || "
               "document.querySelector('.o_cp_action_menus button:has(.fa-cog)').click())")
    browser.wait("document.querySelector('button[name=action_serial_dispatch_open]') !== null")
    browser.js("document.querySelector('button[name=action_serial_dispatch_open]').click()")
    browser.wait("document.querySelector('.modal-dialog .o_serial_dispatch_prompt') !== null")
    time.sleep(1.5)


def capture(url, db, output, chromium):
    picking_id = rpc(url, db, "ir.model.data", "search_read",
                     [[("module", "=", "serial_inventory"), ("name", "=", "demo_delivery_ready")]],
                     {"fields": ["res_id"]})[0]["res_id"]
    lines = rpc(url, db, "stock.move.line", "search_read", [[("picking_id", "=", picking_id)]],
                {"fields": ["lot_id"], "order": "id"})
    serials = [line["lot_id"][1] for line in lines if line["lot_id"]]
    browser = Browser(chromium)
    try:
        browser.goto(f"{url}/web/login?db={db}")
        browser.js("""(() => {
            document.querySelector('input[name=login]').value = 'admin';
            document.querySelector('input[name=password]').value = 'admin';
            document.querySelector('form.oe_login_form').submit();
        })()""")
        time.sleep(1)
        browser.wait(WEBCLIENT_READY)

        # The ready delivery, its dispatch dialog, two scans.
        open_dispatch_dialog(browser, url, picking_id)
        for serial in serials[:2]:
            browser.js(f"{ENV}.services.barcode.bus.trigger('barcode_scanned', "
                       f"{{barcode: {json.dumps(serial)}, target: document.body}})")
            time.sleep(1.5)
        browser.screenshot(output / "dispatch_dialog.png")
        browser.js(f"{ENV}.services.action.doAction({{type: 'ir.actions.act_window_close'}})")
        time.sleep(1)

        # The same dialog on a phone: reloaded at 390 px, the scans come from the server.
        browser.viewport(PHONE_WIDTH, PHONE_HEIGHT, mobile=True)
        open_dispatch_dialog(browser, url, picking_id)
        browser.screenshot(output / "dispatch_dialog_phone.png")
        browser.js(f"{ENV}.services.barcode.bus.trigger('barcode_scanned', "
                   "{barcode: 'NOT-A-SERIAL-42', target: document.body})")
        browser.wait("document.querySelector('.o_notification') !== null")
        time.sleep(1)
        browser.screenshot(output / "dispatch_dialog_phone_refused.png")
        browser.js(f"{ENV}.services.action.doAction({{type: 'ir.actions.act_window_close'}})")
        browser.viewport(WIDTH, HEIGHT)
        browser.goto(f"{url}/odoo/action-stock.action_picking_tree_all/{picking_id}")
        browser.wait(WEBCLIENT_READY)
        time.sleep(1)

        # Scan to Order: a customer and two serials in stock.
        in_stock = rpc(url, db, "stock.quant", "search_read", [[
            ("lot_id", "!=", False), ("location_id.usage", "=", "internal"),
            ("quantity", ">", 0), ("reserved_quantity", "=", 0)]],
            {"fields": ["lot_id"], "limit": 2, "order": "id"})
        codes = "\n".join(quant["lot_id"][1] for quant in in_stock)
        browser.js(f"{ENV}.services.action.doAction("
                   "'serial_inventory_dispatch.action_serial_scan_order')")
        browser.wait("document.querySelector('.modal-dialog div[name=codes] textarea') !== null")
        time.sleep(1)
        pick_autocomplete(browser, ".modal-dialog div[name=partner_id] input", "Deco")
        set_field(browser, ".modal-dialog div[name=codes] textarea", codes)
        browser.js("document.querySelector('.modal-dialog .modal-title').click()")
        time.sleep(1.5)
        browser.screenshot(output / "scan_to_order.png")
        browser.js(f"{ENV}.services.action.doAction({{type: 'ir.actions.act_window_close'}})")
        time.sleep(1)

        # Scan to Transfer: the same serials, WH/Stock to a sub-location.
        browser.js(f"{ENV}.services.action.doAction("
                   "'serial_inventory_dispatch.action_serial_scan_transfer')")
        browser.wait("document.querySelector('.modal-dialog div[name=codes] textarea') !== null")
        time.sleep(1)
        pick_autocomplete(browser, ".modal-dialog div[name=source_location_id] input", "WH/Stock")
        pick_autocomplete(browser, ".modal-dialog div[name=destination_location_id] input",
                          "WH/Stock")
        set_field(browser, ".modal-dialog div[name=codes] textarea", codes)
        browser.js("document.querySelector('.modal-dialog .modal-title').click()")
        time.sleep(1.5)
        browser.screenshot(output / "scan_to_transfer.png")
    finally:
        browser.close()


@contextlib.contextmanager
def serve(db, log_name):
    """Serve ``db`` with setup/run.sh (built with demo data when missing) on a free port;
    yield its URL once it answers; stop the server and drop ``db`` afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = SI_CACHE / log_name
    with open(log_path, "w") as log:
        server = subprocess.Popen([str(REPO_ROOT / "setup" / "run.sh"), "--db", db,
                                   "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        for _ in range(1800):
            try:
                urllib.request.urlopen(url + "/web/login", timeout=5)
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit(f"setup/run.sh stopped; see {log_path}")
                time.sleep(1)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        drop_db(db)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    db = f"si_screenshots_{os.getpid()}"
    drop_db(db)
    if db_exists(DEMO_DB):  # a copy, so the scans never touch the demo database
        if subprocess.run(["createdb", "-T", DEMO_DB, db], check=False,
                          stderr=subprocess.DEVNULL).returncode:
            # The demo database is in use (a template copy needs it idle): dump and restore.
            subprocess.run(["createdb", db], check=True)
            subprocess.run(f"pg_dump -Fc {DEMO_DB} | pg_restore --no-owner -d {db}",
                           shell=True, check=True)
        if (DATA_DIR / "filestore" / DEMO_DB).is_dir():
            shutil.copytree(DATA_DIR / "filestore" / DEMO_DB, DATA_DIR / "filestore" / db)
    with serve(db, "screenshots-run.log") as url:
        capture(url, db, args.output, args.chromium)

if __name__ == "__main__":
    main()
