/** @odoo-module **/

import { reactive } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { ConnectionLostError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { url } from "@web/core/utils/urls";

/** Waits before each new attempt of a call that met a network error (ms). */
export const RETRY_DELAYS = [500, 1000, 2000, 4000, 8000];
const MODEL = "serial.scan.operation";

let errorSound = null;
let audioContext = null;

/**
 * What the user hears and feels: one object so that tests can replace it. Accepted: a short
 * high beep and a short vibration; refused: Odoo's barcode error sound and a long vibration.
 */
export const signals = {
    accept() {
        browser.navigator.vibrate?.(60);
        try {
            audioContext ||= new browser.AudioContext();
            const oscillator = audioContext.createOscillator();
            oscillator.frequency.value = 1320;
            oscillator.connect(audioContext.destination);
            oscillator.start();
            oscillator.stop(audioContext.currentTime + 0.08);
        } catch {
            // No audio output: the green flash remains.
        }
    },
    refuse() {
        browser.navigator.vibrate?.([120, 60, 120]);
        try {
            if (!errorSound) {
                const extension = new Audio().canPlayType("audio/ogg") ? "ogg" : "mp3";
                errorSound = new Audio(url(`/barcodes/static/src/audio/error.${extension}`));
            }
            errorSound.currentTime = 0;
            // A browser may refuse to play before the user touched the page.
            errorSound.play()?.catch?.(() => {});
        } catch {
            // No audio output: the red flash remains.
        }
    },
};

function makeClientPrefix() {
    const random = browser.crypto?.randomUUID?.() || `${Date.now()}${Math.random()}`;
    return random.replace(/[^A-Za-z0-9]/g, "").slice(0, 24);
}

/**
 * The scanning core of the client: every scanning screen talks to the server through it.
 *
 * - ``scan(operation, code, { recordId, typed, reason })``: one scan, given its client id at
 *   once and sent after every scan queued before it (in scan order, one at a time); a network
 *   error is retried with the same client id, so the server counts the scan once.
 *   ``recordId`` may be a function: it is read when the scan is sent (the first scan of a
 *   count opens its record). ``typed``: the code was typed; ``reason``: a manager's reason
 *   for typing a serial that must be scanned.
 * - ``action(operation, recordId, name, params)``: a button of the operation's screen.
 * - ``state``, ``apply`` and ``operations``: the other calls of serial.scan.operation.
 * - ``bus``: Odoo's barcode bus (keyboard-wedge scanners); ``camera()``: Odoo's camera dialog.
 * - ``signal(result)``: sound and vibration of an answer.
 */
export const serialScanService = {
    dependencies: ["orm", "barcode"],
    start(env, { orm, barcode }) {
        const prefix = makeClientPrefix();
        let counter = 0;
        let tail = Promise.resolve();
        const queue = reactive({ pending: 0 });

        async function call(method, args) {
            for (let attempt = 0; ; attempt++) {
                try {
                    return await orm.silent.call(MODEL, method, args);
                } catch (error) {
                    if (!(error instanceof ConnectionLostError) || attempt >= RETRY_DELAYS.length) {
                        throw error;
                    }
                    await new Promise((resolve) => browser.setTimeout(resolve, RETRY_DELAYS[attempt]));
                }
            }
        }

        function enqueue(task) {
            queue.pending++;
            const run = async () => {
                try {
                    return await task();
                } finally {
                    queue.pending--;
                }
            };
            const result = tail.then(run, run);
            tail = result.catch(() => {});
            return result;
        }

        return {
            bus: barcode.bus,
            queue,
            cameraSupported: isBarcodeScannerSupported(),
            newClientUid() {
                counter++;
                return `${prefix}-${counter}`;
            },
            scan(operation, code, { recordId = false, typed = false, reason = false } = {}) {
                const clientUid = this.newClientUid();
                const options = typed ? { typed: true, reason: reason || false } : {};
                return enqueue(() => {
                    const id = typeof recordId === "function" ? recordId() : recordId;
                    return call("scan", [operation, id || false, code, clientUid, options]);
                });
            },
            action(operation, recordId, name, params = {}) {
                // Not retried: a button (print labels, validate) that reached the server
                // before the connection dropped must not run twice.
                return enqueue(() =>
                    orm.silent.call(MODEL, "scan_action", [operation, recordId || false, name, params])
                );
            },
            state(operation, recordId = false) {
                return enqueue(() => call("scan_state", [operation, recordId || false]));
            },
            apply(operation, recordId) {
                return enqueue(() => call("scan_apply", [operation, recordId]));
            },
            operations() {
                return call("scan_operations", []);
            },
            camera() {
                return scanBarcode(env);
            },
            signal(result) {
                if (result === "accepted") {
                    signals.accept();
                } else {
                    signals.refuse();
                }
            },
        };
    },
};

registry.category("services").add("serial_scan", serialScanService);

/** The scanning service, calling ``onBarcode(code)`` for each code Odoo's barcode service reads. */
export function useScanner(onBarcode) {
    const scanner = useService("serial_scan");
    useBus(scanner.bus, "barcode_scanned", (ev) => onBarcode(ev.detail.barcode));
    return scanner;
}
