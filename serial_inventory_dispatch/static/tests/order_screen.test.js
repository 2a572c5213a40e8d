/** @odoo-module **/

import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { advanceTime, animationFrame, click, edit, press } from "@odoo/hoot-dom";
import { mountWithCleanup, onRpc, patchWithCleanup } from "@web/../tests/web_test_helpers";
import { signals } from "@serial_inventory_scan/core/serial_scan_service";
import { OrderScreen, SEARCH_DELAY } from "@serial_inventory_dispatch/app/order_screen";

describe.current.tags("desktop");
defineMailModels();

const ORDER_ID = 42;
const CUSTOMERS = [
    { id: 7, name: "Acme Ltd", city: "Ghent" },
    { id: 8, name: "Acme Two", city: "" },
];

/** A stand-in for serial.scan.operation's Order: records each call, answers like the server. */
function fakeServer() {
    const server = { calls: [], lines: [], state: "draft" };
    const state = (recordId) => {
        if (!recordId) {
            return {
                record_id: false, can_scan: false, prompt: "Choose the customer.",
                customers: CUSTOMERS, open_orders: [],
            };
        }
        const open = server.state === "draft";
        return {
            record_id: ORDER_ID, name: "S00042", customer: "Acme Ltd", state: server.state,
            state_label: open ? "Quotation" : "Sales Order", can_scan: open,
            can_confirm: open && server.lines.length > 0, prompt: "Scan the units.",
            lines: [...server.lines], total: "$ 10.00", deliveries: [], recent: [],
        };
    };
    onRpc("serial.scan.operation", "scan_state", ({ args }) => {
        server.calls.push(["state", args[1]]);
        return state(args[1]);
    });
    onRpc("serial.scan.operation", "scan_action", ({ args }) => {
        const [, recordId, name, params] = args;
        server.calls.push(["action", recordId, name, params]);
        if (name === "customers") {
            const customers = CUSTOMERS.filter((customer) => customer.name.includes(params.query));
            return { ...state(false), customers };
        }
        if (name === "new") {
            return state(ORDER_ID);
        }
        if (name === "confirm") {
            server.state = "sale";
        }
        return state(recordId);
    });
    onRpc("serial.scan.operation", "scan", ({ args }) => {
        const [, recordId, code] = args;
        server.calls.push(["scan", recordId, code]);
        server.lines.push({ id: server.lines.length + 1, product: "Phone", quantity: "1",
                            serials: [code], subtotal: "$ 10.00" });
        return { scan_id: 1, result: "accepted", message: `${code} added.`, code,
                 duplicate: false, record_id: recordId, state: state(recordId) };
    });
    return server;
}

async function frames(count = 3) {
    for (let frame = 0; frame < count; frame++) {
        await animationFrame();
    }
}

async function scan(code) {
    for (const key of [...code, "Enter"]) {
        await press(key);
    }
    await frames();
}

beforeEach(() => {
    patchWithCleanup(signals, { accept: () => {}, refuse: () => {} });
});

test("the search asks once the clerk stops typing; a customer opens a quotation the scans fill", async () => {
    const server = fakeServer();
    await mountWithCleanup(OrderScreen, { props: { onBack: () => {} } });
    await frames();
    expect(".o_serial_order_customer").toHaveCount(2);
    await click(".o_serial_order_search");
    await edit("Two");
    await advanceTime(SEARCH_DELAY / 2);
    expect(server.calls.filter((call) => call[2] === "customers")).toHaveLength(0);
    await advanceTime(SEARCH_DELAY);
    await frames();
    expect(server.calls.filter((call) => call[2] === "customers")).toEqual([
        ["action", false, "customers", { query: "Two" }],
    ]);
    expect(".o_serial_order_customer").toHaveText("Acme Two");
    await click(".o_serial_order_customer");
    await frames();
    expect(server.calls.at(-1)).toEqual(["action", false, "new", { partner_id: 8 }]);
    expect(".o_serial_order_customer_name").toHaveText("Acme Ltd");
    await scan("SN-1");
    expect(server.calls.at(-1)).toEqual(["scan", ORDER_ID, "SN-1"]);
    expect(".o_serial_order_serials").toHaveText("SN-1");
    // Choosing the customer opened the quotation: its state is not read again.
    expect(server.calls.filter((call) => call[0] === "state")).toEqual([["state", false]]);
});

test("a customer tapped while the search waits opens the quotation; the search is dropped", async () => {
    const server = fakeServer();
    await mountWithCleanup(OrderScreen, { props: { onBack: () => {} } });
    await frames();
    await click(".o_serial_order_search");
    await edit("Acme");
    await click(".o_serial_order_customer[data-partner='7']");
    await advanceTime(SEARCH_DELAY * 2);
    await frames();
    expect(server.calls.filter((call) => call[0] === "action")).toEqual([
        ["action", false, "new", { partner_id: 7 }],
    ]);
    expect(".o_serial_order_customer_name").toHaveText("Acme Ltd");
});

test("Confirm order asks first, then confirms; New quotation goes back to the customers", async () => {
    const server = fakeServer();
    server.lines.push({ id: 1, product: "Phone", quantity: "1", serials: ["SN-1"],
                        subtotal: "$ 10.00" });
    await mountWithCleanup(OrderScreen, { props: { recordId: ORDER_ID, onBack: () => {} } });
    await frames();
    await click(".o_serial_order_confirm");
    await frames();
    expect(".modal").toHaveCount(1);
    expect(server.calls.filter((call) => call[2] === "confirm")).toHaveLength(0);
    await click(".modal-footer .btn-primary");
    await frames();
    expect(server.calls.at(-1)).toEqual(["action", ORDER_ID, "confirm", {}]);
    expect(".o_serial_order_state").toHaveText("Sales Order");
    expect(".o_serial_order_confirm").toHaveCount(0);
    await click(".o_serial_order_new");
    await frames();
    expect(server.calls.at(-1)).toEqual(["state", false]);
    expect(".o_serial_order_customer").toHaveCount(2);
});
