from odoo import _, api, models
from odoo.exceptions import UserError

from ..odoo_path import fast_path_records


class StockMove(models.Model):
    _inherit = "stock.move"

    def _generate_serial_numbers(self, next_serial, next_serial_count=False, location_id=False):
        self.ensure_one()
        return super(StockMove, fast_path_records(self).with_context(
            serial_pattern_product_id=self.product_id.id)
        )._generate_serial_numbers(next_serial, next_serial_count, location_id)

    @api.model
    def action_generate_lot_line_vals(self, context, mode, first_lot, count, lot_text):
        if mode == "generate" and context.get("default_product_id"):
            self = self.with_context(serial_pattern_product_id=context["default_product_id"])
        return super().action_generate_lot_line_vals(context, mode, first_lot, count, lot_text)

    @api.depends("move_line_ids.lot_id", "move_line_ids.lot_name")
    def _compute_show_info(self):
        """Show the linked lot (``lot_id``) of lines numbered before validation.

        On an operation type that creates lots but does not use existing ones, Odoo shows
        only the typed name (``lot_name``) in the move's details dialog
        (stock.view_stock_move_line_operation_tree), and shows ``lot_id`` once the move is
        done. Lines numbered ahead (Number serials, like Odoo's Generate Serials on types
        that use existing lots) already carry their lot and no typed name: show ``lot_id``
        as soon as a line has one, and keep the ``lot_name`` column while a line holds a
        typed name alone. Nothing stored changes: both fields are display-only.
        """
        result = super()._compute_show_info()
        for move in self:
            lines = move.move_line_ids
            if move.show_lots_text and not move.show_quant and lines.lot_id:
                move.show_lots_m2o = True
                move.show_lots_text = any(line.lot_name and not line.lot_id for line in lines)
        return result

    def _serial_fill_from_pattern(self, lot_values=None):
        """Give every serial-tracked move of a receipt the serials it still lacks.

        The names come from the product's pattern; the lots are created with ``lot_values``
        (batch, dates, properties) through stock.lot._serial_bulk_create; the move lines
        get them through Odoo's own "Generate Serials" commands
        (``_generate_serial_move_line_commands``). The receipt's blank lines are removed
        first, so that Odoo's commands create every numbered line in one batched create
        instead of writing them one by one (as Odoo does on a move without blank lines).
        Returns the created lots.
        """
        self._serial_check_receipts()
        self = fast_path_records(self)
        moves = self.filtered(
            lambda move: move.has_tracking == "serial"
            and move.state not in ("done", "cancel")
            and move.product_id._get_serial_pattern()
        )
        all_lots = self.env["stock.lot"]
        for move in moves:
            lines = move.move_line_ids
            numbered = lines.filtered(lambda line: line.lot_id or line.lot_name)
            missing = int(move.product_qty - sum(numbered.mapped("quantity")))
            (lines - numbered).unlink()
            if missing <= 0:
                continue
            pattern = move.product_id._get_serial_pattern()
            names = pattern._generate(missing, move.product_id)
            lots = self.env["stock.lot"]._serial_bulk_create(
                move.product_id, names, lot_values, from_pattern=True, company=move.company_id)
            # The values Odoo's generation gives lines of existing lots (its
            # _create_lot_ids_from_move_line_vals): the lot, no typed name.
            move.move_line_ids = move._generate_serial_move_line_commands([
                {"lot_name": False, "quantity": 1, "lot_id": lot.id} for lot in lots])
            all_lots |= lots
        return all_lots

    def _serial_check_receipts(self):
        """Numbering creates the units: only receipts do that."""
        if any(not move.picking_id for move in self):
            raise UserError(_("Serials are numbered on receipts only: these stock moves "
                              "belong to no transfer."))
        not_receipts = self.picking_id.filtered(
            lambda picking: picking.picking_type_code != "incoming")
        if not_receipts:
            raise UserError(_("Serials are numbered on receipts only: %s is not a receipt.",
                              ", ".join(not_receipts.mapped("name"))))
