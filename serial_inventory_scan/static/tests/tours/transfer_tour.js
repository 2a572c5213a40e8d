/** @odoo-module **/

import { registry } from "@web/core/registry";
import { scanStep as scan } from "@serial_inventory_scan/../tests/tours/scan_step";

function step(key, status) {
    return { trigger: `.o_serial_transfer_step[data-step=${key}][data-status=${status}]` };
}

registry.category("web_tour.tours").add("serial_inventory_scan_transfer_tour", {
    steps: () => [
        {
            content: "Open the Transfer tile",
            trigger: ".o_serial_scanner_tile[data-operation=transfer]",
            run: "click",
        },
        { trigger: ".o_serial_scan_prompt:contains(Scan the location to move units from.)" },
        step("from", "current"),
        scan("TOUR-T-FROM", ".o_serial_scan_screen[data-operation=transfer]"),
        { trigger: ".o_serial_transfer_name:contains(/INT/)" },
        step("from", "done"),
        step("units", "current"),
        { trigger: ".o_serial_transfer_step[data-step=from] .o_serial_transfer_step_value:contains(Tour From)" },
        scan("TOUR-T-SN-1", ".o_serial_transfer_empty"),
        { trigger: ".o_serial_scan_last_accepted:contains(TOUR-T-SN-1)" },
        { trigger: ".o_serial_transfer_unit[data-serial=TOUR-T-SN-1]" },
        scan("TOUR-T-SN-1", ".o_serial_scan_last_accepted"),
        {
            content: "A unit scanned twice moves once, and the screen says so",
            trigger: ".o_serial_scan_last_refused:contains(already in this transfer)",
        },
        scan("TOUR-T-SN-2", ".o_serial_scan_last_refused"),
        { trigger: ".o_serial_transfer_unit[data-serial=TOUR-T-SN-2]" },
        scan("TOUR-T-SN-9", ".o_serial_scan_last_accepted"),
        {
            content: "A serial elsewhere is refused, naming where it is",
            trigger: ".o_serial_scan_last_refused:contains(Tour Elsewhere)",
        },
        scan("5400000000058", ".o_serial_scan_last_refused"),
        { trigger: ".o_serial_scan_last_accepted:contains(Tour Bolts: 1 to move)" },
        {
            trigger: ".o_serial_transfer_step[data-step=units] .o_serial_transfer_step_value:contains(3)",
        },
        {
            content: "Take TOUR-T-SN-2 out again",
            trigger: ".o_serial_transfer_unit[data-serial=TOUR-T-SN-2] .o_serial_transfer_undo",
            run: "click",
        },
        {
            trigger: ".o_serial_transfer_step[data-step=units] .o_serial_transfer_step_value:contains(2)",
        },
        {
            trigger: ".o_serial_transfer_units:not(:has(.o_serial_transfer_unit[data-serial=TOUR-T-SN-2]))",
        },
        scan("NO-SUCH-TOUR-CODE", ".o_serial_transfer_unit[data-serial=TOUR-T-SN-1]"),
        { trigger: ".o_serial_scan_last_refused:contains(Unknown code NO-SUCH-TOUR-CODE)" },
        {
            ...scan("TOUR-T-TO", ".o_serial_scan_last_refused"),
            content: "The destination ends the scan: the transfer is validated",
        },
        { trigger: ".o_serial_transfer_state:contains(Done)" },
        { trigger: ".o_serial_scan_prompt:contains(2 units moved to WH/Stock/Tour To)" },
        step("to", "done"),
        { trigger: ".o_serial_transfer_step[data-step=to] .o_serial_transfer_step_value:contains(Tour To)" },
        { trigger: ".o_serial_transfer_new" },
        { trigger: "body:not(:has(.o_serial_transfer_undo))" },
    ],
});
