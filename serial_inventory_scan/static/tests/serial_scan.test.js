/** @odoo-module **/

import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { advanceTime, animationFrame, click, edit, press, queryAllTexts } from "@odoo/hoot-dom";
import {
    getService,
    makeMockEnv,
    mountWithCleanup,
    onRpc,
    patchWithCleanup,
} from "@web/../tests/web_test_helpers";
import { ConnectionLostError, rpc } from "@web/core/network/rpc";
import { RETRY_DELAYS, signals } from "@serial_inventory_scan/core/serial_scan_service";
import { ScanScreen } from "@serial_inventory_scan/core/scan_screen";

describe.current.tags("desktop");
defineMailModels();

/** A stand-in for serial.scan.operation: records each call, answers like the server. */
function fakeServer() {
    const server = { calls: [], counted: [], release: null };
    const state = () => ({
        record_id: server.counted.length ? 5 : false,
        prompt: "Scan the units.",
        can_scan: true,
        counted: [...server.counted],
    });
    onRpc("serial.scan.operation", "scan_state", ({ args }) => {
        server.calls.push(["state", ...args]);
        return state();
    });
    onRpc("serial.scan.operation", "scan", async ({ args }) => {
        const [operation, recordId, code, clientUid] = args;
        server.calls.push(["scan", operation, recordId, code, clientUid]);
        if (code === "SLOW") {
            await new Promise((resolve) => (server.release = resolve));
        }
        const accepted = !code.startsWith("BAD");
        if (accepted) {
            server.counted.push(code);
        }
        return {
            scan_id: server.calls.length, result: accepted ? "accepted" : "refused",
            message: accepted ? `${code} found.` : `Unknown code ${code}.`, code,
            duplicate: false, record_id: 5, state: state(),
        };
    });
    return server;
}

async function frames(count = 3) {
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

beforeEach(() => {
    patchWithCleanup(signals, {
        accept: () => expect.step("accept"),
        refuse: () => expect.step("refuse"),
    });
});

describe("serial_scan service", () => {
    test("scans are sent one at a time, in scan order, each with its own client id", async () => {
        const server = fakeServer();
        await makeMockEnv();
        const scanner = getService("serial_scan");
        const first = scanner.scan("count", "SLOW", { recordId: false });
        const second = scanner.scan("count", "SN-2", { recordId: () => 5 });
        await frames();
        // The second scan waits for the first one's answer.
        expect(server.calls.map((call) => call[3])).toEqual(["SLOW"]);
        expect(scanner.queue.pending).toBe(2);
        server.release();
        const answers = await Promise.all([first, second]);
        expect(answers.map((answer) => answer.code)).toEqual(["SLOW", "SN-2"]);
        expect(server.calls.map((call) => call[3])).toEqual(["SLOW", "SN-2"]);
        // The record id is read when the scan is sent.
        expect(server.calls.map((call) => call[2])).toEqual([false, 5]);
        expect(server.calls[0][4]).not.toBe(server.calls[1][4]);
        expect(scanner.queue.pending).toBe(0);
    });

    test("a scan that meets a network error is retried with the same client id", async () => {
        const server = fakeServer();
        let failures = 2;
        const attempts = [];
        const originalRpc = rpc._rpc;
        patchWithCleanup(rpc, {
            _rpc(url, params, settings) {
                if (url.endsWith("/scan")) {
                    attempts.push(params.args[3]);
                    if (failures > 0) {
                        failures--;
                        return Promise.reject(new ConnectionLostError(url));
                    }
                }
                return originalRpc(url, params, settings);
            },
        });
        await makeMockEnv();
        const scanner = getService("serial_scan");
        const answer = scanner.scan("count", "SN-7");
        await frames();
        expect(attempts).toHaveLength(1);
        await advanceTime(RETRY_DELAYS[0]);
        await frames();
        await advanceTime(RETRY_DELAYS[1]);
        await frames();
        expect((await answer).result).toBe("accepted");
        expect(attempts).toHaveLength(3);
        expect(new Set(attempts).size).toBe(1);
        expect(server.calls.filter((call) => call[0] === "scan")).toHaveLength(1);
    });
});

describe("ScanScreen", () => {
    async function mountScreen() {
        await mountWithCleanup(ScanScreen, {
            props: { operation: "count", title: "Count", onBack: () => expect.step("back") },
        });
        await frames();
    }

    test("a barcode is one scan: accepted flashes green and beeps", async () => {
        const server = fakeServer();
        await mountScreen();
        expect(".o_serial_scan_title").toHaveText("Count");
        expect(".o_serial_scan_prompt").toHaveText("Scan the units.");
        await scan("SN-1");
        expect(server.calls.map((call) => call.slice(0, 4))).toEqual([
            ["state", "count", false],
            ["scan", "count", false, "SN-1"],
        ]);
        expect(".o_serial_scan_last_accepted").toHaveText("SN-1 found.");
        expect(".o_serial_scan_flash_success").toHaveCount(1);
        expect.verifySteps(["accept"]);
        // The record the first scan opened is the one the next scans are for.
        await scan("SN-2");
        expect(server.calls.at(-1).slice(0, 4)).toEqual(["scan", "count", 5, "SN-2"]);
        expect.verifySteps(["accept"]);
    });

    test("a refused scan is shown red with the server's message and sound", async () => {
        fakeServer();
        await mountScreen();
        await scan("BAD-1");
        expect(".o_serial_scan_last_refused").toHaveText("Unknown code BAD-1.");
        expect(".o_serial_scan_flash_danger").toHaveCount(1);
        expect.verifySteps(["refuse"]);
        await advanceTime(1000);
        expect(".o_serial_scan_flash_danger").toHaveCount(0);
    });

    test("a code typed by hand is a scan; typing is not scanning", async () => {
        const server = fakeServer();
        await mountScreen();
        await click(".o_serial_scan_type");
        await animationFrame();
        await click(".o_serial_scan_typing input");
        await edit("SN-HAND");
        await frames();
        expect(server.calls.filter((call) => call[0] === "scan")).toHaveLength(0);
        await click(".o_serial_scan_typing_ok");
        await frames();
        expect(server.calls.filter((call) => call[0] === "scan").map((call) => call[3])).toEqual([
            "SN-HAND",
        ]);
        expect(queryAllTexts(".o_serial_scan_last")).toEqual(["SN-HAND found."]);
        expect.verifySteps(["accept"]);
        await click(".o_serial_scan_back");
        expect.verifySteps(["back"]);
    });
});
