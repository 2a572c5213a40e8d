import re

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.serial_inventory.lib import untrusted_text

# Longer than any serial, GS1 element string or location barcode a label carries: a longer
# "scan" is keyboard noise or a scanner sending garbage.
MAX_CODE_LENGTH = 256
# The scanning client makes its ids from letters, digits and dashes (a UUID and a counter).
CLIENT_UID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")
PREVIEW_LENGTH = 64


class SerialScanOperation(models.AbstractModel):
    """The scanning core: what every operation of the Inventory Scanner shares.

    An operation is an abstract model ``serial.scan.operation.<key>`` inheriting this one
    and setting ``_operation = "<key>"``; it fills in the hooks below (one small file per
    operation). The screens call the public methods of this model with the operation's key:
    ``scan_state``, ``scan`` and ``scan_apply``. Every scan, accepted or refused, goes to the
    scan log (serial.scan) for the record it was scanned for.
    """

    _name = "serial.scan.operation"
    _description = "Scan operation"

    # The operation's key (in serial.scan.operation and in the screens), None here.
    _operation = None
    # The model of the records the operation scans for; None: the scanning user's session.
    _scan_model = None
    # Accepted serial scans of the operation hold their serial under this name (at most one
    # open scan per serial and hold, see serial.scan); None: the scans hold nothing.
    _hold = None
    # Tile order, icon (Font Awesome) of the operation in the scanner's home screen.
    _sequence = 100
    _icon = "fa-barcode"

    # ------------------------------------------------------------------
    # Registry
    # ------------------------------------------------------------------
    @api.model
    def _operations(self):
        """{key: model name} of the installed operations, in tile order."""
        found = [(model._sequence, model._operation, name)
                 for name, model in self.env.registry.items()
                 if name.startswith("serial.scan.operation.") and model._operation]
        return {key: name for _sequence, key, name in sorted(found)}

    @api.model
    def _get_operation(self, operation):
        operations = self._operations()
        if not isinstance(operation, str) or operation not in operations:
            raise UserError(_("Unknown scan operation %s.", self._preview(operation)))
        return self.env[operations[operation]]

    # ------------------------------------------------------------------
    # Public API of the screens (orm.call; JSON answers)
    # ------------------------------------------------------------------
    @api.model
    def scan_operations(self):
        """The tiles of the scanner's home screen."""
        return [{"key": key, "name": self.env[name]._description,
                 "icon": self.env[name]._icon}
                for key, name in self._operations().items()]

    @api.model
    def scan_state(self, operation, record_id=False):
        """What the screen of ``operation`` shows for ``record_id``."""
        operation = self._get_operation(operation)
        record = operation._scan_record(record_id)
        return operation._scan_state(record)

    @api.model
    def scan(self, operation, record_id, code, client_uid):
        """Record the scan of ``code`` for the record ``record_id`` of ``operation``.

        ``client_uid``: the client's id of this scan; a retry with the same id and code is
        answered from the log, counted once. A code that is not text, too long or garbled is
        logged refused (as a printable preview). Returns {result, message, duplicate,
        scan_id, record_id, state}.
        """
        operation = self._get_operation(operation)
        client_uid = self._clean_client_uid(client_uid)
        record = operation._scan_record(record_id)
        scans = self.env["serial.scan"]
        scans.check_access("create")
        values = {"operation": operation._operation, "client_uid": client_uid,
                  "result": "accepted", "message": "", "product_id": False, "lot_id": False,
                  "location_id": False, "quantity": 0.0, "open": False, "hold": False}
        try:
            values["code"] = self._clean_code(code)
            resolved = self.env["serial.code.resolver"]._resolve_any(
                values["code"], expect=operation._scan_expect(record))
            record = operation._scan_target(record, resolved)
            values.update(operation._scan_evaluate(record, resolved))
        except UserError as error:
            values.setdefault("code", self._preview(code))
            values.update(result="refused", message=str(error), open=False, hold=False,
                          quantity=0.0)
        logged_for = record or operation._scan_session()
        values["company_id"] = operation._scan_company(logged_for).id
        stored, duplicate = scans._store(
            logged_for, values,
            lambda lot, holder: operation._scan_held_message(logged_for, lot, holder))
        return {
            "scan_id": stored["id"],
            "result": stored["result"],
            "message": stored["message"] or "",
            "code": stored["code"],
            "duplicate": duplicate,
            "record_id": record.id,
            "state": operation._scan_state(record),
        }

    @api.model
    def scan_apply(self, operation, record_id):
        """Apply the accepted scans of ``record_id`` (the user confirmed); return the state."""
        operation = self._get_operation(operation)
        record = operation._scan_record(record_id)
        if not record:
            raise UserError(_("There is nothing to apply yet."))
        return operation._scan_apply(record)

    # ------------------------------------------------------------------
    # Input checks
    # ------------------------------------------------------------------
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
    def _clean_record_id(self, record_id):
        if record_id in (False, None, 0):
            return False
        if isinstance(record_id, bool) or not isinstance(record_id, int) or record_id < 0:
            raise UserError(_("%s is not a record id.", self._preview(record_id)))
        return record_id

    # ------------------------------------------------------------------
    # Hooks of the operations
    # ------------------------------------------------------------------
    @api.model
    def _scan_record(self, record_id):
        """The record scanned for (empty when ``record_id`` is False), checked readable by the
        user; refused when it does not exist or belongs to another company."""
        record_id = self._clean_record_id(record_id)
        if not self._scan_model:
            return self.env["res.users"]
        record = self.env[self._scan_model].browse(record_id)
        if record_id and not record.exists():
            raise UserError(_("%(what)s %(id)s does not exist (any more).",
                              what=self.env[self._scan_model]._description, id=record_id))
        record.check_access("read")
        return record

    @api.model
    def _scan_session(self):
        """What a scan is logged for when the operation has no record (yet): the user."""
        return self.env.user

    @api.model
    def _scan_company(self, record):
        if record._name != "res.users" and "company_id" in record and record.company_id:
            return record.company_id
        return self.env.company

    @api.model
    def _scan_expect(self, record):
        """The kinds of code (see serial.code.resolver._resolve_any) the screen accepts now."""
        return ("serial", "lot", "product")

    @api.model
    def _scan_target(self, record, resolved):
        """The record the scan is for: ``record``, or one the scan opens (a location scan
        starting a count). Runs before the evaluation, only for a code that resolved."""
        return record

    @api.model
    def _scan_evaluate(self, record, resolved):
        """Accept or refuse the scan (raise UserError with the reason), reading only: the
        values to log (message, product_id, lot_id, location_id, quantity, and open with
        hold for a scan holding its serial)."""
        raise NotImplementedError

    @api.model
    def _scan_state(self, record):
        """What the screen shows for ``record``: a JSON-able dict."""
        return {"record_id": False, "prompt": _("Scan a code.")}

    @api.model
    def _scan_apply(self, record):
        """Apply the accepted scans of ``record``; return the screen's state."""
        raise UserError(_("%s has nothing to apply.", self._description))

    @api.model
    def _scan_held_message(self, record, lot, holder):
        """The refusal of a serial that ``holder``'s open scan holds."""
        if holder == record:
            return _("Serial %s is already scanned here: it counts once.", lot.name)
        if not self.env["serial.scan"]._visible_to_user(holder.sudo()):
            return _("Serial %s is already scanned elsewhere.", lot.name)
        return _("Serial %(serial)s is already scanned for %(holder)s.", serial=lot.name,
                 holder=holder.sudo().display_name)

    @api.model
    def _scan_recent(self, record, limit=10):
        """The last scans of ``record`` (for the screen's list), newest first."""
        scans = self.env["serial.scan"]
        scans.flush_model()
        self.env.cr.execute(SQL(
            """SELECT scan.id, scan.code, scan.result, scan.message, lot.name
                 FROM serial_scan scan LEFT JOIN stock_lot lot ON lot.id = scan.lot_id
                WHERE scan.res_model = %s AND scan.res_id = %s AND scan.operation = %s
             ORDER BY scan.id DESC LIMIT %s""",
            record._name, record.id, self._operation, limit,
        ))
        return [{"id": scan_id, "code": code, "result": result, "message": message or "",
                 "serial": serial or ""}
                for scan_id, code, result, message, serial in self.env.cr.fetchall()]
