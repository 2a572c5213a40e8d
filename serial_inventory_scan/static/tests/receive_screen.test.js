/** @odoo-module **/

import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { animationFrame, click, queryAllTexts } from "@odoo/hoot-dom";
import {
    getService,
    makeMockEnv,
    mountWithCleanup,
    onRpc,
    patchWithCleanup,
} from "@web/../tests/web_test_helpers";
import { signals } from "@serial_inventory_scan/core/serial_scan_service";
import { ReceiveScreen } from "@serial_inventory_scan/app/receive_screen";

describe.current.tags("desktop");
defineMailModels();

const RECEIPT = 7;

/** The receipt as serial.scan.operation.receive describes it: 1 of 3 units received. */
function receiptState(extra = {}) {
    return {
        record_id: RECEIPT, name: "WH/IN/00007", state: "assigned", state_label: "Ready",
        partner: "Vendor", origin: "PO7", destination: "WH/Stock", can_scan: true,
        can_validate: true, prompt: "Scan each unit's label (into WH/Stock).",
        lines: [{ move_id: 3, product: "Gadget", tracking: "serial", demand: 3, done: 1,
                  uom: "Units", serials: ["SN-1"], unlabelled: 2, printable: 2 }],
        to_label: 2, backorders: [], recent: [], ...extra,
    };
}

/** A stand-in for the server: records the calls; the actions return an Odoo action. */
function fakeServer() {
    const calls = [];
    onRpc("serial.scan.operation", "scan_state", ({ args }) => {
        calls.push(["state", ...args]);
        if (!args[1]) {
            return { record_id: false, prompt: "Tap a receipt.", receipts: [
                { id: RECEIPT, name: "WH/IN/00007", partner: "Vendor", scheduled: "2026-12-01", lines: 1 },
            ] };
        }
        return receiptState();
    });
    onRpc("serial.scan.operation", "scan_action", ({ args }) => {
        calls.push(["action", ...args]);
        const [, , name] = args;
        return receiptState({
            to_label: name === "print_labels" ? 0 : 2,
            client_action: { type: "ir.actions.act_window", name },
        });
    });
    return calls;
}

async function frames(count = 3) {
    for (let frame = 0; frame < count; frame++) {
        await animationFrame();
    }
}

beforeEach(() => {
    patchWithCleanup(signals, { accept: () => {}, refuse: () => {} });
});

test("a tapped receipt opens; its buttons run their actions and Odoo's answer", async () => {
    const calls = fakeServer();
    await makeMockEnv();
    const closers = [];
    patchWithCleanup(getService("action"), {
        async doAction(action, options) {
            expect.step(`doAction ${action.name}`);
            closers.push(options.onClose);
        },
    });
    await mountWithCleanup(ReceiveScreen, { props: { onBack: () => {} } });
    await frames();
    expect(queryAllTexts(".o_serial_receive_open strong")).toEqual(["WH/IN/00007"]);
    await click(".o_serial_receive_open");
    await frames();
    expect(calls.at(-1)).toEqual(["state", "receive", RECEIPT]);
    expect(".o_serial_receive_name").toHaveText("WH/IN/00007");
    expect(".o_serial_receive_line .o_serial_receive_quantity").toHaveText("1 / 3");
    expect(".o_serial_receive_serial").toHaveText("SN-1");
    expect(".o_serial_receive_print").toHaveText("Print 2 labels");

    await click(".o_serial_receive_print_line");
    await frames();
    expect(calls.at(-1)).toEqual(["action", "receive", RECEIPT, "print_labels", { move_id: 3 }]);
    expect.verifySteps(["doAction print_labels"]);
    expect(".o_serial_receive_print").toHaveCount(0);

    await click(".o_serial_receive_validate");
    await frames();
    expect(calls.at(-1)).toEqual(["action", "receive", RECEIPT, "validate", {}]);
    expect.verifySteps(["doAction validate"]);
    // The wizard closed: the receipt is read again.
    await closers.at(-1)();
    await frames();
    expect(calls.at(-1)).toEqual(["state", "receive", RECEIPT]);

    await click(".o_serial_receive_list");
    await frames();
    expect(calls.at(-1)).toEqual(["state", "receive", false]);
    expect(".o_serial_receive_open").toHaveCount(1);
});

test("one label is said in the singular; a refused action flashes its message", async () => {
    onRpc("serial.scan.operation", "scan_state", () => receiptState({
        lines: [{ move_id: 3, product: "Gadget", tracking: "serial", demand: 1, done: 0,
                  uom: "Units", serials: [], unlabelled: 1, printable: 1 }],
        to_label: 1,
    }));
    onRpc("serial.scan.operation", "scan_action", () => {
        throw new Error("Gadget has no serial pattern");
    });
    await mountWithCleanup(ReceiveScreen, { props: { recordId: RECEIPT, onBack: () => {} } });
    await frames();
    expect(".o_serial_receive_print").toHaveText("Print 1 label");
    await click(".o_serial_receive_print");
    await frames();
    expect(".o_serial_scan_last_refused").toHaveText(/no serial pattern/);
});
