/** @odoo-module **/

import { Component, onWillStart, onWillUnmount, onWillUpdateProps, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { browser } from "@web/core/browser/browser";
import { useService } from "@web/core/utils/hooks";
import { useScanner } from "./serial_scan_service";

export const FLASH_MS = 900;

/**
 * The screen every scanning operation shows: a header with Back and the title, the prompt,
 * the last answer (flashed green or red), the operation's own body (the ``default`` slot,
 * given the server's ``state``) and big touch buttons: Type a code, Camera, and the
 * operation's own (the ``actions`` slot).
 *
 * Each code read by the barcode service, typed or seen by the camera goes to the server
 * through the ``serial_scan`` service (queued, retried with its client id). The server's state
 * is kept here and given to ``onState(state)``; ``recordId`` follows the answers (a count is
 * opened by its first scan).
 */
export class ScanScreen extends Component {
    static template = "serial_inventory_scan.ScanScreen";
    static props = {
        operation: String,
        title: String,
        recordId: { type: [Number, Boolean], optional: true },
        onBack: { type: Function, optional: true },
        onState: { type: Function, optional: true },
        slots: { type: Object, optional: true },
    };

    setup() {
        this.scanner = useScanner((code) => this.onCode(code));
        this.recordId = this.props.recordId || false;
        this.action = useService("action");
        this.manualInput = useRef("manual");
        this.reasonInput = useRef("reason");
        this.state = useState({ server: null, last: null, flash: null, typing: false });
        this.flashTimeout = null;
        onWillStart(() => this.load());
        onWillUpdateProps(async (next) => {
            if ((next.recordId || false) !== this.recordId) {
                this.recordId = next.recordId || false;
                await this.load();
            }
        });
        onWillUnmount(() => browser.clearTimeout(this.flashTimeout));
    }

    get queue() {
        return this.scanner.queue;
    }

    async load() {
        this.setServerState(await this.scanner.state(this.props.operation, this.recordId));
    }

    /** The parent's way to replace the state (after an apply). */
    setServerState(state) {
        this.state.server = state;
        if (state.record_id !== undefined) {
            this.recordId = state.record_id || false;
        }
        this.props.onState?.(state, this);
    }

    /** Whether the typing form asks for a manager's reason (serials must be scanned here). */
    get asksReason() {
        const server = this.state.server;
        return Boolean(server?.rules?.policy === "mandatory" && server.can_override);
    }

    async onCode(code, { typed = false, reason = false } = {}) {
        if (this.state.server && this.state.server.can_scan === false) {
            this.show({ result: "refused", message: this.state.server.prompt, code });
            return;
        }
        let answer;
        try {
            answer = await this.scanner.scan(this.props.operation, code, {
                recordId: () => this.recordId,
                typed,
                reason,
            });
        } catch (error) {
            const message = error.data?.message || error.message || _t("The scan failed.");
            this.show({ result: "refused", message, code });
            return;
        }
        if (answer.record_id) {
            this.recordId = answer.record_id;
        }
        this.setServerState(answer.state);
        this.show(answer);
    }

    show(answer) {
        this.state.last = {
            result: answer.result,
            message: answer.duplicate
                ? _t("%s (already recorded)", answer.message)
                : answer.message || answer.code,
            code: answer.code,
        };
        this.state.flash = answer.result === "accepted" ? "success" : "danger";
        this.scanner.signal(answer.result);
        browser.clearTimeout(this.flashTimeout);
        this.flashTimeout = browser.setTimeout(() => (this.state.flash = null), FLASH_MS);
    }

    toggleTyping() {
        this.state.typing = !this.state.typing;
    }

    onManualSubmit(ev) {
        ev.preventDefault();
        const code = this.manualInput.el.value.trim();
        const reason = this.reasonInput.el?.value.trim() || false;
        this.manualInput.el.value = "";
        this.state.typing = false;
        if (code) {
            this.onCode(code, { typed: true, reason });
        }
    }

    /**
     * A button of the operation's screen: ``name`` runs on the server; its state replaces
     * this one, and an Odoo action it returns (a backorder wizard, labels to print) is run,
     * after which the state is read again. Errors flash like a refused scan.
     */
    async runAction(name, params = {}) {
        let state;
        try {
            state = await this.scanner.action(this.props.operation, this.recordId, name, params);
        } catch (error) {
            const message = error.data?.message || error.message || _t("The action failed.");
            this.show({ result: "refused", message });
            return null;
        }
        this.setServerState(state);
        if (state.client_action) {
            await this.action.doAction(state.client_action, {
                onClose: () => this.load(),
            });
        }
        return state;
    }

    async onCamera() {
        let code;
        try {
            code = await this.scanner.camera();
        } catch (error) {
            this.show({ result: "refused", message: error.message || _t("No camera.") });
            return;
        }
        if (code) {
            this.onCode(code);
        }
    }
}
