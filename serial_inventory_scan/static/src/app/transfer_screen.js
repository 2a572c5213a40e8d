/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { ScanScreen } from "../core/scan_screen";
import { screens } from "./scanner_app";

const STEPS = ["from", "units", "to", "done"];

/**
 * Transfer: scan the source location (or resume an open transfer), the units, then the
 * destination. A destination scanned here ends the scan: the screen validates at once (the
 * server checks every unit again). One read when the screen opens a transfer does not: that
 * transfer's validation had failed or was left, and the Validate button is there for it.
 */
export class TransferScreen extends Component {
    static template = "serial_inventory_scan.TransferScreen";
    static components = { ScanScreen };
    static props = { recordId: { optional: true }, onBack: Function };

    setup() {
        this.dialog = useService("dialog");
        this.state = useState({ recordId: this.props.recordId || false });
        // The transfer shown and the destination scan it had when the screen last saw it.
        this.seen = { recordId: null, destinationScanId: false };
    }

    get title() {
        return _t("Transfer");
    }

    get steps() {
        return [
            { key: "from", number: 1, label: _t("From") },
            { key: "units", number: 2, label: _t("Units") },
            { key: "to", number: 3, label: _t("To") },
        ];
    }

    /** "done", "current" or "todo": where ``key`` stands in the transfer's progress. */
    stepStatus(transfer, key) {
        const current = STEPS.indexOf(transfer.step);
        const index = STEPS.indexOf(key);
        if (index < current) {
            return "done";
        }
        return index === current ? "current" : "todo";
    }

    /** What a step shows: the location's own name, or how many units. */
    stepValue(transfer, key) {
        if (!transfer.record_id) {
            return "";
        }
        if (key === "from") {
            return transfer.source_name;
        }
        return key === "units" ? String(transfer.count) : transfer.destination_name;
    }

    /** The full path of a step's location, as its tooltip. */
    stepTitle(transfer, key) {
        return { from: transfer.source, to: transfer.destination }[key] || "";
    }

    onState(state, screen) {
        const recordId = state.record_id || false;
        const destinationScanId = state.destination_scan_id || false;
        const sameTransfer = this.seen.recordId === recordId;
        const newDestination = destinationScanId && destinationScanId !== this.seen.destinationScanId;
        this.seen = { recordId, destinationScanId };
        this.state.recordId = recordId;
        if (sameTransfer && newDestination && state.can_validate) {
            this.validate(screen);
        }
    }

    async validate(screen) {
        const state = await screen.runAction("validate");
        if (state?.state === "done") {
            screen.show({ result: "accepted", message: state.prompt });
        }
    }

    undo(unit, screen) {
        return screen.runAction("undo", { scan_id: unit.scan_id });
    }

    resume(transferId) {
        this.state.recordId = transferId;
    }

    startOver() {
        this.state.recordId = false;
    }

    confirmCancel(transfer, screen) {
        this.dialog.add(ConfirmationDialog, {
            title: _t("Cancel %s?", transfer.name),
            body: _t("Nothing moves; the %(count)s scanned units stay in %(source)s.", {
                count: transfer.count,
                source: transfer.source,
            }),
            confirmLabel: _t("Cancel the transfer"),
            cancelLabel: _t("Keep scanning"),
            confirm: () => screen.runAction("cancel"),
            cancel: () => {},
        });
    }
}

screens.add("transfer", TransferScreen);
