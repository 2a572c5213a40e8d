from odoo import api, fields, models


class SerialScan(models.Model):
    """The scanning core's log, with the delivery line a Deliver scan counts for."""

    _inherit = "serial.scan"

    move_id = fields.Many2one("stock.move", string="Stock Move", index="btree_not_null",
                              ondelete="set null", readonly=True,
                              help="The delivery line the scanned unit counts for.")
    kind = fields.Selection(
        [("scan", "Scan"), ("manual", "Manual quantity")], default="scan", readonly=True,
        help="Scan: a code read by the scanner. Manual quantity: a quantity given by hand "
        "(+1, or typed); its quantity is the change it made.")

    @api.model
    def _scan_columns(self):
        return (*super()._scan_columns(), "move_id", "kind")

    @api.model
    def _insert(self, record, values):
        # The core inserts by SQL: the field's default is not applied there.
        return super()._insert(record, dict(values, kind=values.get("kind") or "scan"))
