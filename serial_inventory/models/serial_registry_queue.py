import logging
import threading
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.registry_client import RegistryError, RegistryRejected, RegistryUnavailable

_logger = logging.getLogger(__name__)

# Serials read and sent per registry call (the WSDL caps a list at 1000).
CHUNK = 1000
# Minutes before the n-th retry of an entry the registry could not take.
RETRY_DELAYS = (1, 5, 15, 60)


class SerialRegistryQueue(models.Model):
    """Calls to the central registry waiting to be made, one entry per operation.

    Warehouse work never waits for the registry: it writes an entry here (one per batch of
    serials, however large) and the scheduled action sends it. An entry the registry could
    not take stays pending and is tried again later; nothing is dropped. Registration
    entries own their serials through stock.lot.serial_registry_queue_id, so that the
    bulk serial generation fills them without a row per serial here.
    """

    _name = "serial.registry.queue"
    _description = "Serial Registry Queue"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    operation = fields.Selection(
        [("register", "Register serials"), ("verify", "Verify incoming serials"),
         ("recall", "Report a recall"), ("stolen", "Report stolen units")],
        required=True, readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("error", "Refused")],
        default="pending", required=True, readonly=True, index=True,
        help="Pending: waits for the registry (tried again automatically). Refused: the "
        "registry refused the request itself (credentials, contract); fix the settings and "
        "retry.")
    lot_ids = fields.One2many("stock.lot", "serial_registry_queue_id", string="Serials")
    payload = fields.Json(readonly=True, help="Technical: what to send, besides lot_ids.")
    recall_id = fields.Many2one("serial.recall", readonly=True, ondelete="cascade")
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True,
                                 ondelete="set null")
    serial_count = fields.Integer("Number of serials", compute="_compute_serial_count")
    attempt_count = fields.Integer("Attempts", readonly=True)
    next_attempt = fields.Datetime(readonly=True)
    last_error = fields.Text(readonly=True)
    date_done = fields.Datetime(readonly=True)

    def _compute_serial_count(self):
        registered = dict(self.env["stock.lot"].sudo()._read_group(
            [("serial_registry_queue_id", "in", self.ids)],
            ["serial_registry_queue_id"], ["__count"]))
        for entry in self:
            if entry.operation == "register":
                entry.serial_count = registered.get(entry, 0)
            elif entry.operation == "recall":
                entry.serial_count = len(entry.recall_id.line_ids)
            else:
                entry.serial_count = len((entry.payload or {}).get("lot_ids", []))

    @api.depends("operation", "company_id")
    def _compute_display_name(self):
        labels = dict(self._fields["operation"]._description_selection(self.env))
        for entry in self:
            entry.display_name = f"{labels.get(entry.operation, '')} #{entry.id or ''}"

    # ------------------------------------------------------------------
    # Enqueueing (called from warehouse work: must stay cheap)
    # ------------------------------------------------------------------
    @api.model
    def _enqueue_registration(self, lots, force=False):
        """Queue the registration of ``lots``: one entry per company, whatever their number.

        ``force``: also when the company does not register new serials automatically; that
        is an inventory manager's action (a warehouse user's lots are queued unforced).
        """
        if force:
            self.env["serial.authenticity.config"]._check_registry_user(
                _("Register with the registry"), lots.sudo()._serial_acting_companies())
        configs = self.env["serial.authenticity.config"]._registry_configs(
            lots._serial_acting_companies())
        lots = lots.filtered(lambda lot: lot._serial_acting_company().id in configs
                             and lot.product_id.tracking == "serial")
        if not lots:
            return self
        entries = self
        for company, company_lots in lots._serial_grouped_by_company().items():
            config = configs.get(company.id)
            if not config or not (force or config.registry_register_serials):
                continue
            entry = self.sudo().create({"operation": "register", "company_id": company.id})
            company_lots.sudo().write({"serial_registry_state": "pending",
                                       "serial_registry_queue_id": entry.id,
                                       "serial_registry_message": False})
            entries |= entry
        entries._trigger_sending()
        return entries

    @api.model
    def _enqueue_verification(self, lots, source, picking=None):
        configs = self.env["serial.authenticity.config"]._registry_configs(
            lots._serial_acting_companies())
        entries = self
        for company, company_lots in lots._serial_grouped_by_company().items():
            if company.id in configs and configs[company.id].registry_verify_incoming:
                entries |= self.sudo().create({
                    "operation": "verify", "company_id": company.id,
                    "picking_id": picking.id if picking else False,
                    "payload": {"lot_ids": company_lots.ids, "source": source},
                })
        entries._trigger_sending()
        return entries

    @api.model
    def _enqueue_recall(self, recall):
        if recall.company_id.id not in self.env["serial.authenticity.config"]._registry_configs(
                recall.company_id):
            return self
        entry = self.sudo().create({"operation": "recall", "company_id": recall.company_id.id,
                                    "recall_id": recall.id})
        entry._trigger_sending()
        return entry

    @api.model
    def _enqueue_stolen(self, lots, note):
        self.env["serial.authenticity.config"]._check_registry_user(
            _("Report stolen"), lots.sudo()._serial_acting_companies())
        configs = self.env["serial.authenticity.config"]._registry_configs(
            lots._serial_acting_companies())
        entries = self
        for company, company_lots in lots._serial_grouped_by_company().items():
            if company.id in configs:
                entries |= self.sudo().create({
                    "operation": "stolen", "company_id": company.id,
                    "payload": {"lot_ids": company_lots.ids, "note": note or ""},
                })
        entries._trigger_sending()
        return entries

    def _trigger_sending(self):
        """Have the scheduled action run soon after this transaction commits."""
        if self:
            cron = self.env.ref("serial_inventory.ir_cron_serial_registry_queue",
                                raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _cron_process_queue(self):
        commit = not getattr(threading.current_thread(), "testing", False)
        self._process_pending(commit=commit)

    @api.model
    def _process_pending(self, ignore_schedule=False, commit=False, limit=None):
        """Send the pending entries; return them. ``commit``: after each step (cron)."""
        domain = [("state", "=", "pending")]
        if not ignore_schedule:
            domain += ["|", ("next_attempt", "=", False),
                       ("next_attempt", "<=", fields.Datetime.now())]
        entries = self.sudo().search(domain, order="id", limit=limit)
        entries._send_entries(commit=commit)
        return entries

    def _send_entries(self, commit=False):
        unreachable = set()
        for entry in self.sorted("id"):
            if entry.company_id.id in unreachable or not entry._lock():
                continue
            if not entry._send(commit=commit):
                # The registry is down: the company's other entries wait for the next run.
                unreachable.add(entry.company_id.id)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    def _lock(self):
        """Lock the entry for this transaction; False when another worker sends it."""
        self.env.cr.execute(
            "SELECT id FROM serial_registry_queue WHERE id = %s AND state = 'pending' "
            "FOR UPDATE SKIP LOCKED", (self.id,))
        return bool(self.env.cr.fetchone())

    def _send(self, commit=False):
        """Send one entry. False when the registry could not be reached."""
        self.ensure_one()
        config = self.env["serial.authenticity.config"]._for_company(self.company_id)
        if not config.registry_enabled:
            self._fail_refused(_("The company no longer uses the central registry."))
            return True
        try:
            with config._registry_client() as client:
                getattr(self, f"_send_{self.operation}")(client, commit=commit)
        except RegistryUnavailable as error:
            self._postpone(str(error))
            return False
        except (RegistryRejected, ValueError, UserError) as error:
            self._fail_refused(str(error))
            return True
        self.write({"state": "done", "date_done": fields.Datetime.now(), "last_error": False})
        return True

    def _postpone(self, message):
        delay = RETRY_DELAYS[min(self.attempt_count, len(RETRY_DELAYS) - 1)]
        self.write({
            "attempt_count": self.attempt_count + 1,
            "last_error": message,
            "next_attempt": fields.Datetime.now() + timedelta(minutes=delay),
        })
        _logger.info("Registry entry %s postponed: %s", self.id, message)

    def _fail_refused(self, message):
        self.write({"state": "error", "attempt_count": self.attempt_count + 1,
                    "last_error": message})
        _logger.info("Registry entry %s refused: %s", self.id, message)

    def _send_register(self, client, commit=False):
        lots = self.env["stock.lot"].sudo()
        while True:
            chunk = lots.search([("serial_registry_queue_id", "=", self.id),
                                 ("serial_registry_state", "=", "pending")],
                                order="id", limit=CHUNK)
            if not chunk:
                return
            self._apply_registration(chunk, client.register_serials(self._units(chunk)))
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    def _send_verify(self, client, commit=False):
        payload = dict(self.payload or {})
        done = set(payload.get("verified", []))
        lots = self.env["stock.lot"].sudo().browse(payload.get("lot_ids", [])).exists()
        Verification = self.env["serial.verification"].sudo()
        try:
            for lot in lots.filtered(lambda lot: lot.id not in done):
                answer = client.verify_serial(lot.name)
                Verification._log_registry_answer(
                    lot, answer, payload.get("source") or "receipt", self.picking_id)
                done.add(lot.id)
        finally:
            self.payload = {**payload, "verified": sorted(done)}

    def _send_recall(self, client, commit=False):
        recall = self.recall_id.sudo()
        client.report_recall(recall.line_ids.lot_id.mapped("name"), recall.reason)

    def _send_stolen(self, client, commit=False):
        payload = self.payload or {}
        for lot in self.env["stock.lot"].sudo().browse(payload.get("lot_ids", [])).exists():
            client.report_stolen(lot.name, payload.get("note") or None)

    # ------------------------------------------------------------------
    # Registration, shared by the queue and strict mode
    # ------------------------------------------------------------------
    @api.model
    def _units(self, lots):
        """The registry's view of ``lots``: serial, product reference, date, batch."""
        return [{
            "serial": lot.name,
            "product_reference": (lot.product_id.barcode or lot.product_id.default_code
                                  or lot.product_id.name)[:64],
            "manufacture_date": lot.manufacture_date or lot.serial_batch_id.manufacture_date,
            "batch": lot.serial_batch_id.name or None,
        } for lot in lots]

    @api.model
    def _apply_registration(self, lots, statuses):
        """Store the registry's answer on ``lots``, one write per kind of answer."""
        messages = {
            "accepted": False,
            "duplicate": _("Already registered for another product: possibly a counterfeit."),
            "rejected": _("Refused by the registry (invalid serial, product or date)."),
            None: _("The registry did not answer for this serial."),
        }
        by_status = {}
        for lot in lots:
            status = statuses.get(lot.name)
            by_status.setdefault(status if status in messages else "rejected", []).append(lot.id)
        for status, lot_ids in by_status.items():
            lots.browse(lot_ids).sudo().write({
                "serial_registry_state": "registered" if status == "accepted" else "rejected",
                "serial_registry_message": messages[status],
            })
        rejected = lots.filtered(lambda lot: lot.serial_registry_state == "rejected")
        if rejected:
            notes = {}
            for lot in rejected:  # a loop: _() reads its caller's frame
                notes[lot.id] = Markup("%s") % _("Registry: %s", lot.serial_registry_message)
            rejected._message_log_batch(notes)

    @api.model
    def _register_now(self, lots, config):
        """Strict mode: register ``lots`` before going on, or refuse with a clear message."""
        try:
            with config._registry_client() as client:
                for start in range(0, len(lots), CHUNK):
                    chunk = lots[start:start + CHUNK]
                    self._apply_registration(chunk, client.register_serials(self._units(chunk)))
        except (RegistryError, ValueError) as error:
            raise UserError(_(
                "Strict mode: serials %(serials)s must be registered with the central "
                "registry before the operation is validated, and the registry could not "
                "register them: %(error)s",
                serials=", ".join(lots[:10].mapped("name")), error=error)) from error
        rejected = lots.filtered(lambda lot: lot.serial_registry_state == "rejected")
        if rejected:
            raise UserError(_(
                "Strict mode: the central registry refused these serials:\n%s",
                "\n".join(f" - {lot.name}: {lot.serial_registry_message}"
                          for lot in rejected[:20])))

    @api.model
    def _action_open_queue(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory.action_serial_registry_queue")
        action["context"] = {"search_default_pending": 1}
        return action

    def action_retry(self):
        """Send again now (also an entry the registry refused, once the settings are fixed)."""
        self.env["serial.authenticity.config"]._check_registry_user(
            _("Send now"), self.sudo().company_id)
        self.check_access("write")
        entries = self.sudo().filtered(lambda entry: entry.state != "done")
        entries.write({"state": "pending", "next_attempt": False})
        entries._send_entries()
        return True
