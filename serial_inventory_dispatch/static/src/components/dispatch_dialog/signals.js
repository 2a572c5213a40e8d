/** @odoo-module **/

import { signals as scanSignals } from "@serial_inventory_scan/core/serial_scan_service";

/** A signal the device cannot give (no vibration, no audio) never stops the scan's answer. */
function quietly(signal) {
    try {
        signal();
    } catch {
        // The visible signal (flash, message) remains.
    }
}

/**
 * Audible signals of the dispatch dialog: the scanning core's (Odoo's barcode error sound and
 * a long vibration for a refusal, a short beep for an accepted scan), kept in one object so
 * that tests can replace them.
 */
export const signals = {
    playError() {
        quietly(() => scanSignals.refuse());
    },
    playAccept() {
        quietly(() => scanSignals.accept());
    },
};
