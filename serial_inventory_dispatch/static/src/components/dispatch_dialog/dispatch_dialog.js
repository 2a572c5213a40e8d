/** @odoo-module **/

import { Component, onWillStart, useRef, useState } from "@odoo/owl";
import { barcodeService } from "@barcodes/barcode_service";
import { browser } from "@web/core/browser/browser";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { ConnectionLostError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { RETRY_DELAYS, useScanner } from "@serial_inventory_scan/core/serial_scan_service";
import { signals } from "./signals";

/** The scanning core's delays (ms) before the retries of a call that met a network error. */
export { RETRY_DELAYS };
const FLASH_DURATION = 700;

/**
 * Scan-to-dispatch dialog of a delivery order ("Scan serials: WH/OUT/...").
 *
 * Opened by the picking's Scan serials button as a client action in a dialog
 * (``serial_inventory_dispatch.dispatch``, target new). Every barcode read by Odoo's
 * ``barcode`` service is one scan sent to the server (``stock.picking.serial_dispatch_scan``);
 * all state comes from the server, so progress survives a reload.
 */
export class DispatchDialog extends Component {
    static template = "serial_inventory_dispatch.DispatchDialog";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.actionService = useService("action");
        this.dialogService = useService("dialog");
        const { params = {}, context = {} } = this.props.action;
        this.pickingId = params.picking_id || context.active_id;
        this.state = useState({
            loaded: false,
            picking: {},
            lines: [],
            canScan: false,
            serverPrompt: "",
            scanning: true,
            search: "",
            flash: "",
            lastScan: null,
            pending: 0,
            busy: false,
            dispatched: null, // result of the last Dispatch (differences), until a change
            typing: false, // the form to type a code (a damaged label) is open
            rules: {}, // the operation type's rules (policy: serials scanned or typed)
            canOverride: false, // an inventory manager may type a serial that must be scanned
        });
        this.manualInput = useRef("manual");
        this.reasonInput = useRef("reason");
        this.queue = Promise.resolve();
        this.flashTimeout = null;
        this.closeErrorNotification = null;
        this.searchBurst = { keys: [], lastKeyAt: 0, valueBefore: "" };
        // The scanning core: Odoo's barcode bus, the client scan ids, the sounds.
        this.scanner = useScanner((code) => this.onBarcodeScanned(code));
        onWillStart(() => this.load());
    }

    // ------------------------------------------------------------------
    // Server calls
    // ------------------------------------------------------------------
    /**
     * Call a scan API method of the picking. A network error is retried with the same
     * arguments (so a scan keeps its client id and is counted once by the server).
     */
    async call(method, args = []) {
        for (let attempt = 0; ; attempt++) {
            try {
                return await this.orm.call("stock.picking", method, [[this.pickingId], ...args]);
            } catch (error) {
                if (!(error instanceof ConnectionLostError) || attempt >= RETRY_DELAYS.length) {
                    throw error;
                }
                await new Promise((resolve) => browser.setTimeout(resolve, RETRY_DELAYS[attempt]));
            }
        }
    }

    async load() {
        this.applyState(await this.call("serial_dispatch_state"));
    }

    applyState(state) {
        Object.assign(this.state, {
            loaded: true,
            picking: state.picking,
            lines: state.lines,
            canScan: state.can_scan,
            serverPrompt: state.prompt,
            // The last Dispatch, while the delivery is as it left it (kept by the server).
            dispatched: state.dispatched || null,
            rules: state.rules || {},
            canOverride: Boolean(state.can_override),
        });
    }

    // ------------------------------------------------------------------
    // Scanning
    // ------------------------------------------------------------------
    get prompt() {
        if (!this.state.canScan) {
            return this.state.serverPrompt;
        }
        return this.state.scanning
            ? this.state.serverPrompt
            : _t("Click here to start scanning products");
    }

    onBarcodeScanned(code) {
        if (!this.state.loaded) {
            return;
        }
        // A new scan: the previous refusal is over.
        this.closeErrorNotification?.();
        this.closeErrorNotification = null;
        if (!this.state.canScan) {
            this.signalError(this.state.serverPrompt);
            return;
        }
        if (!this.state.scanning) {
            this.signalError(
                _t("Scanning is paused: click “Click here to start scanning products”, then scan again.")
            );
            return;
        }
        // One scan at a time, in the order they were read.
        this.queue = this.queue.then(() => this.scan(code));
        return this.queue;
    }

    /**
     * One scan, sent once (retried with the same id on network errors). ``takeover`` asks to
     * take over a serial reserved for another transfer: a new scan, with an id of its own.
     * ``options``: {typed, reason} of a code typed in the dialog (the server's rules refuse
     * a typed serial where serials must be scanned, unless a manager gives a reason).
     */
    async scan(code, takeover = false, options = null) {
        const clientUid = this.scanner.newClientUid();
        this.state.pending++;
        try {
            const args = [code, clientUid];
            if (takeover || options) {
                args.push(takeover);
            }
            if (options) {
                args.push(options);
            }
            const result = await this.call("serial_dispatch_scan", args);
            // A takeover of this refusal is the same scan again: typed, if it was.
            result.options = options;
            await this.applyScanResult(result);
        } catch (error) {
            this.signalError(this.errorMessage(error, code));
        } finally {
            this.state.pending--;
        }
    }

    async applyScanResult(result) {
        this.state.lastScan = result;
        if (result.refresh) {
            await this.load();
        } else if (result.line) {
            this.updateLine(result.line);
        }
        if (result.result === "accepted") {
            this.state.dispatched = null;
            this.flash("success");
            signals.playAccept();
        } else {
            this.signalError(result.message);
        }
    }

    /** The refused scan's "Take over" button: the server checks the user may. */
    onTakeOver() {
        const { code, options } = this.state.lastScan;
        this.state.lastScan = { ...this.state.lastScan, takeover: false };
        this.queue = this.queue.then(() => this.scan(code, true, options));
        return this.queue;
    }

    /** Whether the typing form asks for a manager's reason (serials must be scanned here). */
    get asksReason() {
        return this.state.rules.policy === "mandatory" && this.state.canOverride;
    }

    /** The Type button: a form to type a code, for a label the scanner cannot read. */
    toggleTyping() {
        this.state.typing = !this.state.typing;
        if (this.state.typing) {
            this.pauseScanning();
        }
    }

    /** A typed code is a scan the server is told was typed (``typed``), with the reason. */
    onManualSubmit(ev) {
        ev.preventDefault();
        const code = this.manualInput.el.value.trim();
        const reason = this.reasonInput.el?.value.trim() || false;
        this.state.typing = false;
        this.resumeScanning();
        if (!code) {
            return;
        }
        if (!this.state.canScan) {
            this.signalError(this.state.serverPrompt);
            return;
        }
        this.queue = this.queue.then(() => this.scan(code, false, { typed: true, reason }));
        return this.queue;
    }

    errorMessage(error, code) {
        if (error instanceof ConnectionLostError) {
            return _t("No connection: the scan of %s was not recorded. Scan it again.", code);
        }
        return error.data?.message || error.message || String(error);
    }

    updateLine(line) {
        const index = this.state.lines.findIndex((l) => l.move_id === line.move_id);
        if (index >= 0) {
            this.state.lines[index] = line;
        } else {
            this.state.lines.push(line);
        }
    }

    /**
     * A keyboard-wedge scan typed while the search field has the focus: a burst of keys as
     * fast as Odoo's barcode service expects of a scanner, ended by Enter or Tab (its end
     * characters; Control and Alt, which scanners send for GS1 separators, count as in the
     * service, Shift is ignored, other editing keys mean a person). Odoo's service
     * leaves inputs alone (and on mobile Chrome reads its own hidden input only), so the
     * field tells the bursts apart itself, with the service's key interval. The scan's
     * characters are taken back out of the field and scanning resumes.
     */
    onSearchKeydown(ev) {
        const burst = this.searchBurst;
        const now = Date.now();
        if (!ev.key || ev.key === "Shift") {
            return;
        }
        if (ev.key === "Enter" || ev.key === "Tab") {
            const code = barcodeService.cleanBarcode(burst.keys.join(""));
            burst.keys = [];
            if (code.length >= 3 && now - burst.lastKeyAt <= barcodeService.maxTimeBetweenKeysInMs) {
                ev.preventDefault();
                ev.target.value = burst.valueBefore;
                this.state.search = burst.valueBefore;
                ev.target.blur();
                this.state.scanning = true;
                this.onBarcodeScanned(code);
            }
            return;
        }
        if ((ev.key.length > 1 && !["Control", "Alt"].includes(ev.key)) || ev.metaKey) {
            burst.keys = []; // editing keys: a person at the keyboard
            return;
        }
        if (!burst.keys.length || now - burst.lastKeyAt > barcodeService.maxTimeBetweenKeysInMs) {
            burst.keys = [];
            burst.valueBefore = ev.target.value;
        }
        burst.keys.push(ev.key);
        burst.lastKeyAt = now;
    }

    /** Refused scan: a danger notification, a red flash and Odoo's error sound. */
    signalError(message) {
        this.closeErrorNotification?.();
        this.closeErrorNotification = this.notification.add(message, {
            type: "danger",
            title: _t("Scan refused"),
        });
        this.flash("danger");
        signals.playError();
    }

    flash(kind) {
        this.state.flash = kind;
        browser.clearTimeout(this.flashTimeout);
        this.flashTimeout = browser.setTimeout(() => {
            this.state.flash = "";
        }, FLASH_DURATION);
    }

    /** Searching or typing a quantity takes the keyboard: scanning pauses until a click. */
    pauseScanning() {
        this.state.scanning = false;
    }

    resumeScanning() {
        if (document.activeElement && document.activeElement !== document.body) {
            document.activeElement.blur();
        }
        this.state.scanning = true;
    }

    // ------------------------------------------------------------------
    // Lines
    // ------------------------------------------------------------------
    get visibleLines() {
        const search = this.state.search.trim().toLowerCase();
        if (!search) {
            return this.state.lines;
        }
        return this.state.lines.filter((line) =>
            [line.product_name, line.default_code, line.barcode, ...line.serials].some((text) =>
                (text || "").toLowerCase().includes(search)
            )
        );
    }

    get totals() {
        let ordered = 0;
        let scanned = 0;
        for (const line of this.state.lines) {
            ordered += line.ordered;
            scanned += line.scanned;
        }
        return { ordered, scanned };
    }

    lineStatus(line) {
        if (line.scanned > line.ordered) {
            return "over";
        }
        if (line.scanned === line.ordered) {
            return "done";
        }
        return line.scanned ? "partial" : "todo";
    }

    formatQuantity(quantity) {
        return Number.isInteger(quantity) ? String(quantity) : quantity.toFixed(2);
    }

    differenceText(difference) {
        const parts = [];
        if (difference.missing) {
            parts.push(_t("%s missing", this.formatQuantity(difference.missing)));
        }
        if (difference.extra) {
            parts.push(_t("%s more than ordered", this.formatQuantity(difference.extra)));
        }
        if (difference.reserved_serials?.length) {
            parts.push(
                _t("reserved for another transfer: %s", difference.reserved_serials.join(", "))
            );
        }
        if (difference.unavailable_serials.length) {
            parts.push(
                _t("no longer in stock: %s", difference.unavailable_serials.join(", "))
            );
        }
        return parts.join(", ");
    }

    onSearchInput(ev) {
        this.state.search = ev.target.value;
    }

    async onQuantityChange(line, ev) {
        const quantity = parseFloat(ev.target.value);
        if (Number.isNaN(quantity) || quantity < 0) {
            this.signalError(_t("%s is not a quantity.", ev.target.value));
            ev.target.value = line.scanned;
            return;
        }
        try {
            const result = await this.call("serial_dispatch_set_quantity", [line.move_id, quantity]);
            this.updateLine(result.line);
            this.state.dispatched = null;
        } catch (error) {
            this.signalError(this.errorMessage(error, ev.target.value));
            ev.target.value = line.scanned;
        }
    }

    // ------------------------------------------------------------------
    // Buttons
    // ------------------------------------------------------------------
    onRescan() {
        this.dialogService.add(ConfirmationDialog, {
            title: _t("Rescan"),
            body: _t("Clear every scan of %s and start over?", this.state.picking.name),
            confirmLabel: _t("Clear the scans"),
            confirm: async () => {
                this.applyState(await this.call("serial_dispatch_rescan"));
                this.state.dispatched = null;
                this.state.lastScan = null;
                this.resumeScanning();
            },
            cancel: () => {},
        });
    }

    async onDispatch() {
        await this.queue; // the scans read before the click count
        this.state.busy = true;
        try {
            const result = await this.call("serial_dispatch_apply");
            this.state.lines = result.lines;
            this.state.dispatched = result;
        } finally {
            this.state.busy = false;
        }
    }

    async onDeliver() {
        this.state.busy = true;
        try {
            const action = await this.orm.call("stock.picking", "button_validate", [
                [this.pickingId],
            ]);
            if (action && typeof action === "object") {
                // Odoo's own follow-up (backorder wizard, reports): it replaces this dialog.
                await this.actionService.doAction(action);
                return;
            }
            this.notification.add(_t("%s is delivered.", this.state.picking.name), {
                type: "success",
            });
            await this.actionService.doAction({ type: "ir.actions.act_window_close" });
        } finally {
            this.state.busy = false;
        }
    }

    onClose() {
        return this.actionService.doAction({ type: "ir.actions.act_window_close" });
    }
}

registry.category("actions").add("serial_inventory_dispatch.dispatch", DispatchDialog);
