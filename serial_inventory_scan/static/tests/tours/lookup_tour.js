/** @odoo-module **/

import { registry } from "@web/core/registry";
import { scanStep as scan } from "@serial_inventory_scan/../tests/tours/scan_step";

registry.category("web_tour.tours").add("serial_inventory_scan_lookup_tour", {
    steps: () => [
        {
            content: "Open the Lookup tile",
            trigger: ".o_serial_scanner_tile[data-operation=lookup]",
            run: "click",
        },
        scan("TOUR-LOOK-1", ".o_serial_scan_screen[data-operation=lookup]"),
        { trigger: ".o_serial_scan_card_title:contains(TOUR-LOOK-1)" },
        { trigger: ".o_serial_scan_card dd:contains(Tour Lookup Shelf)" },
        { trigger: ".o_serial_scan_card dd:contains(Tour Looked Up)" },
        scan("TOUR-LOOK-SHELF", ".o_serial_scan_card_title:contains(TOUR-LOOK-1)"),
        {
            content: "A location's card lists what it holds",
            trigger: ".o_serial_scan_card_title:contains(Tour Lookup Shelf)",
        },
        scan("NO-SUCH-LOOKUP-CODE", ".o_serial_scan_card_title:contains(Tour Lookup Shelf)"),
        { trigger: ".o_serial_scan_last_refused:contains(NO-SUCH-LOOKUP-CODE)" },
    ],
});
