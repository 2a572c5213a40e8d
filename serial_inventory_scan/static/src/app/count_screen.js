/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { ScanScreen } from "../core/scan_screen";
import { screens } from "./scanner_app";

/**
 * Count: scan the location (or resume an open count), then its units. The lists come from
 * the server after each scan; Apply asks for a confirmation before anything changes.
 */
export class CountScreen extends Component {
    static template = "serial_inventory_scan.CountScreen";
    static components = { ScanScreen };
    static props = { recordId: { optional: true }, onBack: Function };

    setup() {
        this.scanner = useService("serial_scan");
        this.dialog = useService("dialog");
        this.state = useState({ recordId: this.props.recordId || false, list: "missing" });
    }

    get title() {
        return _t("Count");
    }

    get lists() {
        return [
            { key: "missing", label: _t("Missing") },
            { key: "unexpected", label: _t("Unexpected") },
            { key: "found", label: _t("Found") },
        ];
    }

    onState(state) {
        this.state.recordId = state.record_id || false;
    }

    resume(countId) {
        this.state.recordId = countId;
    }

    startOver() {
        this.state.recordId = false;
    }

    confirmApply(serverState, screen) {
        const counts = serverState.counts;
        this.dialog.add(ConfirmationDialog, {
            title: _t("Apply %s?", serverState.name),
            body: _t(
                "The stock of %(location)s is adjusted: %(found)s found, %(missing)s missing (removed), %(unexpected)s unexpected (added here).",
                { location: serverState.location, ...counts }
            ),
            confirmLabel: _t("Apply"),
            confirm: async () => {
                screen.setServerState(await this.scanner.apply("count", serverState.record_id));
            },
            cancel: () => {},
        });
    }
}

screens.add("count", CountScreen);
