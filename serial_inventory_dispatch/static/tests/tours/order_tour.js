/** @odoo-module **/

import { registry } from "@web/core/registry";
import { scanStep as scan } from "@serial_inventory_scan/../tests/tours/scan_step";

function line(product, quantity) {
    return {
        content: `${quantity} ${product} on the quotation`,
        trigger: `.o_serial_order_line:has(.o_serial_order_product:contains(${product})) .o_serial_order_quantity:contains(${quantity})`,
    };
}

registry.category("web_tour.tours").add("serial_inventory_dispatch_order_tour", {
    steps: () => [
        {
            content: "Open the Order tile",
            trigger: ".o_serial_scanner_tile[data-operation=order]",
            run: "click",
        },
        { trigger: ".o_serial_scan_prompt:contains(Choose the customer)" },
        {
            content: "Search the customer",
            trigger: ".o_serial_order_search",
            run: "edit Tour Buyer",
        },
        {
            content: "Choose the customer: a new quotation",
            trigger: ".o_serial_order_customer:contains(Tour Buyer Ltd)",
            run: "click",
        },
        { trigger: ".o_serial_order_customer_name:contains(Tour Buyer Ltd)" },
        { trigger: ".o_serial_order_empty" },
        scan("TOUR-ORD-1", ".o_serial_order_empty"),
        { trigger: ".o_serial_scan_last_accepted:contains(serial TOUR-ORD-1 added)" },
        line("Tour Scanned Phone", 1),
        scan("TOUR-ORD-2", ".o_serial_scan_last_accepted:contains(TOUR-ORD-1)"),
        { trigger: ".o_serial_scan_last_accepted:contains(TOUR-ORD-2 added (2 on the quotation))" },
        line("Tour Scanned Phone", 2),
        { trigger: ".o_serial_order_serials:contains(TOUR-ORD-1, TOUR-ORD-2)" },
        scan("TOUR-ORD-2", ".o_serial_order_serials"),
        {
            content: "A unit scanned twice counts once, and the screen says so",
            trigger: ".o_serial_scan_last_refused:contains(it counts once)",
        },
        scan("TOUR-ORD-RECALLED", ".o_serial_scan_last_refused"),
        {
            content: "A recalled unit is refused at the scan",
            trigger: ".o_serial_scan_last_refused:contains(TOUR-ORD-RECALLED is under recall)",
        },
        scan("TOUR-CABLE", ".o_serial_scan_last_refused:contains(under recall)"),
        { trigger: ".o_serial_scan_last_accepted:contains(Tour Cable: one unit added)" },
        line("Tour Cable", 1),
        { trigger: ".o_serial_order_total:contains(130.00)" },
        {
            content: "Confirm asks first",
            trigger: ".o_serial_order_confirm",
            run: "click",
        },
        {
            trigger: ".modal-footer button.btn-primary:contains(Confirm order)",
            run: "click",
        },
        { trigger: ".o_serial_order_state:contains(Sales Order)" },
        {
            content: "The delivery reserves the scanned serials",
            trigger: ".o_serial_order_delivery_serials:contains(TOUR-ORD-1, TOUR-ORD-2)",
        },
        scan("TOUR-ORD-3", ".o_serial_order_delivery"),
        { trigger: ".o_serial_scan_last_refused:contains(takes no more units)" },
        {
            content: "Open the order's form",
            trigger: ".o_serial_order_open",
            run: "click",
        },
        { trigger: ".o_form_view .o_field_widget[name=partner_id]:contains(Tour Buyer Ltd)" },
    ],
});
