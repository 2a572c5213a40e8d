from odoo import api, models

from ..lib import serial_name
from ..odoo_path import fast_path_records, uses_odoo_path
from ..unit_moves import DeferredUnitMoves


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.constrains("lot_name", "product_id")
    def _check_serial_check_character(self):
        for product, lines in self.filtered("lot_name").grouped("product_id").items():
            pattern = product._get_serial_pattern()
            if pattern and pattern.check_algorithm != "none":
                for line in lines:
                    # The serial as its lot will store it (lib/serial_name.py).
                    pattern._validate_serial(serial_name.normalise(line.lot_name))

    def _action_done(self):
        """Move the quants of one-unit serial lines in batches (see ..unit_moves).

        Odoo's validation runs unchanged; only its per-line quant updates of the lines
        ``UnitMoves`` can predict are replaced by one batched create and grouped writes,
        made right after Odoo's loop.
        """
        # A serial typed " AB1" or "ab1" is the existing unit AB1 (lib/serial_name.py).
        self.env["serial.lot.naming"]._match_typed_lot_names(self)
        if uses_odoo_path(self.env) or len(self) < 2:
            return super()._action_done()
        deferred = DeferredUnitMoves(self)
        result = super(StockMoveLine, fast_path_records(self).with_context(
            serial_unit_moves=deferred))._action_done()
        if deferred.unit_moves:  # planned before Odoo's loop, and not empty
            deferred.unit_moves.apply()
        return result

    def _synchronize_quant(self, quantity, location, action="available", in_date=False,
                           **quants_value):
        deferred = self.env.context.get("serial_unit_moves")
        unit_moves = deferred and deferred.unit_moves
        # Odoo's loop passes the line's own lot and (empty) result package; a call naming
        # another lot, package or owner is not one the plan answers.
        if (unit_moves and len(self) == 1 and self.id in unit_moves
                and quants_value.get("lot", self.lot_id) == self.lot_id
                and not any(value for key, value in quants_value.items() if key != "lot")):
            return unit_moves.synchronize(self, quantity, location, action)
        return super()._synchronize_quant(quantity, location, action=action, in_date=in_date,
                                          **quants_value)

    def _create_and_assign_production_lot(self):
        """Odoo's creation of the lots named on the lines, without a chatter message per
        lot when many are created at once (a receipt of thousands of units)."""
        if len(self) > 1 and not uses_odoo_path(self.env):
            self = self.with_context(mail_create_nolog=True)
        return super()._create_and_assign_production_lot()
