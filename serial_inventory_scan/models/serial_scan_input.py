import re

from odoo import _, api, models
from odoo.exceptions import UserError

from odoo.addons.serial_inventory.lib import untrusted_text

# Longer than any serial, GS1 element string or location barcode a label carries: a longer
# "scan" is keyboard noise or a scanner sending garbage.
MAX_CODE_LENGTH = 256
# The scanning client makes its ids from letters, digits and dashes (a UUID and a counter).
CLIENT_UID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")
PREVIEW_LENGTH = 64
# A manager's reason for typing a serial that must be scanned: a sentence, not an essay.
MAX_REASON_LENGTH = 200


class SerialScanInput(models.AbstractModel):
    """What the scanning screens send, checked before anything reads it: codes, client scan
    ids, record ids and scan options come from a browser, a scanner or any RPC client."""

    _name = "serial.scan.input"
    _description = "Scan input checks"

    @api.model
    def _preview(self, value):
        """A printable, shortened form of ``value``: quotable in a message, storable."""
        text = value if isinstance(value, str) else repr(value)
        text = untrusted_text.printable(text)
        return text if len(text) <= PREVIEW_LENGTH else text[:PREVIEW_LENGTH] + "…"

    @api.model
    def _clean_code(self, code):
        if not isinstance(code, str):
            raise UserError(_("The scanned code must be text, not %s.", self._preview(code)))
        code = code.strip()
        if not code:
            raise UserError(_("The scanned code is empty."))
        problem = untrusted_text.serial_query_problem(code, MAX_CODE_LENGTH)
        if problem and problem.code == "too_long":
            raise UserError(_(
                "The scanned code %(code)s is too long (%(length)s characters, at most "
                "%(limit)s): the scan is garbled, scan again.", code=self._preview(code),
                length=problem.part, limit=MAX_CODE_LENGTH))
        if problem:
            raise UserError(_(
                "The scanned code %(code)s contains the control character %(char)s at "
                "position %(position)s: the scan is garbled, scan again.",
                code=self._preview(code), char=problem.part, position=problem.position))
        return code

    @api.model
    def _clean_client_uid(self, client_uid):
        if not isinstance(client_uid, str) or not CLIENT_UID_PATTERN.fullmatch(client_uid):
            raise UserError(_(
                "The client scan id %s is not valid: 1 to 64 letters, digits, dots, colons, "
                "dashes or underscores.", self._preview(client_uid)))
        return client_uid

    @api.model
    def _clean_options(self, options):
        """(typed, reason) from a scan's ``options``."""
        if options in (None, False):
            return False, False
        if not isinstance(options, dict):
            raise UserError(_("The scan options %s are not valid.", self._preview(options)))
        typed = options.get("typed", False)
        reason = options.get("reason") or False
        if not isinstance(typed, bool):
            raise UserError(_("The scan option typed must be true or false, not %s.",
                              self._preview(typed)))
        if reason is not False:
            if not isinstance(reason, str):
                raise UserError(_("The override reason must be text, not %s.",
                                  self._preview(reason)))
            problem = untrusted_text.serial_query_problem(reason.strip(), MAX_REASON_LENGTH)
            if problem and problem.code == "too_long":
                raise UserError(_("The override reason is too long (at most %s characters).",
                                  MAX_REASON_LENGTH))
            if problem:
                raise UserError(_("The override reason contains the control character "
                                  "%(char)s.", char=problem.part))
            reason = " ".join(reason.split()) or False
        return typed, reason

    @api.model
    def _clean_record_id(self, record_id):
        if record_id in (False, None, 0):
            return False
        if isinstance(record_id, bool) or not isinstance(record_id, int) or record_id < 0:
            raise UserError(_("%s is not a record id.", self._preview(record_id)))
        return record_id
