from odoo import _, fields, models
from odoo.tools.misc import format_datetime


class SerialValuationWizard(models.TransientModel):
    """Choose the date at which the serials are valued (empty: now)."""

    _name = "serial.valuation.wizard"
    _description = "Serial valuation at date"

    valuation_date = fields.Datetime(
        "Value at", help="Leave empty for the current value; otherwise the serials on hand "
        "and their value at that moment, from the valuation layers created until then.")

    def action_open_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory.action_serial_valuation_report")
        context = {"search_default_group_categ": 1, "search_default_group_product": 1}
        if self.valuation_date:
            context["serial_valuation_date"] = fields.Datetime.to_string(self.valuation_date)
            action["display_name"] = _("Serial valuation at %s",
                                       format_datetime(self.env, self.valuation_date))
        action["context"] = context
        return action
