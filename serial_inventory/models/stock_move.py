from odoo import api, models

from ..bulk import assign_like_prototype, copy_prototype_rows


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

        The lots are created set-wise (stock.lot._serial_bulk_create). A receipt already
        holds one line without serial per unit: the new lots are assigned to those lines in
        one UPDATE; units without a line get copies of a numbered line (see ..bulk).
        Returns the created lots.
        """
        moves = self.filtered(
            lambda move: move.has_tracking == "serial"
            and move.state not in ("done", "cancel")
            and move.product_id._get_serial_pattern()
        )
        all_lots = self.env["stock.lot"]
        lot_differs = {"lot_id": {"name", "serial_unique_key"}}
        for move in moves:
            blank_unit_ids, other_blank_ids, numbered = move._serial_line_inventory()
            missing = int(move.product_qty - numbered)
            blank_lines = self.env["stock.move.line"].browse(blank_unit_ids + other_blank_ids)
            if missing <= 0:
                blank_lines.unlink()
                continue
            names = move.product_id._get_serial_pattern()._generate(missing, move.product_id)
            lots = self.env["stock.lot"]._serial_bulk_create(
                move.product_id, names, lot_values, from_pattern=True, company=move.company_id)
            unit_lines = self.env["stock.move.line"].browse(blank_unit_ids[:missing])
            (blank_lines - unit_lines).unlink()
            assign_like_prototype(
                unit_lines, "lot_id", lots[:len(unit_lines)].ids, differing=lot_differs)
            unnumbered = lots[len(unit_lines):]
            if unnumbered:
                prototype = unit_lines[:1] or self.env["stock.move.line"].create({
                    **move._prepare_move_line_vals(quantity=1),
                    "lot_id": unnumbered[0].id, "quantity": 1,
                })
                if not unit_lines:
                    unnumbered = unnumbered[1:]
                copy_prototype_rows(
                    self.env["stock.move.line"], prototype,
                    {"lot_id": ("int4", unnumbered.ids)}, differing=lot_differs)
            all_lots |= lots
        return all_lots

    def _serial_line_inventory(self):
        """(ids of blank one-unit lines, ids of other blank lines, quantity with a serial).

        Read in one query: a receipt of 100,000 units has 100,000 lines, and walking them as
        records costs more than numbering them.
        """
        self.ensure_one()
        self.env["stock.move.line"].flush_model(["move_id", "lot_id", "lot_name", "quantity"])
        self.env.cr.execute(
            """SELECT id, quantity, lot_id IS NOT NULL OR COALESCE(lot_name, '') != ''
                 FROM stock_move_line WHERE move_id = %s ORDER BY id""",
            (self.id,),
        )
        blank_unit_ids, other_blank_ids, numbered = [], [], 0
        for line_id, quantity, has_serial in self.env.cr.fetchall():
            if has_serial:
                numbered += quantity
            elif quantity == 1:
                blank_unit_ids.append(line_id)
            else:
                other_blank_ids.append(line_id)
        return blank_unit_ids, other_blank_ids, numbered
