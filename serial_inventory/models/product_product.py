from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.tools.barcode import check_barcode_encoding, get_barcode_check_digit

GTIN_ENCODING_BY_LENGTH = {8: "ean8", 12: "upca", 13: "ean13", 14: "gtin14"}
GTIN_NAMES = {"ean8": "EAN-8", "upca": "UPC-A", "ean13": "EAN-13", "gtin14": "GTIN-14"}


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _get_serial_pattern(self):
        """The pattern that numbers this product's serials, or an empty recordset.

        Every input (tracking, pattern, company) is the template's: the template decides.
        """
        self.ensure_one()
        return self.product_tmpl_id._get_serial_pattern()

    @api.constrains("barcode")
    def _check_barcode_gtin(self):
        """A numeric barcode of a GTIN length must carry a correct GTIN check digit.

        Other barcodes (internal codes with letters, other lengths) are left alone: they
        are not product-line codes a retail scanner would read as EAN/UPC.
        """
        for product in self:
            barcode = product.barcode
            if not barcode or not barcode.isdigit():
                continue
            encoding = GTIN_ENCODING_BY_LENGTH.get(len(barcode))
            if not encoding:
                continue
            if encoding == "ean13" and barcode.startswith("0"):
                # A 13-digit code with a leading 0 is a UPC-A written as EAN-13.
                encoding_ok = check_barcode_encoding(barcode[1:], "upca")
            else:
                encoding_ok = check_barcode_encoding(barcode, encoding)
            if not encoding_ok:
                raise ValidationError(
                    _(
                        "The barcode %(barcode)s of %(product)s is not a valid %(kind)s: "
                        "its check digit should be %(digit)s.",
                        barcode=barcode,
                        product=product.display_name,
                        kind=GTIN_NAMES[encoding],
                        digit=get_barcode_check_digit(barcode),
                    )
                )
