/** @odoo-module **/

import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The screens of the Inventory Scanner, by operation key: each operation's screen registers
 * itself here (``registry.category("serial_inventory_scan.screens").add(key, Component)``)
 * and gets the props ``recordId`` and ``onBack``.
 */
export const screens = registry.category("serial_inventory_scan.screens");

/**
 * The Inventory Scanner app (client action ``serial_inventory_scan.scanner``, full screen):
 * a home screen with a tile per operation the server offers and has a screen here, then that
 * operation's screen. ``params`` may open an operation's screen at once (a count's button).
 */
export class ScannerApp extends Component {
    static template = "serial_inventory_scan.ScannerApp";
    static props = ["*"];

    setup() {
        this.scanner = useService("serial_scan");
        this.action = useService("action");
        const params = this.props.action?.params || {};
        this.state = useState({
            tiles: [],
            operation: params.operation || null,
            recordId: params.record_id || false,
        });
        onWillStart(async () => {
            const operations = await this.scanner.operations();
            this.state.tiles = operations.filter((operation) => screens.contains(operation.key));
        });
    }

    get screen() {
        return this.state.operation && screens.get(this.state.operation);
    }

    open(key) {
        Object.assign(this.state, { operation: key, recordId: false });
    }

    back() {
        Object.assign(this.state, { operation: null, recordId: false });
    }

    leave() {
        this.action.doAction("menu", { clearBreadcrumbs: true }).catch(() => {
            window.location.href = "/odoo";
        });
    }
}

registry.category("actions").add("serial_inventory_scan.scanner", ScannerApp);
