/** @odoo-module **/

import { Component, onMounted, onWillStart, useRef, useState } from "@odoo/owl";
import {
    deserializeDate,
    deserializeDateTime,
    formatDate,
    formatDateTime,
} from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";

/**
 * Verify a serial: type it or scan it (keyboard-wedge scanners end with Enter; a scan
 * made while the field is not focused arrives through the barcode service), and see at
 * once whether the unit is genuine. Every verification is logged on the server
 * (serial.verification).
 */
export class VerifySerialAction extends Component {
    static template = "serial_inventory.VerifySerialAction";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.inputRef = useRef("serialInput");
        this.state = useState({ code: "", result: null, history: [], busy: false });
        const barcode = useService("barcode");
        useBus(barcode.bus, "barcode_scanned", (ev) => this.verify(ev.detail.barcode));
        onWillStart(async () => {
            this.state.history = await this.orm.call("serial.verification", "action_recent", []);
        });
        onMounted(() => {
            this.inputRef.el?.focus();
            const params = this.props.action?.params || {};
            if (params.serial) {
                this.verify(params.serial, params.product_id);
            }
        });
    }

    /**
     * Dates come from the server as stored (UTC for date-times) and are shown in the
     * user's language format, as everywhere else in Odoo.
     */
    localDate(value) {
        return value ? formatDate(deserializeDate(value)) : "";
    }

    /** A date-time shown as its date in the user's time zone (expiry dates). */
    localDateOfDateTime(value) {
        return value ? formatDate(deserializeDateTime(value)) : "";
    }

    localDateTime(value) {
        return value ? formatDateTime(deserializeDateTime(value)) : "";
    }

    get resultClass() {
        const result = this.state.result?.result;
        if (result === "genuine") {
            return "alert-success";
        }
        if (result === "recalled" || result === "ambiguous") {
            return "alert-warning";
        }
        return "alert-danger";
    }

    async verify(code, productId) {
        code = (code || this.state.code || "").trim();
        if (!code || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            this.state.result = await this.orm.call(
                "serial.verification",
                "action_verify_code",
                [code],
                { product_id: productId || false }
            );
            this.state.code = "";
            this.state.history = await this.orm.call("serial.verification", "action_recent", []);
        } finally {
            this.state.busy = false;
            this.inputRef.el?.focus();
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            this.verify();
        }
    }

    openRecord(model, id) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: model,
            res_id: id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("serial_inventory.verify_serial", VerifySerialAction);
