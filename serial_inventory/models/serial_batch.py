from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.untrusted_text import first_invisible, printable


class SerialBatch(models.Model):
    """A production or supplier lot that several serialised units belong to."""

    _name = "serial.batch"
    _description = "Serial Batch"
    _inherit = ["mail.thread"]
    _order = "manufacture_date desc, name"

    name = fields.Char("Batch number", required=True, index="trigram", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    product_id = fields.Many2one(
        "product.product", index=True, check_company=True,
        help="Leave empty for a batch that mixes products.",
    )
    supplier_id = fields.Many2one("res.partner", string="Supplier / Manufacturer")
    manufacture_date = fields.Date()
    expiration_date = fields.Datetime(help="Expiry given to the serials received in this batch.")
    note = fields.Html()
    lot_ids = fields.One2many("stock.lot", "serial_batch_id", string="Serials")
    lot_count = fields.Integer(compute="_compute_lot_count", string="Units")
    recall_count = fields.Integer(compute="_compute_recall_count", string="Recalls")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)",
         "A batch number must be unique per company."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._serial_clean_batch_name(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._serial_clean_batch_name(vals)
        return super().write(vals)

    @api.model
    def _serial_clean_batch_name(self, vals, field="name"):
        """Strip the batch number in ``vals[field]`` and refuse control characters in it:
        PostgreSQL refuses NUL outright, and a batch number is printed in GS1 (10) labels."""
        name = vals.get(field)
        if not isinstance(name, str):
            return
        name = name.strip()
        found = first_invisible(name)
        if found:
            raise UserError(_(
                "Batch number %(name)s contains the control character %(char)s at position "
                "%(position)s: type or scan it again.",
                name=printable(name), char=found[1], position=found[0]))
        vals[field] = name

    def _compute_lot_count(self):
        counts = dict(self.env["stock.lot"]._read_group(
            [("serial_batch_id", "in", self.ids)], ["serial_batch_id"], ["__count"]))
        for batch in self:
            batch.lot_count = counts.get(batch, 0)

    def _compute_recall_count(self):
        counts = dict(self.env["serial.recall"]._read_group(
            [("serial_batch_id", "in", self.ids)], ["serial_batch_id"], ["__count"]))
        for batch in self:
            batch.recall_count = counts.get(batch, 0)

    def action_serial_recall(self):
        """A new recall of this batch, its serials listed, for the user to give the reason
        and open (nothing is stored until it is saved)."""
        self.ensure_one()
        if not self.lot_ids:
            raise UserError(_("Batch %s has no serial to recall.", self.name))
        return {
            "type": "ir.actions.act_window",
            "name": _("Recall batch %s", self.name),
            "res_model": "serial.recall",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_company_id": self.company_id.id,
                "default_serial_batch_id": self.id,
                "default_product_id": self.product_id.id,
                "default_line_ids": [(0, 0, {"lot_id": lot_id}) for lot_id in self.lot_ids.ids],
            },
        }

    def action_open_recalls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory.action_serial_recall")
        action["domain"] = [("serial_batch_id", "=", self.id)]
        action["context"] = {"default_serial_batch_id": self.id}
        return action

    def action_open_lots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_production_lot_form")
        action["domain"] = [("serial_batch_id", "=", self.id)]
        action["context"] = {"default_serial_batch_id": self.id,
                             "default_product_id": self.product_id.id}
        return action
