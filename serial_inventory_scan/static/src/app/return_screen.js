/** @odoo-module **/

import { Component } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { ScanScreen } from "../core/scan_screen";
import { screens } from "./scanner_app";

/**
 * The scanned units by the delivery they left on, in the order the deliveries were first
 * met; a unit whose delivery cannot be found any more (returned meanwhile) makes its own
 * group, with its problem.
 */
export function groupByDelivery(units) {
    const groups = new Map();
    for (const unit of units) {
        const key = unit.delivery_id ? `delivery-${unit.delivery_id}` : `unit-${unit.scan_id}`;
        if (!groups.has(key)) {
            groups.set(key, {
                key,
                delivery: unit.delivery,
                customer: unit.customer,
                units: [],
            });
        }
        groups.get(key).units.push(unit);
    }
    return [...groups.values()];
}

/**
 * Return: scan each unit a customer brings back; the server finds the delivery it left on.
 * Apply (after a confirmation) makes Odoo's return of each delivery and validates it.
 */
export class ReturnScreen extends Component {
    static template = "serial_inventory_scan.ReturnScreen";
    static components = { ScanScreen };
    static props = { recordId: { optional: true }, onBack: Function };

    setup() {
        this.scanner = useService("serial_scan");
        this.dialog = useService("dialog");
    }

    get title() {
        return _t("Return");
    }

    groups(state) {
        return groupByDelivery(state.units);
    }

    recallLabel(unit) {
        return _t("Under recall %s: it comes back blocked", unit.recall);
    }

    unitsLabel(count) {
        return count === 1 ? _t("1 unit") : _t("%s units", count);
    }

    confirmApply(state, screen) {
        const deliveries = groupByDelivery(state.units).map((group) =>
            _t("%(delivery)s (%(customer)s): %(units)s", {
                delivery: group.delivery,
                customer: group.customer || _t("no customer"),
                units: this.unitsLabel(group.units.length),
            })
        );
        this.dialog.add(ConfirmationDialog, {
            title: _t("Return %s?", this.unitsLabel(state.units.length)),
            body: _t("Odoo's return of each delivery is made and validated: %s.", deliveries.join("; ")),
            confirmLabel: _t("Return"),
            confirm: async () => {
                let applied;
                try {
                    applied = await this.scanner.apply("return", false);
                } catch (error) {
                    screen.show({
                        result: "refused",
                        message: error.data?.message || error.message || _t("The return failed."),
                    });
                    await screen.load();
                    return;
                }
                screen.setServerState(applied);
            },
            cancel: () => {},
        });
    }

    confirmClear(state, screen) {
        this.dialog.add(ConfirmationDialog, {
            title: _t("Start over?"),
            body: _t("The %s scanned are taken out of this return.", this.unitsLabel(state.units.length)),
            confirmLabel: _t("Start over"),
            confirm: () => screen.runAction("clear"),
            cancel: () => {},
        });
    }

    remove(unit, screen) {
        return screen.runAction("remove", { scan_id: unit.scan_id });
    }
}

screens.add("return", ReturnScreen);
