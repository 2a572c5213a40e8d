from odoo import api, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.constrains("lot_name", "product_id")
    def _check_serial_check_character(self):
        for product, lines in self.filtered("lot_name").grouped("product_id").items():
            pattern = product._get_serial_pattern()
            if pattern and pattern.check_algorithm != "none":
                for line in lines:
                    pattern._validate_serial(line.lot_name)

    def _create_and_assign_production_lot(self):
        """Use pre-generated serials (lots created ahead, with no stock yet) by name.

        Labels may be printed before the goods arrive; scanning such a label on a receipt
        must take that lot instead of creating a duplicate.
        """
        lot_names = set(self.mapped("lot_name"))
        pregenerated = self.env["stock.lot"].search([
            ("name", "in", list(lot_names)),
            ("product_id", "in", self.product_id.ids),
            ("serial_state", "=", "new"),
        ])
        by_key = {(lot.product_id.id, lot.company_id.id, lot.name): lot for lot in pregenerated}
        remaining = self.browse()
        for line in self:
            lot = by_key.get((line.product_id.id, line.company_id.id, line.lot_name))
            if lot:
                line.lot_id = lot
            else:
                remaining |= line
        return super(StockMoveLine, remaining)._create_and_assign_production_lot()
