/** @odoo-module **/

import { registry } from "@web/core/registry";
import { scanStep as scan } from "@serial_inventory_scan/../tests/tours/scan_step";

function number(kind, value) {
    return { trigger: `.o_serial_count_number[data-kind=${kind}] .fs-3:contains(${value})` };
}

registry.category("web_tour.tours").add("serial_inventory_scan_count_tour", {
    steps: () => [
        {
            content: "Open the Count tile",
            trigger: ".o_serial_scanner_tile[data-operation=count]",
            run: "click",
        },
        { trigger: ".o_serial_scan_prompt:contains(Scan the location to count.)" },
        scan("TOUR-SHELF"),
        { trigger: ".o_serial_count_name:contains(COUNT/)" },
        number("expected", 2),
        scan("TOUR-SN-1", ".o_serial_count_name"),
        { trigger: ".o_serial_scan_last_accepted:contains(TOUR-SN-1 found)" },
        number("found", 1),
        scan("TOUR-SN-1", ".o_serial_scan_last_accepted"),
        {
            content: "A unit scanned twice counts once, and the screen says so",
            trigger: ".o_serial_scan_last_refused:contains(already counted: it counts once)",
        },
        scan("TOUR-SN-9", ".o_serial_scan_last_refused"),
        { trigger: ".o_serial_scan_last_accepted:contains(unexpected here)" },
        number("unexpected", 1),
        number("missing", 1),
        {
            content: "Missing units are listed",
            trigger: ".o_serial_count_list[data-list=missing] .o_serial_count_serial:contains(TOUR-SN-2)",
        },
        {
            trigger: ".o_serial_count_tab[data-list=unexpected]",
            run: "click",
        },
        { trigger: ".o_serial_count_where:contains(Tour Elsewhere)" },
        scan("NO-SUCH-TOUR-CODE", ".o_serial_count_where"),
        { trigger: ".o_serial_scan_last_refused:contains(Unknown code NO-SUCH-TOUR-CODE)" },
        {
            content: "Apply asks for a confirmation",
            trigger: ".o_serial_count_apply",
            run: "click",
        },
        {
            trigger: ".modal-footer button.btn-primary:contains(Apply)",
            run: "click",
        },
        { trigger: ".o_serial_count_applied" },
        { trigger: ".o_serial_count_state:contains(Applied)" },
    ],
});
