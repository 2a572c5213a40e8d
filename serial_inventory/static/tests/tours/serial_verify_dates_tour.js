/** @odoo-module **/

import { registry } from "@web/core/registry";

// Every date of the verification screen in the user's language format, set by the test to
// day.month.year and 24-hour time (dd.MM.yyyy HH:mm:ss).
const DATE = /^\d\d\.\d\d\.\d{4}$/;
const DATE_TIME = /^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d$/;

function assertMatches(text, pattern, what) {
    if (!pattern.test(text.trim())) {
        throw new Error(`${what}: "${text}" is not in the user's format ${pattern}`);
    }
}

registry.category("web_tour.tours").add("serial_inventory_verify_dates_tour", {
    steps: () => [
        {
            trigger: ".o_serial_verify_input",
            run: "edit TOUR-DATE-1",
        },
        {
            trigger: ".o_serial_verify_input",
            run: "press Enter",
        },
        {
            content: "The unit was delivered to someone else",
            trigger: ".o_serial_verify_result[data-result=delivered]:contains(TOUR-DATE-1)",
        },
        {
            content: "Manufactured and expiry dates in the user's format",
            trigger: ".o_serial_verify_details:contains(04.03.2026):contains(06.05.2027)",
            run() {
                for (const cell of document.querySelectorAll(".o_serial_verify_details .o_serial_verify_date")) {
                    assertMatches(cell.textContent, DATE, "Unit date");
                }
                const message = document.querySelector(".o_serial_verify_message").textContent;
                const delivered = message.match(/ on (.+?)(?:[.:,] |$)/);
                if (!delivered) {
                    throw new Error(`No delivery date in "${message}"`);
                }
                assertMatches(delivered[1], DATE_TIME, "Delivery date in the message");
            },
        },
        {
            content: "The history's dates too",
            trigger: ".o_serial_verify_history:contains(TOUR-DATE-1)",
            run() {
                const cells = document.querySelectorAll(".o_serial_verify_history .o_serial_verify_date");
                if (!cells.length) {
                    throw new Error("No date in the history");
                }
                for (const cell of cells) {
                    assertMatches(cell.textContent, DATE_TIME, "Verification date");
                }
            },
        },
    ],
});
