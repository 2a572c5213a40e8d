from odoo import _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# The rules of a scan that is for no transfer (a count, a lookup): nothing enforced.
DEFAULT_RULES = {"policy": "optional", "allow_extra": True, "require_location": False}


class SerialScanOperation(models.AbstractModel):
    """The scanning core: what every operation of the Inventory Scanner shares.

    An operation is an abstract model ``serial.scan.operation.<key>`` inheriting this one
    and setting ``_operation = "<key>"``; it fills in the hooks below (one small file per
    operation). The screens call the public methods of this model with the operation's key:
    ``scan_state``, ``scan`` and ``scan_apply``. Every scan, accepted or refused, goes to the
    scan log (serial.scan) for the record it was scanned for.
    """

    _name = "serial.scan.operation"
    _inherit = "serial.scan.input"
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
    # The screen's own buttons (``scan_action``): each name runs ``_scan_action_<name>``.
    _scan_actions = ()
    # Whether a serial this operation holds is refused to the other such operations (a unit
    # on a transfer cannot be put on a quotation). A count only observes: False.
    _hold_exclusive = True

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
        return operation._scan_state_full(record)

    @api.model
    def scan(self, operation, record_id, code, client_uid, options=None):
        """Record the scan of ``code`` for the record ``record_id`` of ``operation``.

        ``client_uid``: the client's id of this scan; a retry with the same id and code is
        answered from the log, counted once. A code that is not text, too long or garbled is
        logged refused (as a printable preview). ``options``: {"typed": the code was typed
        on the screen, "reason": an inventory manager's reason for typing a serial that the
        operation type wants scanned}. Returns {result, message, duplicate, scan_id,
        record_id, state}.
        """
        operation = self._get_operation(operation)
        client_uid = self._clean_client_uid(client_uid)
        typed, reason = self._clean_options(options)
        record = operation._scan_record(record_id) or operation._scan_opened_by(client_uid)
        scans = self.env["serial.scan"]
        # Scans are written by this method only (never through the ORM: nobody may forge an
        # accepted scan): scanning needs the right to read the log.
        scans.check_access("read")
        values = {"operation": operation._operation, "client_uid": client_uid,
                  "result": "accepted", "message": "", "product_id": False, "lot_id": False,
                  "location_id": False, "quantity": 0.0, "open": False, "hold": False,
                  "typed": typed, "override_reason": False}
        try:
            values["code"] = self._clean_code(code)
            resolved = self.env["serial.code.resolver"]._resolve_any(
                values["code"], expect=operation._scan_expect(record))
            record = operation._scan_target(record, resolved)
            values["override_reason"] = operation._check_typed(record, resolved, typed, reason)
            values.update(operation._scan_evaluate(record, resolved))
        except UserError as error:
            # The log needs a code: an empty scan is shown as "-".
            values.setdefault("code", self._preview(code) or "-")
            values.update(result="refused", message=str(error), open=False, hold=False,
                          quantity=0.0, override_reason=False)
        logged_for = record or operation._scan_session()
        values["company_id"] = operation._scan_company(logged_for).id
        stored, duplicate = scans._store(
            logged_for, values,
            lambda lot, holder: operation._scan_held_message(logged_for, lot, holder),
            other_holds=operation._scan_conflicting_holds())
        if stored["result"] == "accepted" and not duplicate:
            operation._scan_accepted(record, stored)
        return {
            "scan_id": stored["id"],
            "result": stored["result"],
            "message": stored["message"] or "",
            "code": stored["code"],
            "duplicate": duplicate,
            "record_id": record.id,
            "state": operation._scan_state_full(record),
        }

    @api.model
    def _scan_conflicting_holds(self):
        """The holds of the other operations whose open scans refuse this one's serials."""
        if not self._hold or not self._hold_exclusive:
            return ()
        holds = {self.env[name]._hold for name in self._operations().values()
                 if self.env[name]._hold_exclusive}
        return tuple(sorted(holds - {None, self._hold}))

    @api.model
    def _scan_opened_by(self, client_uid):
        """The record this user's scan ``client_uid`` opened, if it did: a first scan that
        created its record (a count, a transfer) and is sent again because its answer was
        lost must be answered from the log, not open a second record."""
        if not self._scan_model:
            return self.env["res.users"]
        scans = self.env["serial.scan"]
        scans.flush_model(["client_uid", "res_model", "res_id", "operation", "user_id"])
        self.env.cr.execute(SQL(
            """SELECT res_id FROM serial_scan WHERE client_uid = %s AND res_model = %s
                  AND operation = %s AND user_id = %s LIMIT 1""",
            client_uid, self._scan_model, self._operation, self.env.uid))
        row = self.env.cr.fetchone()
        return self._scan_record(row[0]) if row else self.env[self._scan_model]

    @api.model
    def scan_apply(self, operation, record_id):
        """Apply the accepted scans of ``record_id`` (the user confirmed); return the state."""
        operation = self._get_operation(operation)
        record = operation._scan_record(record_id)
        if not record:
            raise UserError(_("There is nothing to apply yet."))
        return operation._scan_with_rules(record, operation._scan_apply(record))

    @api.model
    def scan_action(self, operation, record_id, action, params=None):
        """Run the screen button ``action`` of ``operation`` for ``record_id``: the
        operation's ``_scan_action_<action>(record, **params)``, when the operation lists it
        in ``_scan_actions``. Returns the screen's state, with ``client_action`` (an Odoo
        action for the client to run: a backorder wizard, a report) when there is one."""
        operation = self._get_operation(operation)
        if not isinstance(action, str) or action not in operation._scan_actions:
            raise UserError(_("%(operation)s has no action %(action)s.",
                              operation=operation._description, action=self._preview(action)))
        if params is None:
            params = {}
        if not isinstance(params, dict) or not all(isinstance(key, str) for key in params):
            raise UserError(_("The parameters of %s are not valid.", self._preview(action)))
        record = operation._scan_record(record_id)
        try:
            result = getattr(operation, f"_scan_action_{action}")(record, **params)
        except TypeError as error:
            # Unknown or missing parameters from a client: a message, not a traceback.
            raise UserError(_("The parameters of %(action)s are not valid: %(error)s",
                              action=action, error=self._preview(str(error)))) from error
        return operation._scan_with_rules(record, result)

    # ------------------------------------------------------------------
    # Rules per operation type (stock.picking.type)
    # ------------------------------------------------------------------
    @api.model
    def _scan_picking(self, record):
        """The transfer whose operation type's rules apply to the scans of ``record``."""
        if record and record._name == "stock.picking":
            return record
        return self.env["stock.picking"]

    @api.model
    def _scan_rules(self, record):
        """{policy, allow_extra, require_location} of ``record``'s operation type."""
        picking_type = self._scan_picking(record).picking_type_id
        if not picking_type:
            return dict(DEFAULT_RULES)
        return {"policy": picking_type.serial_scan_policy,
                "allow_extra": picking_type.serial_scan_allow_extra,
                "require_location": picking_type.serial_scan_require_location}

    @api.model
    def _can_override(self):
        return self.env.user.has_group("stock.group_stock_manager")

    @api.model
    def _check_typed(self, record, resolved, typed, reason):
        """The override reason to log for a typed serial, or False; refuses a typed serial the
        operation type wants scanned unless an inventory manager gives a reason."""
        if reason and not typed:
            raise UserError(_("An override reason goes with a typed serial only."))
        mandatory = self._scan_rules(record)["policy"] == "mandatory"
        if not typed or resolved["kind"] != "serial" or not mandatory:
            return False
        picking = self._scan_picking(record)
        serial = resolved["lot"].name if resolved.get("lot") else resolved["lot_name"]
        if not reason:
            if self._can_override():
                raise UserError(_(
                    "Serials of %(type)s are scanned, not typed: to type %(serial)s (a damaged "
                    "label), give a reason.", type=picking.picking_type_id.display_name,
                    serial=serial))
            raise UserError(_(
                "Serials of %(type)s are scanned, not typed: scan the label of %(serial)s, or "
                "ask an inventory manager to type it (a damaged label).",
                type=picking.picking_type_id.display_name, serial=serial))
        if not self._can_override():
            raise UserError(_("Only an inventory manager can type a serial that must be "
                              "scanned."))
        return reason

    @api.model
    def _scan_state_full(self, record):
        return self._scan_with_rules(record, self._scan_state(record))

    @api.model
    def _scan_with_rules(self, record, state):
        """The screen's state with the rules it follows (the typing form asks a manager for a
        reason when serials must be scanned)."""
        if isinstance(state, dict):
            state = dict(state, rules=self._scan_rules(record),
                         can_override=self._can_override())
        return state

    # ------------------------------------------------------------------
    # Hooks of the operations
    # ------------------------------------------------------------------
    @api.model
    def _scan_record(self, record_id):
        """The record scanned for (empty when ``record_id`` is False), checked readable and
        writable by the user; refused when it does not exist or belongs to another company."""
        record_id = self._clean_record_id(record_id)
        if not self._scan_model:
            return self.env["res.users"]
        record = self.env[self._scan_model].browse(record_id)
        if record_id and not record.exists():
            raise UserError(self._unreachable_message(record_id))
        try:
            # Scanning for a record writes to it (its lines, its state): write access.
            record.check_access("read")
            record.check_access("write")
        except AccessError as error:
            # The same answer as a missing record: ids of other companies' records are not
            # confirmed one by one to whoever tries them.
            raise UserError(self._unreachable_message(record_id)) from error
        return record

    @api.model
    def _unreachable_message(self, record_id):
        return _("%(what)s %(id)s does not exist, or it is not yours to scan for (another "
                 "company's).", what=self.env[self._scan_model]._description, id=record_id)

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
    def _scan_accepted(self, record, stored):
        """What an accepted scan writes once it is stored, not for a retry (``stored``: its
        logged values): an order's line. Evaluating only reads, so that a scan refused at the
        store (a serial another transaction held first) or retried changes nothing."""

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
