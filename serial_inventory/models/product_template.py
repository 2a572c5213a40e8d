from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    serial_pattern_id = fields.Many2one(
        "serial.pattern",
        string="Serial pattern",
        company_dependent=False,
        help="How new serials of this product are built. Empty: the company's default "
        "pattern, or Odoo's standard numbering when the company has none.",
    )
    serial_pattern_preview = fields.Text(
        compute="_compute_serial_pattern_preview", string="Next serials"
    )

    def _get_serial_pattern(self):
        """The pattern that numbers this product's serials, or an empty recordset.

        Read from the template's own fields only, so it also answers for a template being
        created in a form (no variant yet) and for a template whose variants are archived.
        """
        self.ensure_one()
        if self.tracking != "serial":
            return self.env["serial.pattern"]
        company = self.company_id or self.env.company
        return self.serial_pattern_id or company.serial_pattern_id

    @api.depends("serial_pattern_id", "default_code", "tracking", "company_id")
    def _compute_serial_pattern_preview(self):
        for template in self:
            pattern = template._get_serial_pattern()
            template.serial_pattern_preview = (
                pattern.with_context(serial_preview_reference=template.default_code).preview
                if pattern else False
            )

    def action_open_serial_pregenerate(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory.action_serial_pregenerate"
        )
        action["context"] = {"default_product_id": self.product_variant_id.id}
        return action
