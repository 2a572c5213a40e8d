from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_scan_ids = fields.One2many("serial.dispatch.scan", "picking_id", string="Scans")
    serial_scan_count = fields.Integer(compute="_compute_serial_scan_count")

    def _compute_serial_scan_count(self):
        counts = dict(self.env["serial.dispatch.scan"]._read_group(
            [("picking_id", "in", self.ids)], ["picking_id"], ["__count"]))
        for picking in self:
            picking.serial_scan_count = counts.get(picking, 0)

    def action_open_serial_scans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory_dispatch.action_serial_dispatch_scan")
        action["domain"] = [("picking_id", "=", self.id)]
        return action
