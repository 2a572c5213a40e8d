/** @odoo-module **/

import { Component, onWillStart, onWillUnmount, onWillUpdateProps, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { browser } from "@web/core/browser/browser";
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
        this.manualInput = useRef("manual");
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

    async onCode(code) {
        if (this.state.server && this.state.server.can_scan === false) {
            this.show({ result: "refused", message: this.state.server.prompt, code });
            return;
        }
        let answer;
        try {
            answer = await this.scanner.scan(this.props.operation, code, {
                recordId: () => this.recordId,
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
        this.manualInput.el.value = "";
        this.state.typing = false;
        if (code) {
            this.onCode(code);
        }
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
