/** @odoo-module **/

import { registry } from "@web/core/registry";
import { scanStep } from "@serial_inventory_scan/../tests/tours/scan_step";

/** Scans land on the dispatch dialog unless a step names another trigger. */
const scan = (code, trigger = ".o_serial_dispatch_scanning") => scanStep(code, trigger);

function line(product) {
    return `.o_serial_dispatch_line:has(.o_serial_dispatch_product:contains(${product}))`;
}

registry.category("web_tour.tours").add("serial_inventory_dispatch_tour", {
    steps: () => [
        {
            content: "Open the dispatch dialog of the ready delivery",
            trigger: ".o_form_view button[name='action_serial_dispatch_open']",
            run: "click",
        },
        {
            content: "The dialog is named after what it does",
            trigger: ".modal .modal-title:contains(Scan serials: WH/OUT/)",
        },
        {
            trigger: ".modal .o_serial_dispatch_prompt:contains(Start scanning now!)",
        },
        scan("TOUR-SN-001"),
        {
            trigger: `${line("Tour Phone")} .o_serial_dispatch_serial:contains(TOUR-SN-001)`,
        },
        {
            content: "Progress survives a reload",
            trigger: `${line("Tour Phone")} .o_serial_dispatch_scanned:contains(1)`,
            run() {
                window.location.reload();
            },
            expectUnloadPage: true,
        },
        {
            trigger: ".o_form_view button[name='action_serial_dispatch_open']",
            run: "click",
        },
        {
            trigger: `${line("Tour Phone")} .o_serial_dispatch_serial:contains(TOUR-SN-001)`,
        },
        scan("NO-SUCH-CODE-42"),
        {
            content: "A refused scan is signalled with the server's message",
            trigger: ".o_notification:contains(Unknown code NO-SUCH-CODE-42)",
        },
        {
            trigger: ".o_serial_dispatch_last_scan.text-danger:contains(NO-SUCH-CODE-42)",
        },
        scan("TOUR-SN-001"),
        {
            trigger: ".o_serial_dispatch_last_scan.text-danger:contains(already scanned)",
        },
        scan("TOUR-CABLE"),
        {
            trigger: `${line("Tour Cable")} .o_serial_dispatch_quantity:value(1)`,
        },
        {
            content: "Searching takes the keyboard: scanning pauses",
            trigger: ".o_serial_dispatch_search",
            run: "click",
        },
        {
            trigger: ".o_serial_dispatch_paused:contains(Click here to start scanning products)",
            run: "click",
        },
        scan("(01)09506000134352(21)TOUR-SN-002"),
        {
            trigger: `${line("Tour Phone")} .o_serial_dispatch_serial:contains(TOUR-SN-002)`,
        },
        {
            content: "Dispatch: the scans are written on the move lines",
            trigger: ".o_serial_dispatch_dispatch:enabled",
            run: "click",
        },
        {
            trigger: ".o_serial_dispatch_difference:contains(Tour Phone):contains(1 missing)",
        },
        {
            content: "Deliver: Odoo's validation",
            trigger: ".o_serial_dispatch_deliver.btn-primary:enabled",
            run: "click",
        },
        {
            content: "Odoo's backorder wizard follows",
            trigger: ".modal button[name='process']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button[data-value='done'].o_arrow_button_current",
        },
    ],
});
