/** @odoo-module **/

/**
 * A tour step that scans ``code`` as a keyboard-wedge scanner does: one keydown per
 * character, then Enter, on the page, once ``trigger`` is on screen. Odoo's ``barcode``
 * service turns them into one ``barcode_scanned`` event. Shared by the add-ons' tours.
 */
export function scanStep(code, trigger = ".o_serial_scan_screen") {
    return {
        content: `Scan ${code}`,
        trigger,
        run() {
            for (const key of [...code, "Enter"]) {
                document.body.dispatchEvent(
                    new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true })
                );
            }
        },
    };
}
