from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib.check_characters import CheckCharacterError
from ..lib.serial_pattern import SerialPattern, SerialPatternError, verify_check_character

CHECK_ALGORITHMS = [
    ("none", "None"),
    ("mod37_36", "ISO/IEC 7064 MOD 37,36 (alphanumeric)"),
    ("mod37_2", "ISO/IEC 7064 MOD 37-2 (alphanumeric, catches every swap)"),
    ("mod11_10", "ISO/IEC 7064 MOD 11,10 (numeric)"),
    ("luhn", "Luhn (numeric)"),
]


class SerialNumberPattern(models.Model):
    """A serial template and the PostgreSQL sequence that numbers it.

    The counter belongs to the pattern, not to the product: products sharing a pattern
    share its counter, so they can never produce the same serial.
    """

    _name = "serial.pattern"
    _description = "Serial Number Pattern"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    template = fields.Char(
        required=True,
        default="SN{YY}{SEQ:6:36}{CHECK}",
        help="Text with tokens: {YYYY} {YY} {MM} {DD} {DOY} date of generation, {REF} the "
        "product's internal reference, {SEQ:width} a decimal counter, {SEQ:width:36} a "
        "base-36 counter, {CHECK} the check character (last).",
    )
    check_algorithm = fields.Selection(
        CHECK_ALGORITHMS,
        required=True,
        default="none",
        help="A check character lets Odoo refuse a serial typed or scanned with one wrong "
        "character, and most serials with two adjacent characters swapped: MOD 37-2 catches "
        "every such swap (its check character may be '*'), the others miss a few.",
    )
    sequence_id = fields.Many2one(
        "ir.sequence", readonly=True, copy=False, ondelete="restrict",
        help="PostgreSQL sequence giving the counter: concurrent generation never waits "
        "and never repeats a number (numbers may be skipped).",
    )
    next_counter = fields.Integer(
        compute="_compute_next_counter", inverse="_inverse_next_counter",
        help="Counter value the next generated serial will use.",
    )
    product_tmpl_ids = fields.One2many("product.template", "serial_pattern_id")
    preview_product_tmpl_id = fields.Many2one(
        "product.template", string="Preview for", compute="_compute_preview_product_tmpl_id",
        readonly=False, domain=[("tracking", "=", "serial")],
        help="The product whose serials the preview and the length show: {REF} is its "
        "internal reference. By default the first product using this pattern; choose "
        "another to see its serials (the choice is not saved).")
    max_length = fields.Integer(
        "Serial length", compute="_compute_preview",
        help="Length of the serials of the product shown (all have the same length).")
    preview = fields.Text(compute="_compute_preview", string="Next serials")
    preview_note = fields.Char(compute="_compute_preview")

    @api.constrains("template", "check_algorithm")
    def _check_template(self):
        for pattern in self:
            pattern._parsed()

    def _parsed(self):
        self.ensure_one()
        try:
            return SerialPattern.parse(self.template or "", check_algorithm=self.check_algorithm)
        except SerialPatternError as error:
            raise ValidationError(
                _("Serial pattern %(name)s is not valid: %(error)s", name=self.name, error=error)
            ) from error

    @api.depends("sequence_id.number_next_actual")
    def _compute_next_counter(self):
        for pattern in self:
            pattern.next_counter = pattern.sequence_id.number_next_actual or 1

    def _inverse_next_counter(self):
        for pattern in self:
            pattern.sequence_id.sudo().number_next_actual = pattern.next_counter

    @api.depends("product_tmpl_ids", "company_id")
    def _compute_preview_product_tmpl_id(self):
        for pattern in self:
            product = pattern.product_tmpl_ids[:1]
            if not product:
                # A company's default pattern numbers the serial products without a pattern.
                companies = self.env["res.company"].sudo().search(
                    [("serial_pattern_id", "=", pattern.id)])
                if companies:
                    product = self.env["product.template"].search([
                        ("serial_pattern_id", "=", False), ("tracking", "=", "serial"),
                        ("company_id", "in", [False, *companies.ids])], limit=1)
            pattern.preview_product_tmpl_id = product

    @api.depends("template", "check_algorithm", "next_counter",
                 "preview_product_tmpl_id")
    @api.depends_context("serial_preview_reference")
    def _compute_preview(self):
        """The next serials and their length for a real product (the product form's own, or
        the pattern's preview product): a placeholder reference would give other check
        characters and another length than the serials really generated."""
        today = fields.Date.context_today(self)
        for pattern in self:
            product = pattern.preview_product_tmpl_id
            if "serial_preview_reference" in self.env.context:
                reference = self.env.context["serial_preview_reference"] or "REF"
                pattern.preview_note = False
            elif product:
                reference = product.default_code or ""
                pattern.preview_note = _("Serials of %s", product.display_name)
            else:
                reference = "REF"
                pattern.preview_note = _(
                    "No product uses this pattern yet: {REF} is shown as REF, while real "
                    "serials hold the product's internal reference (choose a product in "
                    "\"Preview for\" to see its serials).")
            try:
                parsed = SerialPattern.parse(pattern.template or "",
                                             check_algorithm=pattern.check_algorithm)
                start = pattern.next_counter or 1
                pattern.preview = "\n".join(
                    parsed.render(counter, on=today, reference=reference)
                    for counter in range(start, start + 5)
                )
                pattern.max_length = parsed.max_length(reference)
            except SerialPatternError as error:
                pattern.preview = str(error)
                pattern.max_length = 0

    @api.model_create_multi
    def create(self, vals_list):
        patterns = super().create(vals_list)
        for pattern in patterns:
            pattern.sequence_id = self.env["ir.sequence"].sudo().create({
                "name": _("Serial pattern: %s", pattern.name),
                "implementation": "standard",
                "company_id": pattern.company_id.id,
                "number_next": 1,
            })
        return patterns

    def _next_counters(self, count):
        """Reserve ``count`` counter values in one round trip.

        nextval() never blocks concurrent callers and never hands out a value twice,
        so parallel generators interleave instead of colliding.
        """
        self.ensure_one()
        if count <= 0:
            return []
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            ("ir_sequence_%03d" % self.sequence_id.id, count),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _generate(self, count, product=None, on=None):
        """Return ``count`` new serial names for ``product`` (not yet stored)."""
        self.ensure_one()
        parsed = self._parsed()
        on = on or fields.Date.context_today(self)
        reference = (product.default_code or "") if product else ""
        counters = self._next_counters(count)
        try:
            if counters and counters[-1] - counters[0] == len(counters) - 1:
                # No concurrent generator took numbers in between: one contiguous block.
                return parsed.render_many(counters[0], len(counters), on=on,
                                          reference=reference)
            return [parsed.render(counter, on=on, reference=reference)
                    for counter in counters]
        except SerialPatternError as error:
            raise ValidationError(
                _("Cannot generate serials with pattern %(name)s: %(error)s",
                  name=self.name, error=error)
            ) from error

    def _validate_serial(self, serial):
        """Raise a ValidationError when ``serial`` fails the pattern's check character."""
        self.ensure_one()
        if self.check_algorithm == "none":
            return
        try:
            verify_check_character(serial, self.check_algorithm)
        except CheckCharacterError as error:
            raise ValidationError(
                _("Serial %(serial)s is not valid: %(error)s", serial=serial, error=error)
            ) from error
