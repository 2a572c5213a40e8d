/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { ScanScreen } from "@serial_inventory_scan/core/scan_screen";
import { screens } from "@serial_inventory_scan/app/scanner_app";

/**
 * Deliver: today's dispatch. Choose a ready delivery (or scan its reference), scan its units
 * (+1 or a typed quantity for the products without serial or lot), Dispatch writes them on
 * the delivery and lists the differences with the order, Deliver validates it (Odoo's
 * backorder wizard when units are missing). Everything shown comes from the server.
 */
export class DeliverScreen extends Component {
    static template = "serial_inventory_dispatch.DeliverScreen";
    static components = { ScanScreen };
    static props = { recordId: { optional: true }, onBack: Function };

    setup() {
        this.dialog = useService("dialog");
        this.state = useState({ recordId: this.props.recordId || false });
    }

    get title() {
        return _t("Deliver");
    }

    onState(state) {
        this.state.recordId = state.record_id || false;
    }

    /** Back: from a delivery to the list of ready deliveries, from the list to the home. */
    back() {
        if (this.state.recordId) {
            this.state.recordId = false;
        } else {
            this.props.onBack();
        }
    }

    open(pickingId) {
        this.state.recordId = pickingId;
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
            parts.push(_t("reserved for another transfer: %s", difference.reserved_serials.join(", ")));
        }
        if (difference.unavailable_serials?.length) {
            parts.push(_t("no longer in stock: %s", difference.unavailable_serials.join(", ")));
        }
        return parts.join(", ");
    }

    addOne(line, screen) {
        return screen.runAction("add_one", { move_id: line.move_id });
    }

    /** The quantity of a line typed by hand (the line's own field, confirmed by Enter). */
    onQuantitySubmit(ev, line, screen) {
        ev.preventDefault();
        const input = ev.target.querySelector("input");
        const quantity = Number(input.value);
        if (input.value.trim() === "" || Number.isNaN(quantity)) {
            screen.show({ result: "refused", message: _t("%s is not a quantity.", input.value) });
            return;
        }
        input.blur();
        return screen.runAction("set_quantity", { move_id: line.move_id, quantity });
    }

    confirmRescan(delivery, screen) {
        this.dialog.add(ConfirmationDialog, {
            title: _t("Rescan"),
            body: _t("Clear every scan of %s and start over?", delivery.name),
            confirmLabel: _t("Clear the scans"),
            confirm: () => screen.runAction("rescan"),
            cancel: () => {},
        });
    }

    dispatch(screen) {
        return screen.runAction("dispatch");
    }

    deliver(screen) {
        return screen.runAction("deliver");
    }
}

screens.add("deliver", DeliverScreen);
