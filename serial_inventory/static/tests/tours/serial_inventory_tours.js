/** @odoo-module **/

import { registry } from "@web/core/registry";

// From a serial's form to the verification screen, then scans typed by hand.
registry.category("web_tour.tours").add("serial_inventory_verify_tour", {
    steps: () => [
        {
            content: "Verify the serial from its form",
            trigger: ".o_form_view button[name=action_serial_verify]",
            run: "click",
        },
        {
            content: "The unit is genuine, with its batch and colour",
            trigger: ".o_serial_verify_result[data-result=genuine]:contains(TOUR-SN-1)",
        },
        {
            trigger: ".o_serial_verify_details:contains(TOUR-BATCH):contains(Blue)",
        },
        {
            content: "Type a serial nobody made",
            trigger: ".o_serial_verify_input",
            run: "edit TOUR-FAKE-999",
        },
        {
            trigger: ".o_serial_verify_input",
            run: "press Enter",
        },
        {
            content: "It is unknown",
            trigger: ".o_serial_verify_result[data-result=unknown]:contains(TOUR-FAKE-999)",
        },
        {
            content: "A recalled unit",
            trigger: ".o_serial_verify_input",
            run: "edit TOUR-SN-9",
        },
        {
            trigger: ".o_serial_verify_button",
            run: "click",
        },
        {
            trigger: ".o_serial_verify_result[data-result=recalled]:contains(Tour old recall)",
        },
        {
            content: "Every verification is in the history",
            trigger: ".o_serial_verify_history:contains(TOUR-FAKE-999):contains(TOUR-SN-9)",
        },
    ],
});

// A recall of a batch: select, open (units blocked), close.
registry.category("web_tour.tours").add("serial_inventory_recall_tour", {
    steps: () => [
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=reason] textarea",
            run: "edit Tour recall: faulty charger",
        },
        {
            trigger: ".o_field_widget[name=serial_batch_id] input",
            run: "edit TOUR-BATCH",
        },
        {
            trigger: ".ui-menu-item > a:contains(TOUR-BATCH)",
            run: "click",
        },
        {
            content: "Add the batch's serials",
            trigger: "button[name=action_add_serials]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(TOUR-SN-2)",
        },
        {
            content: "Open the recall",
            trigger: "button[name=action_open]",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Open)",
        },
        {
            content: "Two units of the batch are in stock, now blocked",
            trigger: "button[name=action_view_in_stock] .o_stat_value:contains(2)",
        },
        {
            trigger: "button[name=action_close]",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Closed)",
        },
    ],
});
