from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Bounds of the longest serial a company accepts: a label must carry it, and the B-tree
# indexes on names and keys refuse entries past about 2,700 bytes.
SERIAL_MAX_LENGTH_BOUNDS = (1, 200)


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

    serial_max_length = fields.Integer(
        string="Serial number length",
        default=64,
        required=True,
        help="The longest serial number accepted, in characters (at most 200): longer "
        "names typed, scanned or imported are refused.",
    )

    @api.constrains("serial_max_length")
    def _check_serial_max_length(self):
        low, high = SERIAL_MAX_LENGTH_BOUNDS
        for company in self:
            if not low <= company.serial_max_length <= high:
                raise ValidationError(_(
                    "The serial number length of %(company)s must be between %(low)s and "
                    "%(high)s characters, not %(length)s.",
                    company=company.name, low=low, high=high,
                    length=company.serial_max_length))

    def write(self, vals):
        if vals.get("serial_unique_scope") == "company":
            self._check_no_serial_shared_across_products()
        return super().write(vals)

    def _check_no_serial_shared_across_products(self):
        if not self:
            return
        self.env["stock.lot"].flush_model(["name", "company_id", "product_id",
                                           "serial_name_key"])
        # Serials are compared by their key: AB-1 of one product and ab1 of another clash.
        # The serials of no company (of products shared by all companies) are the
        # company's too: its look-ups find them.
        self.env.cr.execute(
            """
            SELECT string_agg(DISTINCT lot.name, ' = '),
                   string_agg(DISTINCT pt.name->>'en_US', ', ')
              FROM res_company company
              JOIN stock_lot lot ON lot.company_id = company.id OR lot.company_id IS NULL
              JOIN product_product pp ON pp.id = lot.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE company.id IN %s AND pt.tracking = 'serial'
          GROUP BY company.id, lot.serial_name_key
            HAVING count(DISTINCT lot.product_id) > 1
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
