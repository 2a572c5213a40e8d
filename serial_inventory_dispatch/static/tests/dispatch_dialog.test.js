/** @odoo-module **/

import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { advanceTime, animationFrame, click, edit, press, queryAllTexts } from "@odoo/hoot-dom";
import {
    defineModels,
    mockService,
    models,
    mountWithCleanup,
    onRpc,
    patchWithCleanup,
} from "@web/../tests/web_test_helpers";
import { ConnectionLostError, rpc } from "@web/core/network/rpc";
import {
    DispatchDialog,
    RETRY_DELAYS,
} from "@serial_inventory_dispatch/components/dispatch_dialog/dispatch_dialog";
import { signals } from "@serial_inventory_dispatch/components/dispatch_dialog/signals";

describe.current.tags("desktop");

class StockPicking extends models.Model {
    _name = "stock.picking";
}

defineMailModels();
defineModels([StockPicking]);

const PICKING_ID = 7;

function phoneLine(values = {}) {
    return {
        move_id: 11,
        product_id: 101,
        product_name: "Phone X",
        default_code: "PX",
        barcode: "",
        tracking: "serial",
        uom: "Units",
        ordered: 2,
        scanned: 0,
        serials: [],
        editable: false,
        ...values,
    };
}

function cableLine(values = {}) {
    return {
        move_id: 12,
        product_id: 102,
        product_name: "Cable",
        default_code: "",
        barcode: "CABLE",
        tracking: "none",
        uom: "Units",
        ordered: 3,
        scanned: 0,
        serials: [],
        editable: true,
        ...values,
    };
}

/** A small stand-in for the server's scan API, recording the calls it receives. */
function fakeServer({ canScan = true, dispatched = false, policy = "optional", canOverride = false } = {}) {
    const server = {
        lines: [phoneLine(), cableLine()],
        calls: [],
        options: [], // the options (typed, reason) of each scan, in order
        state() {
            return {
                picking: {
                    id: PICKING_ID,
                    name: "WH/OUT/00042",
                    partner: "Azure Interior",
                    origin: "S00042",
                    state: canScan ? "assigned" : "done",
                    state_label: canScan ? "Ready" : "Done",
                    location: "WH/Stock",
                },
                can_scan: canScan,
                prompt: canScan ? "Start scanning now!" : "WH/OUT/00042 is done.",
                lines: this.lines,
                dispatched,
                rules: { policy, allow_extra: false, require_location: false },
                can_override: canOverride,
            };
        },
        scan(code, clientUid, takeover) {
            const line = this.lines.find((l) => l.product_name === "Phone X");
            if (code.startsWith("RES-") && !takeover) {
                return {
                    scan_id: this.calls.length, result: "refused", code, serial: code,
                    message: `Serial ${code} is reserved for WH/OUT/00016. Take it over to dispatch it on WH/OUT/00042.`,
                    product_name: "Phone X", quantity: 0, move_id: false, duplicate: false,
                    takeover: true, refresh: false, line: false,
                };
            }
            if ((code.startsWith("SN-") || code.startsWith("RES-")) && !line.serials.includes(code)) {
                line.scanned += 1;
                line.serials = [...line.serials, code];
                return {
                    scan_id: this.calls.length, result: "accepted", code, serial: code,
                    message: `Phone X: serial ${code} added`, product_name: "Phone X",
                    quantity: 1, move_id: 11, duplicate: false, refresh: false, line: { ...line },
                };
            }
            return {
                scan_id: this.calls.length, result: "refused", code, serial: false,
                message: `Unknown code ${code}: it is neither a serial nor a product barcode.`,
                product_name: "", quantity: 0, move_id: false, duplicate: false,
                refresh: false, line: false,
            };
        },
    };
    onRpc("stock.picking", "serial_dispatch_state", ({ args }) => {
        server.calls.push(["state", args[0]]);
        return server.state();
    });
    onRpc("stock.picking", "serial_dispatch_scan", ({ args }) => {
        server.calls.push(["scan", args[1], args[2], args[3] ?? false]);
        server.options.push(args[4] ?? null);
        return server.scan(args[1], args[2], args[3]);
    });
    onRpc("stock.picking", "serial_dispatch_set_quantity", ({ args }) => {
        server.calls.push(["set_quantity", args[1], args[2]]);
        const line = server.lines.find((l) => l.move_id === args[1]);
        line.scanned = args[2];
        return { line: { ...line } };
    });
    onRpc("stock.picking", "serial_dispatch_rescan", () => {
        server.calls.push(["rescan"]);
        server.lines = [phoneLine(), cableLine()];
        return server.state();
    });
    onRpc("stock.picking", "serial_dispatch_apply", () => {
        server.calls.push(["apply"]);
        return {
            complete: false,
            lines: server.lines,
            differences: [{
                move_id: 11, product_name: "Phone X", ordered: 2, applied: 1, missing: 1,
                extra: 0, unavailable_serials: [],
            }],
        };
    });
    return server;
}

async function mountDialog() {
    await mountWithCleanup(DispatchDialog, {
        props: { action: { params: { picking_id: PICKING_ID }, context: {} } },
    });
    await animationFrame();
}

/** What a keyboard-wedge scanner types: Odoo's barcode service makes it one scan. */
async function scan(code) {
    for (const key of [...code, "Enter"]) {
        await press(key);
    }
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
}

function scanCalls(server) {
    return server.calls.filter((call) => call[0] === "scan");
}

beforeEach(() => {
    patchWithCleanup(signals, { playError: () => expect.step("beep") });
});

test("shows the order lines and asks to start scanning", async () => {
    const server = fakeServer();
    await mountDialog();
    expect(server.calls).toEqual([["state", [PICKING_ID]]]);
    expect(".o_serial_dispatch_prompt").toHaveText("Start scanning now!");
    expect(".o_serial_dispatch_scanning").toHaveCount(1);
    expect(queryAllTexts(".o_serial_dispatch_product")).toEqual(["Phone X", "Cable"]);
    expect(".o_serial_dispatch_name").toHaveText("WH/OUT/00042");
    expect(".o_serial_dispatch_deliver").not.toBeEnabled();
});

test("each barcode is one scan with its own client id", async () => {
    const server = fakeServer();
    await mountDialog();
    await scan("SN-0001");
    await scan("SN-0002");
    const calls = scanCalls(server);
    expect(calls.map((call) => call[1])).toEqual(["SN-0001", "SN-0002"]);
    expect(calls[0][2]).not.toBe(calls[1][2]);
    expect(queryAllTexts(".o_serial_dispatch_serial")).toEqual(["SN-0001", "SN-0002"]);
    expect(".o_serial_dispatch_line[data-move-id='11'] .o_serial_dispatch_scanned").toHaveText("2");
    expect(".o_serial_dispatch_line_done").toHaveCount(1);
    expect(".o_serial_dispatch_last_scan").toHaveText("Phone X: serial SN-0002 added");
    expect.verifySteps([]);
});

test("a refused scan is signalled: notification, red flash and sound", async () => {
    fakeServer();
    await mountDialog();
    await scan("BOGUS");
    expect(".o_notification").toHaveText(/Unknown code BOGUS/);
    expect(".o_serial_dispatch_flash_danger").toHaveCount(1);
    expect(".o_serial_dispatch_last_scan.text-danger").toHaveCount(1);
    expect.verifySteps(["beep"]);
    await advanceTime(1000);
    expect(".o_serial_dispatch_flash_danger").toHaveCount(0);
});

test("searching pauses scanning until the prompt is clicked", async () => {
    const server = fakeServer();
    await mountDialog();
    await click(".o_serial_dispatch_search");
    await animationFrame();
    expect(".o_serial_dispatch_prompt").toHaveText("Click here to start scanning products");
    await edit("cab");
    await animationFrame();
    expect(queryAllTexts(".o_serial_dispatch_product")).toEqual(["Cable"]);
    // Keys typed in the search field are text, not scans.
    expect(scanCalls(server)).toHaveLength(0);
    await click(".o_serial_dispatch_prompt");
    await animationFrame();
    expect(".o_serial_dispatch_prompt").toHaveText("Start scanning now!");
    await scan("SN-0009");
    expect(scanCalls(server)).toHaveLength(1);
});

test("a barcode read while paused is refused, not lost silently", async () => {
    const server = fakeServer();
    await mountDialog();
    await click(".o_serial_dispatch_search");
    await animationFrame();
    // Focus back on the page without clicking the prompt: scanning stays paused.
    document.activeElement.blur();
    await scan("SN-0003");
    expect(scanCalls(server)).toHaveLength(0);
    expect(".o_notification").toHaveText(/Scanning is paused/);
    expect.verifySteps(["beep"]);
});

test("editing a quantity by hand pauses scanning and saves the quantity", async () => {
    const server = fakeServer();
    await mountDialog();
    await click(".o_serial_dispatch_line[data-move-id='12'] .o_serial_dispatch_quantity");
    await animationFrame();
    expect(".o_serial_dispatch_prompt").toHaveText("Click here to start scanning products");
    await edit("3", { confirm: "enter" });
    await animationFrame();
    await animationFrame();
    expect(server.calls.filter((call) => call[0] === "set_quantity")).toEqual([
        ["set_quantity", 12, 3],
    ]);
    expect(".o_serial_dispatch_line_done").toHaveCount(1);
});

test("a scan that meets a network error is retried with the same client id", async () => {
    const server = fakeServer();
    let failures = 1;
    const originalRpc = rpc._rpc;
    patchWithCleanup(rpc, {
        _rpc(url, params, settings) {
            if (url.includes("serial_dispatch_scan")) {
                server.calls.push(["attempt", params.args[1], params.args[2]]);
                if (failures > 0) {
                    failures--;
                    return Promise.reject(new ConnectionLostError(url));
                }
            }
            return originalRpc(url, params, settings);
        },
    });
    await mountDialog();
    await scan("SN-0005");
    expect(scanCalls(server)).toHaveLength(0);
    await advanceTime(RETRY_DELAYS[0]);
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
    const attempts = server.calls.filter((call) => call[0] === "attempt");
    expect(attempts).toHaveLength(2);
    expect(attempts[0][2]).toBe(attempts[1][2]);
    expect(scanCalls(server)).toHaveLength(1);
    expect(queryAllTexts(".o_serial_dispatch_serial")).toEqual(["SN-0005"]);
    expect.verifySteps([]);
});

test("Rescan asks for confirmation, then starts over", async () => {
    const server = fakeServer();
    await mountDialog();
    await scan("SN-0001");
    await click(".o_serial_dispatch_rescan");
    await animationFrame();
    expect(".modal .modal-body").toHaveText(/Clear every scan of WH\/OUT\/00042/);
    await click(".modal .btn-primary");
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
    expect(server.calls.at(-1)).toEqual(["rescan"]);
    expect(".o_serial_dispatch_serial").toHaveCount(0);
    expect(".o_serial_dispatch_last_scan").toHaveCount(0);
});

test("Dispatch shows the differences, Deliver follows Odoo's wizard", async () => {
    const server = fakeServer();
    const wizard = { type: "ir.actions.act_window", res_model: "stock.backorder.confirmation" };
    onRpc("stock.picking", "button_validate", ({ args }) => {
        server.calls.push(["button_validate", args[0]]);
        return wizard;
    });
    mockService("action", {
        doAction(action) {
            expect.step(action.res_model || action.type);
        },
    });
    await mountDialog();
    await scan("SN-0001");
    expect(".o_serial_dispatch_deliver").not.toBeEnabled();
    await click(".o_serial_dispatch_dispatch");
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
    expect(".o_serial_dispatch_difference").toHaveText("Phone X: 1 missing");
    expect(".o_serial_dispatch_deliver").toBeEnabled();
    await click(".o_serial_dispatch_deliver");
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
    expect(server.calls.at(-1)).toEqual(["button_validate", [PICKING_ID]]);
    expect.verifySteps(["stock.backorder.confirmation"]);
});

test("a new scan after Dispatch asks for Dispatch again", async () => {
    fakeServer();
    await mountDialog();
    await click(".o_serial_dispatch_dispatch");
    await animationFrame();
    await animationFrame();
    expect(".o_serial_dispatch_deliver").toBeEnabled();
    await scan("SN-0002");
    expect(".o_serial_dispatch_deliver").not.toBeEnabled();
    expect(".o_serial_dispatch_differences").toHaveCount(0);
});

test("Deliver closes the dialog when Odoo validates at once", async () => {
    const server = fakeServer();
    onRpc("stock.picking", "button_validate", () => {
        server.calls.push(["button_validate"]);
        return true;
    });
    mockService("action", {
        doAction(action) {
            expect.step(action.type);
        },
    });
    await mountDialog();
    await click(".o_serial_dispatch_dispatch");
    await animationFrame();
    await animationFrame();
    await click(".o_serial_dispatch_deliver");
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
    expect(".o_notification").toHaveText("WH/OUT/00042 is delivered.");
    expect.verifySteps(["ir.actions.act_window_close"]);
});

test("a transfer that cannot be scanned says why and refuses scans", async () => {
    const server = fakeServer({ canScan: false });
    await mountDialog();
    expect(".o_serial_dispatch_prompt").toHaveText("WH/OUT/00042 is done.");
    expect(".o_serial_dispatch_dispatch").not.toBeEnabled();
    expect(".o_serial_dispatch_quantity").toHaveCount(0);
    await scan("SN-0001");
    expect(scanCalls(server)).toHaveLength(0);
    expect.verifySteps(["beep"]);
});

test("a serial reserved for another transfer is taken over from its refusal", async () => {
    const server = fakeServer();
    await mountDialog();
    await scan("BOGUS");
    expect(".o_serial_dispatch_takeover").toHaveCount(0);
    await scan("RES-0001");
    expect(".o_serial_dispatch_last_scan.text-danger").toHaveText(/reserved for WH\/OUT\/00016/);
    expect.verifySteps(["beep", "beep"]);
    await click(".o_serial_dispatch_takeover");
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
    const calls = scanCalls(server);
    expect(calls.map((call) => [call[1], call[3]])).toEqual([
        ["BOGUS", false],
        ["RES-0001", false],
        ["RES-0001", true],
    ]);
    // The takeover is a scan of its own: a retry of the refused one would be refused again.
    expect(calls[2][2]).not.toBe(calls[1][2]);
    expect(".o_serial_dispatch_takeover").toHaveCount(0);
    expect(queryAllTexts(".o_serial_dispatch_serial")).toEqual(["RES-0001"]);
    expect.verifySteps([]);
});

test("a scan read while the search field has the focus is a scan, not search text", async () => {
    const server = fakeServer();
    await mountDialog();
    await click(".o_serial_dispatch_search");
    await animationFrame();
    await edit("pho");
    // A person types slower than a scanner: the barcode service's buffer ends here.
    await advanceTime(1000);
    expect(queryAllTexts(".o_serial_dispatch_product")).toEqual(["Phone X"]);
    expect(scanCalls(server)).toHaveLength(0);
    // The scanner types into the focused search field, as fast as it goes, then Enter.
    await scan("SN-0007");
    expect(scanCalls(server).map((call) => call[1])).toEqual(["SN-0007"]);
    expect(".o_serial_dispatch_search").toHaveValue("pho");
    expect(queryAllTexts(".o_serial_dispatch_serial")).toEqual(["SN-0007"]);
    expect(".o_serial_dispatch_prompt").toHaveText("Start scanning now!");
    expect(".o_notification").toHaveCount(0);
    expect.verifySteps([]);
    // Text typed in the search field without Enter stays search text.
    await click(".o_serial_dispatch_search");
    await edit("cab");
    await advanceTime(1000);
    expect(scanCalls(server)).toHaveLength(1);
    expect(queryAllTexts(".o_serial_dispatch_product")).toEqual(["Cable"]);
});

test("a new scan clears the previous refusal", async () => {
    fakeServer();
    await mountDialog();
    await scan("BOGUS");
    expect(".o_notification").toHaveCount(1);
    await scan("WRONG-TOO");
    // One refusal on screen at a time: the latest.
    expect(".o_notification").toHaveCount(1);
    expect(".o_notification").toHaveText(/Unknown code WRONG-TOO/);
    await scan("SN-0001");
    expect(".o_notification").toHaveCount(0);
    expect(".o_serial_dispatch_last_scan.text-success").toHaveText("Phone X: serial SN-0001 added");
    expect.verifySteps(["beep", "beep"]);
});

test("the dispatched state comes back from the server when the dialog is reopened", async () => {
    const server = fakeServer({
        dispatched: {
            complete: false,
            differences: [{
                move_id: 11, product_name: "Phone X", ordered: 2, applied: 1, missing: 1,
                extra: 0, unavailable_serials: [], reserved_serials: [],
            }],
        },
    });
    await mountDialog();
    expect(server.calls).toEqual([["state", [PICKING_ID]]]);
    expect(".o_serial_dispatch_deliver").toBeEnabled();
    expect(".o_serial_dispatch_deliver").toHaveClass("btn-primary");
    expect(".o_serial_dispatch_difference").toHaveText("Phone X: 1 missing");
    await scan("SN-0003");
    expect(".o_serial_dispatch_deliver").not.toBeEnabled();
});

test("a server that reports no Dispatch leaves Deliver disabled", async () => {
    fakeServer({ dispatched: false });
    await mountDialog();
    expect(".o_serial_dispatch_deliver").not.toBeEnabled();
    expect(".o_serial_dispatch_differences").toHaveCount(0);
});

test("a code typed in the dialog is sent as typed; a barcode read is not", async () => {
    const server = fakeServer();
    await mountDialog();
    await scan("SN-0001");
    await click(".o_serial_dispatch_type");
    await animationFrame();
    expect(".o_serial_dispatch_prompt").toHaveText("Click here to start scanning products");
    // Serials may be typed here: no reason asked.
    expect(".o_serial_dispatch_reason").toHaveCount(0);
    await click(".o_serial_dispatch_manual");
    await edit("SN-0002");
    await click(".o_serial_dispatch_typing_ok");
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
    expect(scanCalls(server).map((call) => call[1])).toEqual(["SN-0001", "SN-0002"]);
    expect(server.options).toEqual([null, { typed: true, reason: false }]);
    expect(".o_serial_dispatch_typing").toHaveCount(0);
    expect(".o_serial_dispatch_prompt").toHaveText("Start scanning now!");
    expect(queryAllTexts(".o_serial_dispatch_serial")).toEqual(["SN-0001", "SN-0002"]);
});

test("where serials must be scanned, a manager typing one gives a reason", async () => {
    const server = fakeServer({ policy: "mandatory", canOverride: true });
    await mountDialog();
    await click(".o_serial_dispatch_type");
    await animationFrame();
    await click(".o_serial_dispatch_manual");
    await edit("SN-0003");
    await click(".o_serial_dispatch_reason");
    await edit("Label torn");
    await click(".o_serial_dispatch_typing_ok");
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
    expect(scanCalls(server).map((call) => call[1])).toEqual(["SN-0003"]);
    expect(server.options).toEqual([{ typed: true, reason: "Label torn" }]);
});

test("a clerk typing where serials must be scanned is asked no reason", async () => {
    const server = fakeServer({ policy: "mandatory", canOverride: false });
    await mountDialog();
    await click(".o_serial_dispatch_type");
    await animationFrame();
    expect(".o_serial_dispatch_manual").toHaveCount(1);
    expect(".o_serial_dispatch_reason").toHaveCount(0);
    await click(".o_serial_dispatch_manual");
    await edit("SN-0004");
    await click(".o_serial_dispatch_typing_ok");
    for (let frame = 0; frame < 3; frame++) {
        await animationFrame();
    }
    // The server decides (it refuses the clerk's typed serial): the dialog says it is typed.
    expect(server.options).toEqual([{ typed: true, reason: false }]);
});
