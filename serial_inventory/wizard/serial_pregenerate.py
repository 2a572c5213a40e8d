from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Serials one pre-generation creates at most: a mistyped 1000000000 must not try to build a
# billion names in memory; bigger runs are made in several steps.
MAX_PREGENERATED = 100_000


class SerialPregenerate(models.TransientModel):
    """Create N serials before the goods arrive, so their labels can be printed ahead."""

    _name = "serial.pregenerate"
    _inherit = "serial.lot.values.mixin"
    _description = "Pre-generate serials"

    product_id = fields.Many2one(
        "product.product", required=True, domain=[("tracking", "=", "serial")])
    quantity = fields.Integer("Number of serials", default=10, required=True)
    preview = fields.Text(compute="_compute_preview", string="Next serials")

    @api.depends("product_id")
    def _compute_preview(self):
        for wizard in self:
            wizard.preview = wizard.product_id.product_tmpl_id.serial_pattern_preview

    def _create_lots(self):
        self.ensure_one()
        if self.quantity <= 0:
            raise UserError(_("The number of serials to generate must be positive."))
        if self.quantity > MAX_PREGENERATED:
            raise UserError(_("%(count)s serials at once is too many: generate at most "
                              "%(max)s per run.", count=self.quantity, max=MAX_PREGENERATED))
        pattern = self.product_id._get_serial_pattern()
        if not pattern:
            raise UserError(
                _("Product %s has no serial pattern (and its company has no default "
                  "pattern): set one on the product's Inventory tab first.",
                  self.product_id.display_name))
        values = self._lot_values(self.product_id)
        names = pattern._generate(self.quantity, self.product_id)
        return self.env["stock.lot"]._serial_bulk_create(
            self.product_id, names, values, from_pattern=True)

    def action_generate(self):
        lots = self._create_lots()
        return self._lots_action(lots, _("Pre-generated serials of %s",
                                         self.product_id.display_name))
