from odoo import api, models

from ..odoo_path import precision_memo


class DecimalPrecision(models.Model):
    _inherit = "decimal.precision"

    # Precisions account reads from the state of its own computations (account's
    # precision_get answers 100 for "Discount" while it computes some totals): never kept.
    _serial_unmemoized = frozenset({"Discount"})

    def precision_get(self, application):
        """Read once per fast-path operation (see ..odoo_path.fast_path_records)."""
        memo = precision_memo(self.env)
        if memo is None or application in self._serial_unmemoized:
            return super().precision_get(application)
        if application not in memo.digits:
            memo.digits[application] = super().precision_get(application)
        return memo.digits[application]

    @api.model_create_multi
    def create(self, vals_list):
        self._serial_forget_precisions()
        return super().create(vals_list)

    def write(self, vals):
        self._serial_forget_precisions()
        return super().write(vals)

    def unlink(self):
        self._serial_forget_precisions()
        return super().unlink()

    def _serial_forget_precisions(self):
        memo = precision_memo(self.env)
        if memo:
            memo.digits.clear()
