/** @odoo-module **/

import { registry } from "@web/core/registry";

/** A keyboard-wedge scan: one keydown per character, then Enter, on ``target``. */
function scanOn(code, target) {
    for (const key of [...code, "Enter"]) {
        target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    }
}

function fail(message) {
    throw new Error(message);
}

/**
 * The dialog fits the screen: nothing scrolls sideways (the page, the dialog and its
 * content), and each serial badge is inside the dialog and shows its whole text.
 */
function checkNoOverflow() {
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
        fail(`The page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    }
    const dialog = document.querySelector(".modal .o_serial_dispatch");
    for (const element of [
        dialog.closest(".modal"),
        dialog.closest(".modal-content"),
        dialog.closest(".modal-body"),
        dialog,
        dialog.querySelector(".o_serial_dispatch_lines"),
    ]) {
        if (element.scrollWidth > element.clientWidth) {
            fail(`${element.className} overflows: ${element.scrollWidth} > ${element.clientWidth}`);
        }
    }
    const box = dialog.getBoundingClientRect();
    const badges = dialog.querySelectorAll(".o_serial_dispatch_serial");
    if (!badges.length) {
        fail("No serial badge to check");
    }
    for (const badge of badges) {
        const rect = badge.getBoundingClientRect();
        if (rect.left < box.left - 0.5 || rect.right > box.right + 0.5) {
            fail(`Serial ${badge.textContent} is cut: [${rect.left}, ${rect.right}] outside [${box.left}, ${box.right}]`);
        }
        if (badge.scrollWidth > badge.clientWidth || badge.scrollHeight > badge.clientHeight) {
            fail(`Serial ${badge.textContent} does not show in full in its badge`);
        }
        const cell = badge.closest("td");
        const cellRect = cell.getBoundingClientRect();
        if (rect.left < cellRect.left - 0.5 || rect.right > cellRect.right + 0.5) {
            fail(`Serial ${badge.textContent} runs out of its cell`);
        }
    }
}

function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** On a phone Odoo folds the form's header buttons into the gear menu. */
function openDispatchDialog() {
    return [
        ...(window.innerWidth < 768
            ? [{ trigger: ".o_cp_action_menus button:has(.fa-cog)", run: "click" }]
            : []),
        {
            content: "The header button opens the scanning dialog",
            trigger: "button[name='action_serial_dispatch_open']:contains(Scan serials)",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("serial_inventory_dispatch_layout_tour", {
    steps: () => [
        ...openDispatchDialog(),
        {
            trigger: ".modal .o_serial_dispatch_serial:contains(LAYOUT-SERIAL-WITH-A-LONG-NAME-06)",
        },
        {
            content: "No sideways scroll; every serial badge readable",
            trigger: ".modal .o_serial_dispatch_prompt",
            run: checkNoOverflow,
        },
        {
            content: "A refused scan",
            trigger: ".o_serial_dispatch_scanning",
            run() {
                scanOn("LAYOUT-NO-SUCH-CODE", document.body);
            },
        },
        {
            content: "The notification does not cover the prompt",
            trigger: ".o_notification:contains(LAYOUT-NO-SUCH-CODE)",
            run() {
                const prompt = document.querySelector(".o_serial_dispatch_prompt");
                const notification = document.querySelector(".o_notification");
                if (overlaps(prompt.getBoundingClientRect(), notification.getBoundingClientRect())) {
                    fail("The notification covers the scan prompt");
                }
            },
        },
        {
            content: "Scan while the search field has the focus",
            trigger: ".o_serial_dispatch_search",
            run: "click",
        },
        {
            trigger: ".o_serial_dispatch_paused",
            run() {
                const search = document.querySelector(".o_serial_dispatch_search");
                // What a wedge scanner does: the characters land in the field, then Enter.
                for (const key of [..."LAYOUT-CABLE", "Enter"]) {
                    const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
                    search.dispatchEvent(event);
                    if (key !== "Enter" && !event.defaultPrevented) {
                        search.value += key;
                        search.dispatchEvent(new InputEvent("input", { bubbles: true }));
                    }
                }
            },
        },
        {
            content: "The scan is recorded; the refusal before it is gone",
            trigger: ".o_serial_dispatch_last_scan.text-success:contains(Layout Cable)",
            run() {
                if (document.querySelector(".o_notification")) {
                    fail("The previous refusal is still on screen");
                }
                if (document.querySelector(".o_serial_dispatch_search").value) {
                    fail("The scan was typed into the search field");
                }
                if (!document.querySelector(".o_serial_dispatch_line")) {
                    fail("The lines are filtered by the scan");
                }
            },
        },
        {
            trigger: ".o_serial_dispatch_dispatch:enabled",
            run: "click",
        },
        {
            trigger: ".o_serial_dispatch_differences",
            run: checkNoOverflow,
        },
        {
            content: "Close the dialog",
            trigger: ".o_serial_dispatch_close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
        // The Scans smart button behind the dialog counts the new scans (a phone folds
        // the smart buttons into a menu).
        ...(window.innerWidth < 768
            ? [{ trigger: ".o_control_panel .o_button_more", run: "click" }]
            : []),
        {
            trigger: ".oe_stat_button[name='action_open_serial_scans']:contains(8)",
        },
        ...(window.innerWidth < 768
            ? [{ trigger: ".o_control_panel .o_button_more", run: "click" }]
            : []),
        ...openDispatchDialog(),
        {
            content: "Dispatched before closing: Deliver is ready at once",
            trigger: ".modal .o_serial_dispatch_deliver.btn-primary:enabled",
        },
        {
            trigger: ".modal .o_serial_dispatch_differences",
        },
        {
            trigger: ".modal .o_serial_dispatch_close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
