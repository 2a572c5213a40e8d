from odoo import _, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_unique_scope = fields.Selection(
        [("product", "Per product"), ("company", "Across all products")],
        string="Serial uniqueness",
        default="product",
        required=True,
        help="Per product: Odoo's rule, two products may use the same serial. Across all "
        "products: no two units of this company share a serial, whatever the product.",
    )
    serial_pattern_id = fields.Many2one(
        "serial.pattern",
        string="Default serial pattern",
        help="Pattern used by serial-tracked products that have none of their own.",
    )

    def write(self, vals):
        if vals.get("serial_unique_scope") == "company":
            self._check_no_serial_shared_across_products()
        return super().write(vals)

    def _check_no_serial_shared_across_products(self):
        if not self:
            return
        self.env["stock.lot"].flush_model(["name", "company_id", "product_id"])
        self.env.cr.execute(
            """
            SELECT lot.name, string_agg(DISTINCT pt.name->>'en_US', ', ')
              FROM stock_lot lot
              JOIN product_product pp ON pp.id = lot.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE lot.company_id IN %s AND pt.tracking = 'serial'
          GROUP BY lot.company_id, lot.name
            HAVING count(*) > 1
             LIMIT 10
            """,
            (tuple(self.ids),),
        )
        shared = self.env.cr.fetchall()
        if shared:
            raise ValidationError(
                _(
                    "Serials cannot be made unique across products while these serials are "
                    "used by several products:\n%(lines)s",
                    lines="\n".join(f" - {name}: {products}" for name, products in shared),
                )
            )
