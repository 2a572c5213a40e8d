/** @odoo-module **/

import { url } from "@web/core/utils/urls";

let errorSound = null;

/**
 * Audible signals of the dispatch dialog, kept in one object so that tests can replace them.
 */
export const signals = {
    /** Odoo's own barcode error sound (from the barcodes add-on). */
    playError() {
        try {
            if (!errorSound) {
                const extension = new Audio().canPlayType("audio/ogg") ? "ogg" : "mp3";
                errorSound = new Audio(url(`/barcodes/static/src/audio/error.${extension}`));
            }
            errorSound.currentTime = 0;
            const playing = errorSound.play();
            // A browser may refuse to play before the user interacted with the page.
            playing?.catch?.(() => {});
        } catch {
            // No audio output: the visible signal remains.
        }
    },
};
