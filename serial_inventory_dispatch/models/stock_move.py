from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _serial_assign_lots(self, wanted, picked=True):
        """Make this move's lines carry exactly the lots ``{lot id: quantity}`` (scanned units).

        Odoo's reservation is reused: a line already holding a wanted lot keeps it; a line
        holding another lot (or none) is given a wanted lot, which moves its reservation; the
        wanted lots left over get new lines, on the quant that holds them under the move's
        source location. With ``picked``, the lines of the wanted lots are marked picked and
        the others unpicked (Odoo's validation leaves those to a backorder); without it,
        the wanted lots are only reserved.

        Returns (quantity on the wanted lots, names of the wanted lots found nowhere in stock).
        """
        self.ensure_one()
        remaining = dict(wanted)
        spare = self.env["stock.move.line"]
        for line in self.move_line_ids.sorted("id"):
            need = remaining.get(line.lot_id.id, 0.0) if line.lot_id else 0.0
            if need > 0:
                quantity = min(line.quantity, need) if line.quantity > 0 else need
                values = {"picked": True} if picked else {}
                if quantity != line.quantity:
                    values["quantity"] = quantity
                if values:
                    line.write(values)
                remaining[line.lot_id.id] = need - quantity
            else:
                spare |= line
        remaining = {lot_id: qty for lot_id, qty in remaining.items() if qty > 0}
        quants = self.env["stock.quant"].search([
            ("lot_id", "in", list(remaining)),
            ("location_id", "child_of", self.location_id.id),
            ("quantity", ">", 0),
        ], order="quantity desc, id") if remaining else self.env["stock.quant"]
        quants_by_lot = quants.grouped("lot_id")
        unavailable, new_lines = [], []
        for lot_id, need in remaining.items():
            lot = self.env["stock.lot"].browse(lot_id)
            for quant in quants_by_lot.get(lot, []):
                if need <= 0:
                    break
                quantity = min(need, quant.quantity)
                values = {"lot_id": lot_id, "location_id": quant.location_id.id,
                          "package_id": quant.package_id.id, "owner_id": quant.owner_id.id,
                          "quantity": quantity, "picked": picked}
                if spare:
                    spare[0].write(values)
                    spare = spare[1:]
                else:
                    new_lines.append({
                        **self._prepare_move_line_vals(quantity=quantity, reserved_quant=quant),
                        "quantity": quantity, "picked": picked})
                need -= quantity
            if need > 0:
                unavailable.append(lot.name)
        if new_lines:
            self.env["stock.move.line"].create(new_lines)
        if picked:
            spare.filtered("picked").write({"picked": False})
        else:
            # Reservation only: lines left without a wanted lot give their units back.
            spare.filtered(lambda line: not line.picked).unlink()
        lines = self.move_line_ids.filtered(lambda line: line.lot_id.id in wanted)
        return sum(lines.mapped("quantity")), unavailable
