/** @odoo-module **/

import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { animationFrame, click, queryAllTexts } from "@odoo/hoot-dom";
import { mountWithCleanup, onRpc, patchWithCleanup } from "@web/../tests/web_test_helpers";
import { signals } from "@serial_inventory_scan/core/serial_scan_service";
import { groupByDelivery, ReturnScreen } from "@serial_inventory_scan/app/return_screen";

describe.current.tags("desktop");
defineMailModels();

function unit(scanId, serial, delivery, customer, extra = {}) {
    return {
        scan_id: scanId, lot_id: scanId, serial, product: "Drill",
        delivery: delivery || "", delivery_id: delivery ? Number(delivery.slice(-2)) : false,
        customer: customer || "", delivered: "2026-11-30 10:00", recall: "", location: "",
        problem: "", ...extra,
    };
}

/** A stand-in for serial.scan.operation's return: records each call, answers its state. */
function fakeServer(units) {
    const server = { calls: [], units: [...units] };
    const state = () => {
        const problems = server.units.filter((u) => u.problem).length;
        return {
            record_id: false, prompt: "Scan the serial of each returned unit.", can_scan: true,
            location: "", units: server.units, problems, deliveries: 2,
            can_apply: server.units.length > 0 && !problems,
            rules: { policy: "optional", allow_extra: true, require_location: false },
            can_override: false, recent: [],
        };
    };
    onRpc("serial.scan.operation", "scan_state", ({ args }) => {
        server.calls.push(["state", ...args]);
        return state();
    });
    onRpc("serial.scan.operation", "scan_action", ({ args }) => {
        server.calls.push(["action", ...args]);
        const [, , name, params] = args;
        server.units = name === "remove"
            ? server.units.filter((u) => u.scan_id !== params.scan_id) : [];
        return state();
    });
    onRpc("serial.scan.operation", "scan_apply", ({ args }) => {
        server.calls.push(["apply", ...args]);
        const applied = [{ id: 9, name: "WH/IN/00009", delivery: "WH/OUT/00011",
                           customer: "Ann", count: 2 }];
        server.units = [];
        return { ...state(), applied };
    });
    return server;
}

async function frames(count = 3) {
    for (let frame = 0; frame < count; frame++) {
        await animationFrame();
    }
}

async function mountReturn() {
    await mountWithCleanup(ReturnScreen, { props: { onBack: () => {} } });
    await frames();
}

beforeEach(() => {
    patchWithCleanup(signals, { accept: () => {}, refuse: () => {} });
});

const UNITS = [
    unit(3, "SN-3", "WH/OUT/00011", "Ann"),
    unit(4, "SN-4", "WH/OUT/00012", "Bob", { recall: "RC/0001" }),
    unit(5, "SN-5", "WH/OUT/00011", "Ann"),
];

describe("Return screen", () => {
    test("units grouped by delivery, in the order the deliveries were met", () => {
        const changed = unit(6, "SN-6", "", "", { problem: "Serial SN-6 was already returned." });
        const groups = groupByDelivery([...UNITS, changed]);
        expect(groups.map((group) => [group.delivery, group.customer, group.units.length])).toEqual([
            ["WH/OUT/00011", "Ann", 2],
            ["WH/OUT/00012", "Bob", 1],
            ["", "", 1],
        ]);
    });

    test("each unit shows with its delivery and customer; a recalled one says it comes back blocked", async () => {
        fakeServer(UNITS);
        await mountReturn();
        expect(queryAllTexts(".o_serial_return_delivery_name")).toEqual([
            "WH/OUT/00011",
            "WH/OUT/00012",
        ]);
        expect(queryAllTexts(".o_serial_return_customer")).toEqual(["Ann", "Bob"]);
        expect(queryAllTexts(".o_serial_return_serial")).toEqual(["SN-3", "SN-5", "SN-4"]);
        expect(".o_serial_return_unit[data-serial=SN-4] .o_serial_return_recall").toHaveText(
            "Under recall RC/0001: it comes back blocked"
        );
        expect(".o_serial_return_count").toHaveText("3 units");
    });

    test("a unit is taken out by its own button, with its scan id", async () => {
        const server = fakeServer(UNITS);
        await mountReturn();
        await click(".o_serial_return_unit[data-serial=SN-5] .o_serial_return_remove");
        await frames();
        expect(server.calls.at(-1)).toEqual(["action", "return", false, "remove", { scan_id: 5 }]);
        expect(queryAllTexts(".o_serial_return_serial")).toEqual(["SN-3", "SN-4"]);
    });

    test("Apply applies nothing before the confirmation, which names each delivery", async () => {
        const server = fakeServer(UNITS);
        await mountReturn();
        await click(".o_serial_return_apply");
        await frames();
        expect(".modal-title").toHaveText("Return 3 units?");
        expect(".modal-body").toHaveText(
            "Odoo's return of each delivery is made and validated: WH/OUT/00011 (Ann): 2 units; WH/OUT/00012 (Bob): 1 unit."
        );
        expect(server.calls.filter((call) => call[0] === "apply")).toHaveLength(0);
        await click(".modal-footer .btn-primary");
        await frames();
        expect(server.calls.filter((call) => call[0] === "apply")).toEqual([
            ["apply", "return", false],
        ]);
        expect(".o_serial_return_done").toHaveText("WH/IN/00009 · 2 units · WH/OUT/00011 (Ann)");
        expect(".o_serial_return_unit").toHaveCount(0);
        expect(".o_serial_return_apply").toHaveCount(0);
    });

    test("Apply is off while a unit has a problem; cancelling Start over keeps the units", async () => {
        const server = fakeServer([
            ...UNITS,
            unit(6, "SN-6", "", "", { problem: "Serial SN-6 was already returned." }),
        ]);
        await mountReturn();
        expect(".o_serial_return_apply").toHaveAttribute("disabled");
        expect(".o_serial_return_problem").toHaveText("Serial SN-6 was already returned.");
        await click(".o_serial_return_clear");
        await frames();
        await click(".modal-footer .btn-secondary");
        await frames();
        expect(server.calls.filter((call) => call[0] === "action")).toHaveLength(0);
        expect(".o_serial_return_unit").toHaveCount(4);
        await click(".o_serial_return_clear");
        await frames();
        await click(".modal-footer .btn-primary");
        await frames();
        expect(server.calls.at(-1)).toEqual(["action", "return", false, "clear", {}]);
        expect(".o_serial_return_unit").toHaveCount(0);
    });
});
