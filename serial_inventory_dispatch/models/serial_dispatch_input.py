from odoo import api, models
from odoo.exceptions import UserError

from ..lib import scan_input
from ..lib.scan_input import ScanInputError


class SerialDispatchInput(models.AbstractModel):
    """The boundary of the scan APIs: what a client sends is checked here, before it reaches
    a query, and refused with a translated message naming the value (see lib/scan_input)."""

    _name = "serial.dispatch.input"
    _description = "Scan API input checks"

    @api.model
    def _refuse(self, error, what):
        """UserError of the ScanInputError ``error`` about the value called ``what``."""
        _ = self.env._
        value, limit = error.preview, error.limit
        # Outside the _() calls: Odoo's term extractor (babel) cannot read an f-string
        # argument, and stops extracting the file's messages there.
        shown_limit = f"{limit:g}" if isinstance(limit, float) else limit
        messages = {
            scan_input.TYPE: _("%(what)s must be text, not %(value)s.", what=what, value=value),
            scan_input.NOT_A_LIST: _("%(what)s must be a list of codes, not %(value)s.",
                                     what=what, value=value),
            scan_input.CONTROL: _(
                "%(what)s %(value)s contains a control character (such as NUL): the scan "
                "is garbled, scan again.", what=what, value=value),
            scan_input.LENGTH: _(
                "%(what)s %(value)s is too long (more than %(limit)s characters): the scan "
                "is garbled, scan again.", what=what, value=value, limit=limit),
            scan_input.EMPTY: _("%s is empty.", what),
            scan_input.COUNT: _("Too many codes (%(value)s): at most %(limit)s at a time.",
                                value=value, limit=limit),
            scan_input.NOT_A_NUMBER: _("%s is not a quantity.", value),
            scan_input.NOT_FINITE: _("%s is not a quantity: give a finite number.", value),
            scan_input.TOO_LARGE: _("%(value)s is too large a quantity (at most %(limit)s).",
                                    value=value, limit=shown_limit),
            scan_input.NEGATIVE: _("A quantity cannot be negative (%s).", value),
            scan_input.NOT_AN_ID: _("%(what)s: %(value)s is not a record id.", what=what,
                                    value=value),
        }
        return UserError(messages[error.reason])

    @api.model
    def _clean(self, check, value, what, *args):
        try:
            return check(value, *args)
        except ScanInputError as error:
            raise self._refuse(error, what) from None

    @api.model
    def _code(self, value, allow_empty=False):
        return self._clean(scan_input.clean_code, value, self.env._("The scanned code"),
                           allow_empty)

    @api.model
    def _client_uid(self, value):
        return self._clean(scan_input.clean_client_uid, value, self.env._("The client scan id"))

    @api.model
    def _codes(self, values):
        return self._clean(scan_input.clean_codes, values, self.env._("The scanned codes"))

    @api.model
    def _code_lines(self, text):
        return self._clean(scan_input.split_codes, text, self.env._("The scanned codes"))

    @api.model
    def _quantity(self, value):
        return self._clean(scan_input.clean_quantity, value, self.env._("The quantity"))

    @api.model
    def _record_id(self, value, what, required=True):
        return self._clean(scan_input.clean_record_id, value, what, required)

    @api.model
    def _flag(self, value, what):
        return self._clean(scan_input.clean_flag, value, what)

    @api.model
    def _preview(self, value):
        """A printable, shortened form of ``value``, storable in the scan log."""
        return scan_input.preview(value)
