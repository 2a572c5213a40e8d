from odoo import fields, models


class StockPickingType(models.Model):
    """The Inventory Scanner's rules for the transfers of an operation type."""

    _inherit = "stock.picking.type"

    serial_scan_policy = fields.Selection(
        [("optional", "Optional"), ("mandatory", "Mandatory")],
        string="Serial scan", default="optional", required=True,
        help="Mandatory: every serial of a transfer of this type is scanned in the Inventory "
        "Scanner before the transfer can be validated, from any button; a typed serial is "
        "refused, except by an inventory manager giving a reason (a damaged label), which the "
        "scan log keeps with the manager's name. Optional: scanning helps, nothing is "
        "enforced.")
    serial_scan_allow_extra = fields.Boolean(
        "Extra units allowed", default=True,
        help="A scan of a unit beyond what the transfer asks for adds it. Off: such a scan is "
        "refused.")
    serial_scan_require_location = fields.Boolean(
        "Location scans required",
        help="The scanner asks for the location (the source of a delivery or transfer, the "
        "destination of a receipt) to be scanned before the units.")
