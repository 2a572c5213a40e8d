/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";
import { ScanScreen } from "@serial_inventory_scan/core/scan_screen";
import { screens } from "@serial_inventory_scan/app/scanner_app";

/** Waits after the last key typed in the customer search before asking the server (ms). */
export const SEARCH_DELAY = 300;

/**
 * Order: choose the customer (recent ones, or search), which opens a new quotation, or
 * resume an open one; then each scanned unit is a line of it (the server's answer). Confirm
 * asks first; the delivery then reserves the scanned serials.
 */
export class OrderScreen extends Component {
    static template = "serial_inventory_dispatch.OrderScreen";
    static components = { ScanScreen };
    static props = { recordId: { optional: true }, onBack: Function };

    setup() {
        this.dialog = useService("dialog");
        this.state = useState({ recordId: this.props.recordId || false, query: "" });
        this.search = useDebounced((screen) => this.runSearch(screen), SEARCH_DELAY);
    }

    get title() {
        return _t("Order");
    }

    onState(state) {
        this.state.recordId = state.record_id || false;
    }

    onQuery(ev, screen) {
        this.state.query = ev.target.value;
        this.search(screen);
    }

    onSearchSubmit(ev, screen) {
        ev.preventDefault();
        this.search.cancel();
        this.runSearch(screen);
    }

    runSearch(screen) {
        return screen.runAction("customers", { query: this.state.query });
    }

    choose(partnerId, screen) {
        // A search still waiting would answer after the new quotation, and close it.
        this.search.cancel();
        return screen.runAction("new", { partner_id: partnerId });
    }

    resume(orderId) {
        this.state.recordId = orderId;
    }

    startOver() {
        this.state.query = "";
        this.state.recordId = false;
    }

    confirmOrder(order, screen) {
        this.dialog.add(ConfirmationDialog, {
            title: _t("Confirm %s?", order.name),
            body: _t(
                "%(customer)s orders %(count)s lines for %(total)s; the delivery reserves the scanned serials.",
                { customer: order.customer, count: order.lines.length, total: order.total }
            ),
            confirmLabel: _t("Confirm order"),
            confirm: () => screen.runAction("confirm"),
            cancel: () => {},
        });
    }
}

screens.add("order", OrderScreen);
