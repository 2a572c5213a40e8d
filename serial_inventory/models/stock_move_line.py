from collections import defaultdict

from odoo import api, fields, models

from ..bulk import copy_prototype_rows, differing_fields, fields_read_through


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

    def _action_done(self):
        """Validate many units of fresh serials set-wise; everything else as Odoo does.

        A line moving one unit of a serial that has no quant yet, from a location that
        bypasses reservation (a supplier, production), without package or owner, has an
        effect that depends on nothing but its lot: Odoo creates a quant of -1 at the source
        and of +1 at the destination. Per group of such lines (same move, locations), Odoo
        validates the first line; the quants of the others are copies of the first line's
        quants with their own lot, written in one INSERT each (see ..bulk).
        """
        groups, regular = self._serial_fresh_unit_groups()
        prototypes = self.browse([lines[0] for lines in groups])
        result = super(StockMoveLine, regular | prototypes)._action_done()
        for line_ids in groups:
            prototype, others = self.browse(line_ids[0]), self.browse(line_ids[1:])
            prototype._serial_copy_quants_to(others)
        return result

    def _serial_fresh_unit_groups(self):
        """([[line ids of one group, prototype first], ...], lines Odoo validates itself)."""
        candidates = self.filtered(
            lambda line: line.lot_id and line.tracking == "serial" and line.move_id
            and line.quantity == 1 and line.product_uom_id == line.product_id.uom_id
            and not (line.package_id or line.result_package_id or line.owner_id)
            and line.product_id.is_storable
            and line.move_id._should_bypass_reservation(line.location_id)
        )
        if len(candidates) < 2:
            return [], self
        self.env["stock.quant"].flush_model(["lot_id"])
        self.env.cr.execute(
            "SELECT DISTINCT lot_id FROM stock_quant WHERE lot_id = ANY(%s)",
            (candidates.lot_id.ids,),
        )
        lots_with_quants = {lot_id for (lot_id,) in self.env.cr.fetchall()}
        lines_per_lot = defaultdict(int)
        for line in candidates:
            lines_per_lot[line.lot_id.id] += 1
        by_key = defaultdict(list)
        for line in candidates:
            lot_id = line.lot_id.id
            if lot_id not in lots_with_quants and lines_per_lot[lot_id] == 1:
                key = (line.move_id.id, line.location_id.id, line.location_dest_id.id)
                by_key[key].append(line.id)
        groups = [line_ids for line_ids in by_key.values() if len(line_ids) > 1]
        grouped = self.browse([line_id for line_ids in groups for line_id in line_ids])
        return groups, self - grouped

    def _serial_copy_quants_to(self, others):
        """Give the lots of ``others`` the quants Odoo just made for this line's lot."""
        self.ensure_one()
        if not others:
            return
        quant_model = self.env["stock.quant"]
        quants = quant_model.search([("lot_id", "=", self.lot_id.id)], order="id")
        lots = others.lot_id
        read_through_lot = fields_read_through(quant_model, "lot_id")
        lot_differs = {"name", "serial_unique_key"} | differing_fields(
            lots | self.lot_id, read_through_lot)
        for quant in quants:
            copy_prototype_rows(quant_model, quant, {"lot_id": ("int4", lots.ids)},
                                differing={"lot_id": lot_differs})
        others.write({"date": self.date or fields.Datetime.now()})
