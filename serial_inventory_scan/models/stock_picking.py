from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_list

# How many unscanned serials a refusal names before "and N more".
NAMED_SERIALS = 5


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self._serial_scan_release_over()
        return res

    def _serial_scan_release_over(self):
        """A transfer done or cancelled, from the scanner or from any button, holds its
        scanned serials no more (cancelled: see stock.move._action_cancel)."""
        self.env["serial.scan"]._release(
            self.filtered(lambda picking: picking.state in ("done", "cancel")))

    def _sanity_check(self, separate_pickings=True):
        """A transfer whose operation type makes the serial scan mandatory is validated only
        when every serial it moves was scanned for it (whatever button validates it)."""
        res = super()._sanity_check(separate_pickings=separate_pickings)
        self._serial_scan_check_mandatory()
        return res

    def _serial_scan_check_mandatory(self):
        pickings = self.filtered(
            lambda picking: picking.picking_type_id.serial_scan_policy == "mandatory")
        if not pickings:
            return
        scanned = self._serial_scan_scanned_lots(pickings)
        problems = []
        for picking in pickings:
            missing = []
            for line in picking._serial_scan_lines_to_validate():
                if line.lot_id and line.lot_id.id in scanned.get(picking.id, ()):
                    continue
                missing.append(line.lot_id.name or line.lot_name or _(
                    "a unit of %s without a serial", line.product_id.display_name))
            if missing:
                names = missing[:NAMED_SERIALS]
                if len(missing) > NAMED_SERIALS:
                    names.append(_("%s more", len(missing) - NAMED_SERIALS))
                problems.append(_(
                    "%(picking)s: serials are scanned for %(type)s, and %(serials)s were not "
                    "scanned. Scan them in the Inventory Scanner (an inventory manager can "
                    "type one with a reason for a damaged label).",
                    picking=picking.name, type=picking.picking_type_id.display_name,
                    serials=format_list(self.env, names)))
        if problems:
            raise UserError("\n".join(problems))

    def _serial_scan_lines_to_validate(self):
        """The serial move lines validating this transfer would move: the picked ones, or all
        when nothing is picked (as Odoo's validation decides)."""
        self.ensure_one()
        lines = self.move_line_ids.filtered(
            lambda line: line.product_id.tracking == "serial" and line.quantity > 0)
        if self.move_ids.filtered("picked"):
            lines = lines.filtered("picked")
        return lines

    def _serial_scan_scanned_lots(self, pickings):
        """{picking id: {lot ids with an accepted scan for it}} (read by SQL: a mandatory scan
        may concern thousands of serials). Only the scans of the transfer's own company count:
        no other company's user can have scanned for it."""
        scans = self.env["serial.scan"]
        scans.flush_model(["picking_id", "lot_id", "result", "company_id"])
        self.env.cr.execute(SQL(
            """SELECT scan.picking_id, array_agg(DISTINCT scan.lot_id)
                 FROM serial_scan scan JOIN stock_picking picking ON picking.id = scan.picking_id
                WHERE scan.picking_id = ANY(%s) AND scan.result = 'accepted'
                  AND scan.lot_id IS NOT NULL AND scan.company_id = picking.company_id
             GROUP BY scan.picking_id""", pickings.ids))
        return {picking_id: set(lot_ids) for picking_id, lot_ids in self.env.cr.fetchall()}
