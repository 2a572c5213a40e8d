/** @odoo-module **/

import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { ScanScreen } from "../core/scan_screen";
import { screens } from "./scanner_app";

/** Lookup: scan anything; the card says what it is. */
export class LookupScreen extends Component {
    static template = "serial_inventory_scan.LookupScreen";
    static components = { ScanScreen };
    static props = { recordId: { optional: true }, onBack: Function };

    get title() {
        return _t("Lookup");
    }
}

screens.add("lookup", LookupScreen);
