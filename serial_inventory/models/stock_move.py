from odoo import api, models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _generate_serial_numbers(self, next_serial, next_serial_count=False, location_id=False):
        self.ensure_one()
        return super(
            StockMove, self.with_context(serial_pattern_product_id=self.product_id.id)
        )._generate_serial_numbers(next_serial, next_serial_count, location_id)

    @api.model
    def action_generate_lot_line_vals(self, context, mode, first_lot, count, lot_text):
        if mode == "generate" and context.get("default_product_id"):
            self = self.with_context(serial_pattern_product_id=context["default_product_id"])
        return super().action_generate_lot_line_vals(context, mode, first_lot, count, lot_text)

    def _serial_fill_from_pattern(self, lot_values=None):
        """Give every serial-tracked move the serials it still lacks, from its pattern.

        Lots are created in one batched create and move lines in another; lines that
        carry no serial yet (Odoo's single reserved line of a receipt) are replaced.
        Returns the created lots.
        """
        lot_values = lot_values or {}
        lot_vals_list, lot_counts = [], []
        moves = self.filtered(
            lambda move: move.has_tracking == "serial"
            and move.state not in ("done", "cancel")
            and move.product_id._get_serial_pattern()
        )
        for move in moves:
            with_serial = move.move_line_ids.filtered(lambda line: line.lot_id or line.lot_name)
            missing = int(move.product_qty - sum(with_serial.mapped("quantity")))
            names = (
                move.product_id._get_serial_pattern()._generate(missing, move.product_id)
                if missing > 0 else []
            )
            lot_vals_list += [
                {"name": name, "product_id": move.product_id.id,
                 "company_id": move.company_id.id, **lot_values}
                for name in names
            ]
            lot_counts.append((move, len(names)))
        lots = self.env["stock.lot"].create(lot_vals_list)
        self.move_line_ids.filtered(
            lambda line: line.move_id in moves and not line.lot_id and not line.lot_name
        ).unlink()
        line_vals_list, offset = [], 0
        for move, count in lot_counts:
            template = move._prepare_move_line_vals(quantity=1)
            for lot in lots[offset:offset + count]:
                line_vals_list.append({**template, "lot_id": lot.id, "quantity": 1})
            offset += count
        self.env["stock.move.line"].create(line_vals_list)
        return lots
