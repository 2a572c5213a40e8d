/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { ScanScreen } from "../core/scan_screen";
import { screens } from "./scanner_app";

/**
 * Receive: tap an open receipt (or scan its reference, or a unit's label), then scan each
 * unit. The lines, what was received of them and the serials come from the server after
 * each scan. "Print N labels" numbers the units that have no serial and prints their labels;
 * "Validate" is Odoo's validation, whose backorder wizard the scan screen shows.
 */
export class ReceiveScreen extends Component {
    static template = "serial_inventory_scan.ReceiveScreen";
    static components = { ScanScreen };
    static props = { recordId: { optional: true }, onBack: Function };

    setup() {
        this.state = useState({ recordId: this.props.recordId || false });
    }

    get title() {
        return _t("Receive");
    }

    onState(state) {
        this.state.recordId = state.record_id || false;
    }

    open(receiptId) {
        this.state.recordId = receiptId;
    }

    showReceipts() {
        this.state.recordId = false;
    }

    /** The line's progress, 0 to 100, for its bar. */
    progress(line) {
        if (!line.demand) {
            return line.done ? 100 : 0;
        }
        return Math.min(100, Math.round((100 * line.done) / line.demand));
    }

    lineStatus(line) {
        if (line.done > line.demand) {
            return "extra";
        }
        return line.done >= line.demand ? "complete" : "open";
    }

    printLabel(count) {
        return count === 1 ? _t("Print 1 label") : _t("Print %s labels", count);
    }

    printLabels(screen, moveId = false) {
        return screen.runAction("print_labels", moveId ? { move_id: moveId } : {});
    }

    validate(screen) {
        return screen.runAction("validate");
    }
}

screens.add("receive", ReceiveScreen);
