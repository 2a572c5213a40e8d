/** @odoo-module **/

import { registry } from "@web/core/registry";
import { scanStep as scan } from "@serial_inventory_scan/../tests/tours/scan_step";

function unit(serial, inside = "") {
    return `.o_serial_return_unit[data-serial=${serial}] ${inside}`.trim();
}

registry.category("web_tour.tours").add("serial_inventory_scan_return_tour", {
    steps: () => [
        {
            content: "Open the Return tile",
            trigger: ".o_serial_scanner_tile[data-operation=return]",
            run: "click",
        },
        { trigger: ".o_serial_scan_prompt:contains(Scan the serial of each returned unit.)" },
        scan("TOUR-RET-1", ".o_serial_scan_prompt"),
        {
            content: "The unit finds the delivery it left on, and its customer",
            trigger: ".o_serial_scan_last_accepted:contains(TOUR-RET-1 comes back from)",
        },
        { trigger: ".o_serial_return_delivery_name:contains(OUT/)" },
        { trigger: ".o_serial_return_customer:contains(Tour Return Customer)" },
        scan("TOUR-RET-1", unit("TOUR-RET-1")),
        { trigger: ".o_serial_scan_last_refused:contains(already in this return)" },
        scan("TOUR-RET-9", ".o_serial_scan_last_refused"),
        { trigger: ".o_serial_scan_last_refused:contains(is in stock at)" },
        scan("TOUR-RET-2", ".o_serial_scan_last_refused:contains(is in stock at)"),
        { trigger: unit("TOUR-RET-2") },
        scan("TOUR-RET-3", unit("TOUR-RET-2")),
        {
            content: "A recalled unit is accepted, and comes back blocked",
            trigger: ".o_serial_scan_last_accepted:contains(it comes back blocked)",
        },
        { trigger: unit("TOUR-RET-3", ".o_serial_return_recall:contains(Under recall)") },
        { trigger: ".o_serial_return_customer:contains(Tour Recall Customer)" },
        { trigger: ".o_serial_return_count:contains(3 units)" },
        {
            content: "A unit scanned by mistake is taken out",
            trigger: unit("TOUR-RET-2", ".o_serial_return_remove"),
            run: "click",
        },
        { trigger: ".o_serial_return_count:contains(2 units)" },
        {
            trigger: `.o_serial_return:not(:has(${unit("TOUR-RET-2")}))`,
        },
        {
            content: "Apply asks for a confirmation",
            trigger: ".o_serial_return_apply:enabled",
            run: "click",
        },
        { trigger: ".modal-body:contains(Tour Return Customer)" },
        {
            trigger: ".modal-footer button.btn-primary:contains(Return)",
            run: "click",
        },
        { trigger: ".o_serial_return_applied .o_serial_return_done:contains(Tour Recall Customer)" },
        { trigger: ".o_serial_return:not(:has(.o_serial_return_unit))" },
    ],
});
