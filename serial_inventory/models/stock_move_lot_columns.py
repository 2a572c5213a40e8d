from odoo import api, models


# Display only, apart from stock_move.py (the moves' behaviour): which columns a dialog shows.
class StockMove(models.Model):
    """Which Lot/Serial column the move's details dialog shows."""

    _inherit = "stock.move"  # pylint: disable=consider-merging-classes-inherited

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
