from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SerialScanWizard(models.TransientModel):
    """Scan to order, scan to transfer, scan a return: a keyboard-wedge scanner types one code
    per line into ``codes``; the work is done by the scan APIs of sale.order and
    stock.picking, which the dispatch dialog's siblings could call as well."""

    _name = "serial.scan.wizard"
    _description = "Scan to Order, Transfer or Return"

    mode = fields.Selection(
        [("order", "Scan to order"), ("transfer", "Scan to transfer"),
         ("return", "Scan a return")], required=True, default="order")
    partner_id = fields.Many2one("res.partner", string="Customer")
    source_location_id = fields.Many2one(
        "stock.location", string="From", domain="[('usage', '=', 'internal')]")
    destination_location_id = fields.Many2one(
        "stock.location", string="To", domain="[('usage', '=', 'internal')]")
    codes = fields.Text(
        help="One scanned code per line: serials, GS1 codes or product barcodes.")
    code_count = fields.Integer(compute="_compute_code_count", string="Scanned")
    return_picking_id = fields.Many2one("stock.picking", string="Delivered with",
                                        readonly=True)
    return_partner_id = fields.Many2one("res.partner", string="Delivered to", readonly=True)
    return_date = fields.Datetime(string="Delivered on", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_codes(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_codes(vals)
        return super().write(vals)

    @api.model
    def _check_codes(self, vals):
        """Refuse garbled codes (a NUL byte the database would refuse, a code far too long)
        before they are stored."""
        if "codes" in vals:
            self.env["serial.dispatch.input"]._code_lines(vals["codes"])

    @api.depends("codes")
    def _compute_code_count(self):
        for wizard in self:
            # Counted while the clerk scans: a garbled line is refused on save, not here.
            wizard.code_count = len([line for line in (wizard.codes or "").splitlines()
                                     if line.strip()])

    def _code_list(self):
        return self.env["serial.dispatch.input"]._code_lines(self.codes)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "target": "new", "name": self.env._("Scan a return"),
        }

    def action_apply(self):
        self.ensure_one()
        codes = self._code_list()
        if self.mode == "order":
            result = self.env["sale.order"].serial_order_create(self.partner_id.id, codes)
            return {"type": "ir.actions.act_window", "res_model": "sale.order",
                    "res_id": result["order_id"], "view_mode": "form", "target": "current"}
        if self.mode == "transfer":
            result = self.env["stock.picking"].serial_transfer_create(
                self.source_location_id.id, codes, self.destination_location_id.id)
            return result.get("action") or {
                "type": "ir.actions.act_window", "res_model": "stock.picking",
                "res_id": result["picking_id"], "view_mode": "form", "target": "current"}
        return self.action_find_return()

    def action_find_return(self):
        self.ensure_one()
        codes = self._code_list()
        if len(codes) != 1:
            raise UserError(_("Scan the serial of one returned unit."))
        found = self.env["stock.picking"].serial_return_lookup(codes[0])
        self.write({
            "return_picking_id": found["picking_id"],
            "return_partner_id": found["partner_id"],
            "return_date": found["date"],
        })
        return self._reopen()

    def action_create_return(self):
        self.ensure_one()
        codes = self._code_list()
        if len(codes) != 1:
            raise UserError(_("Scan the serial of one returned unit."))
        result = self.env["stock.picking"].serial_return_create(codes[0])
        return {"type": "ir.actions.act_window", "res_model": "stock.picking",
                "res_id": result["picking_id"], "view_mode": "form", "target": "current"}
