from num2words import num2words

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero, float_round, formatLang, get_lang


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def action_print_serial_labels(self):
        """Labels for every serial of these transfers (one per serial), in a label format."""
        move_lines = self.move_line_ids.filtered("lot_id")
        if not move_lines:
            raise UserError(_("%s has no serial number to print a label for.",
                              ", ".join(self.mapped("name"))))
        return self.env["serial.label.format"]._action_label_dialog({
            "default_move_line_ids": move_lines.ids,
            "default_label_quantity": "lots",
        })

    def _serial_units_total(self):
        """Units the delivery slip lists, in figures and in words of the report's language.

        Quantities in a unit of measure of the 'Unit' category count, converted to units
        (a dozen is 12); others (kg, litres) are not units and are left out. A done transfer
        counts what was moved, another one what is ordered.
        """
        self.ensure_one()
        unit_category = self.env.ref("uom.product_uom_categ_unit")
        unit = self.env.ref("uom.product_uom_unit")
        total = 0.0
        for move in self.move_ids:
            if move.state == "cancel" or move.product_uom.category_id != unit_category:
                continue
            quantity = move.quantity if self.state == "done" else move.product_uom_qty
            total += move.product_uom._compute_quantity(quantity, unit, round=False)
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        total = float_round(total, precision_digits=precision)
        whole = float_is_zero(total - round(total), precision_digits=precision)
        number = int(round(total)) if whole else total
        lang = get_lang(self.env)
        try:
            words = num2words(number, lang=lang.iso_code)
        except NotImplementedError:
            words = num2words(number, lang="en")
        return {
            "quantity": number,
            "figure": formatLang(self.env, number, digits=0 if whole else precision),
            "words": words,
        }
