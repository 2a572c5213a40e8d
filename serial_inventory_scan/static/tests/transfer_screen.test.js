/** @odoo-module **/

import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { animationFrame, click, press, queryAllTexts } from "@odoo/hoot-dom";
import {
    makeServerError,
    mountWithCleanup,
    onRpc,
    patchWithCleanup,
} from "@web/../tests/web_test_helpers";
import { signals } from "@serial_inventory_scan/core/serial_scan_service";
import { TransferScreen } from "@serial_inventory_scan/app/transfer_screen";

describe.current.tags("desktop");
defineMailModels();

/**
 * A stand-in for serial.scan.operation's transfer 7 from WH/Stock/Shelf: a serial scan adds
 * a unit, a code starting with "TO-" is a destination scan, "validate" makes it done.
 */
function fakeServer({ destinationScanId = false, failValidate = false } = {}) {
    const server = { calls: [], units: [], scanIds: {}, destination: "", destinationScanId, done: false };
    if (destinationScanId) {
        server.units = [{ scan_id: 2, serial: "SN-1", product: "Drill", quantity: 1, location: "WH/Stock/Shelf" }];
        server.destination = "WH/Stock/Other";
    }
    const state = () => {
        const step = server.done ? "done" : server.destination ? "to" : "units";
        return {
            record_id: 7, name: "WH/INT/00007", state: server.done ? "done" : "draft",
            state_label: server.done ? "Done" : "Draft", step,
            prompt: server.done ? "WH/INT/00007 is done: 1 units moved." : "Scan the units.",
            source: "WH/Stock/Shelf", destination: server.destination, source_name: "Shelf",
            destination_name: server.destination.split("/").pop(),
            destination_scan_id: server.destinationScanId, count: server.units.length,
            units: [...server.units].reverse(), can_scan: true, can_undo: !server.done,
            can_validate: Boolean(server.destination && server.units.length && !server.done),
            can_cancel: !server.done,
            rules: { policy: "optional", allow_extra: true, require_location: false },
            can_override: false, recent: [],
        };
    };
    onRpc("serial.scan.operation", "scan_state", ({ args }) => {
        server.calls.push(["state", ...args]);
        return state();
    });
    onRpc("serial.scan.operation", "scan", ({ args }) => {
        const [, recordId, code] = args;
        server.calls.push(["scan", recordId, code]);
        const scanId = server.calls.length + 10;
        server.scanIds[code] = scanId;
        if (code.startsWith("TO-")) {
            server.destination = `WH/Stock/${code.slice(3)}`;
            server.destinationScanId = scanId;
        } else {
            server.units.push({ scan_id: scanId, serial: code, product: "Drill", quantity: 1, location: "WH/Stock/Shelf" });
        }
        return { scan_id: scanId, result: "accepted", message: `${code} accepted.`, code, duplicate: false, record_id: 7, state: state() };
    });
    onRpc("serial.scan.operation", "scan_action", ({ args }) => {
        const [, recordId, name, params] = args;
        server.calls.push(["action", recordId, name, params]);
        if (name === "validate" && failValidate) {
            throw makeServerError({ description: "SN-1 is under recall RC/0001." });
        }
        if (name === "validate") {
            server.done = true;
        }
        if (name === "undo") {
            server.units = server.units.filter((unit) => unit.scan_id !== params.scan_id);
        }
        return state();
    });
    return server;
}

async function frames(count = 4) {
    for (let frame = 0; frame < count; frame++) {
        await animationFrame();
    }
}

/** What a keyboard-wedge scanner types: Odoo's barcode service makes it one scan. */
async function scan(code) {
    for (const key of [...code, "Enter"]) {
        await press(key);
    }
    await frames();
}

function actions(server) {
    return server.calls.filter((call) => call[0] === "action").map((call) => call[2]);
}

beforeEach(() => {
    patchWithCleanup(signals, { accept: () => expect.step("accept"), refuse: () => expect.step("refuse") });
});

describe("Transfer screen", () => {
    test("steps From, Units, To follow the scans; a scanned destination validates once", async () => {
        const server = fakeServer();
        await mountWithCleanup(TransferScreen, { props: { recordId: 7, onBack: () => {} } });
        await frames();
        expect(queryAllTexts(".o_serial_transfer_step[data-status=done] .fw-bold")).toEqual(["From"]);
        expect(".o_serial_transfer_step[data-step=units]").toHaveAttribute("data-status", "current");
        await scan("SN-1");
        await scan("SN-2");
        expect(queryAllTexts(".o_serial_transfer_serial")).toEqual(["SN-2", "SN-1"]);
        expect(".o_serial_transfer_step[data-step=units] .o_serial_transfer_step_value").toHaveText("2");
        expect(actions(server)).toEqual([]);
        await scan("TO-Other");
        expect(actions(server)).toEqual(["validate"]);
        expect(".o_serial_transfer_state").toHaveText("Done");
        expect(".o_serial_transfer_step[data-step=to]").toHaveAttribute("data-status", "done");
        expect(".o_serial_scan_last_accepted").toHaveText("WH/INT/00007 is done: 1 units moved.");
        expect(".o_serial_transfer_undo").toHaveCount(0);
        expect(".o_serial_transfer_new").toHaveCount(1);
        expect.verifySteps(["accept", "accept", "accept", "accept"]);
        expect(actions(server)).toEqual(["validate"], { message: "validated once, not again" });
    });

    test("a destination already scanned when the screen opens waits for Validate", async () => {
        const server = fakeServer({ destinationScanId: 3 });
        await mountWithCleanup(TransferScreen, { props: { recordId: 7, onBack: () => {} } });
        await frames();
        expect(".o_serial_transfer_step[data-step=to] .o_serial_transfer_step_value").toHaveText("Other");
        expect(".o_serial_transfer_step[data-step=to] .o_serial_transfer_step_value").toHaveAttribute(
            "title",
            "WH/Stock/Other"
        );
        expect(actions(server)).toEqual([]);
        await click(".o_serial_transfer_validate");
        await frames();
        expect(actions(server)).toEqual(["validate"]);
        expect(".o_serial_transfer_state").toHaveText("Done");
        expect.verifySteps(["accept"]);
    });

    test("a validation refused shows why; another destination tries again", async () => {
        const server = fakeServer({ failValidate: true });
        await mountWithCleanup(TransferScreen, { props: { recordId: 7, onBack: () => {} } });
        await frames();
        await scan("SN-1");
        await scan("TO-Other");
        expect(actions(server)).toEqual(["validate"]);
        expect(".o_serial_scan_last_refused").toHaveText("SN-1 is under recall RC/0001.");
        expect(".o_serial_transfer_validate").toHaveCount(1);
        await scan("TO-Bin");
        expect(actions(server)).toEqual(["validate", "validate"]);
        expect.verifySteps(["accept", "accept", "refuse", "accept", "refuse"]);
    });

    test("a unit is taken out by its own button, with its scan id", async () => {
        const server = fakeServer();
        await mountWithCleanup(TransferScreen, { props: { recordId: 7, onBack: () => {} } });
        await frames();
        await scan("SN-1");
        await scan("SN-2");
        await click(".o_serial_transfer_unit[data-serial=SN-1] .o_serial_transfer_undo");
        await frames();
        expect(server.calls.at(-1)).toEqual(["action", 7, "undo", { scan_id: server.scanIds["SN-1"] }]);
        expect(queryAllTexts(".o_serial_transfer_serial")).toEqual(["SN-2"]);
        expect.verifySteps(["accept", "accept"]);
    });
});
