/** @odoo-module **/

import { registry } from "@web/core/registry";
import { scanStep as scan } from "@serial_inventory_scan/../tests/tours/scan_step";

function done(product, quantity) {
    return {
        content: `${product}: ${quantity} received`,
        trigger: `.o_serial_receive_line[data-product="${product}"] .o_serial_receive_done:contains(${quantity})`,
    };
}

// The vendor's GS1 code of a unit: GTIN (01), serial (21), batch (10), in the human form.
const VENDOR_CODE = "(01)05400000000096(21)TV-1(10)TB-1";

registry.category("web_tour.tours").add("serial_inventory_scan_receive_tour", {
    steps: () => [
        {
            content: "Open the Receive tile",
            trigger: ".o_serial_scanner_tile[data-operation=receive]",
            run: "click",
        },
        {
            content: "The open receipts are listed: tap the vendor's",
            trigger: ".o_serial_receive_open:contains(Tour Vendor)",
            run: "click",
        },
        { trigger: ".o_serial_receive_name:contains(/IN/)" },
        { trigger: ".o_serial_scan_prompt:contains(Scan each unit)" },
        scan("TRV-PRE1", ".o_serial_receive_line"),
        {
            content: "A pre-printed label is the next unit of its product",
            trigger: ".o_serial_scan_last_accepted:contains(TRV-PRE1 received)",
        },
        done("Tour Gadget", 1),
        { trigger: ".o_serial_receive_serial:contains(TRV-PRE1)" },
        scan("TRV-PRE1", ".o_serial_scan_last_accepted"),
        {
            content: "A label scanned twice is refused",
            trigger: ".o_serial_scan_last_refused:contains(already scanned here)",
        },
        scan(VENDOR_CODE, ".o_serial_scan_last_refused"),
        {
            content: "The vendor's code creates the serial",
            trigger: ".o_serial_scan_last_accepted:contains(TV-1 received)",
        },
        done("Tour Vendor Item", 1),
        {
            content: "A product without a serial pattern is left to its vendor's labels",
            trigger:
                '.o_serial_receive_line[data-product="Tour Vendor Item"]:not(:has(.o_serial_receive_print_line))',
        },
        {
            content: "Validate: Odoo asks about the unit not received",
            trigger: ".o_serial_receive_validate",
            run: "click",
        },
        {
            trigger: ".modal-footer button[name=process]",
            run: "click",
        },
        { trigger: ".o_serial_receive_state:contains(Done)" },
        { trigger: ".o_serial_receive_backorders:contains(/IN/)" },
        {
            content: "A done receipt takes no more units",
            trigger: ".o_serial_scan_prompt:contains(is done)",
        },
    ],
});
