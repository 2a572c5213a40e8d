/** @odoo-module **/

import { registry } from "@web/core/registry";
import { scanStep as scan } from "@serial_inventory_scan/../tests/tours/scan_step";

function line(product) {
    return `.o_serial_deliver_line:has(.o_serial_deliver_product:contains(${product}))`;
}

registry.category("web_tour.tours").add("serial_inventory_dispatch_deliver_tour", {
    steps: () => [
        {
            content: "Open the Deliver tile",
            trigger: ".o_serial_scanner_tile[data-operation=deliver]",
            run: "click",
        },
        { trigger: ".o_serial_scan_prompt:contains(Scan a delivery reference)" },
        {
            content: "The ready delivery is listed",
            trigger: ".o_serial_deliver_open:contains(Tour Deliver Customer)",
        },
        {
            content: "Scan the delivery's reference (read from the list) to open it",
            trigger: ".o_serial_deliver_open:contains(Tour Deliver Customer)",
            run() {
                const name = this.anchor.querySelector("strong").textContent.trim();
                for (const key of [...name, "Enter"]) {
                    document.body.dispatchEvent(
                        new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true })
                    );
                }
            },
        },
        { trigger: ".o_serial_deliver_name:contains(WH/OUT/)" },
        { trigger: ".o_serial_scan_prompt:contains(Start scanning now!)" },
        scan("TOUR-DL-001", ".o_serial_deliver_lines"),
        { trigger: ".o_serial_scan_last_accepted:contains(TOUR-DL-001 added)" },
        { trigger: `${line("Tour Deliver Phone")} .o_serial_deliver_serial:contains(TOUR-DL-001)` },
        scan("NO-SUCH-CODE-43", ".o_serial_scan_last_accepted"),
        {
            content: "A refused scan says why",
            trigger: ".o_serial_scan_last_refused:contains(Unknown code NO-SUCH-CODE-43)",
        },
        scan("TOUR-DL-001", ".o_serial_scan_last_refused"),
        { trigger: ".o_serial_scan_last_refused:contains(already scanned on this delivery)" },
        {
            content: "+1 on the cable line",
            trigger: `${line("Tour Deliver Cable")} .o_serial_deliver_add_one`,
            run: "click",
        },
        { trigger: `${line("Tour Deliver Cable")} .o_serial_deliver_scanned:contains(1)` },
        {
            content: "The cable's quantity typed by hand",
            trigger: `${line("Tour Deliver Cable")} .o_serial_deliver_quantity`,
            run: "edit 2",
        },
        {
            trigger: `${line("Tour Deliver Cable")} .o_serial_deliver_set`,
            run: "click",
        },
        { trigger: `${line("Tour Deliver Cable")}.o_serial_deliver_line_done` },
        scan("(01)09506000134352(21)TOUR-DL-002", `${line("Tour Deliver Cable")}.o_serial_deliver_line_done`),
        { trigger: `${line("Tour Deliver Phone")} .o_serial_deliver_scanned:contains(2)` },
        {
            content: "Dispatch writes the scans on the delivery and lists the differences",
            trigger: ".o_serial_deliver_dispatch",
            run: "click",
        },
        { trigger: ".o_serial_deliver_difference:contains(Tour Deliver Phone: 1 missing)" },
        {
            trigger: ".o_serial_deliver_deliver:enabled",
            run: "click",
        },
        {
            content: "Odoo's backorder wizard: keep the missing unit for later",
            trigger: ".modal button[name=process]",
            run: "click",
        },
        { trigger: ".o_serial_deliver_state:contains(Done)" },
        { trigger: ".o_serial_scan_prompt:contains(cannot be scanned any more)" },
    ],
});
