import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..lib.registry_service import RegistryStore, make_server
from .test_serial_recall import RecallCase


@tagged("post_install", "-at_install")
class TestSerialRegistry(RecallCase):
    """Against the real loopback SOAP service (lib/registry_service.py), over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls._authenticity_config(
            registry_enabled=True, registry_username="demo", registry_password="demo",
            registry_timeout=3)
        cls.Queue = cls.env["serial.registry.queue"]
        cls.Lot = cls.env["stock.lot"]

    def setUp(self):
        super().setUp()
        state_dir = tempfile.mkdtemp(prefix="serial-registry-")
        self.addCleanup(shutil.rmtree, state_dir, ignore_errors=True)
        self.db_path = Path(state_dir) / "registry.sqlite3"
        self.server = self._start_registry(0)
        self.port = self.server.server_address[1]
        self.config.registry_endpoint_url = self.server.url

    def _start_registry(self, port):
        server = make_server("127.0.0.1", port, self.db_path, "demo", "demo")
        server.start_in_thread()
        self.addCleanup(server.stop)
        return server

    def _restart_registry(self):
        """Start the registry again on the same port and the same state file."""
        self.server = self._start_registry(self.port)

    def _pending(self):
        return self.Queue.search([("company_id", "=", self.env.company.id),
                                  ("state", "=", "pending")])

    def _registry_knows(self, serial):
        return RegistryStore(self.db_path).verify(serial)

    def test_a_stopped_registry_never_blocks_work_and_loses_nothing(self):
        # Bulk generation: one queue entry for the whole batch.
        names = [f"REG-{number:04d}" for number in range(1, 301)]
        generated = self.Lot._serial_bulk_create(self.product, names)
        entry = self._pending()
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.operation, "register")
        self.assertEqual(entry.lot_ids, generated)
        self.assertEqual(entry.serial_count, 300)
        self.assertEqual(set(generated.mapped("serial_registry_state")), {"pending"})

        self.Queue._process_pending()
        self.assertEqual(entry.state, "done")
        self.assertEqual(set(generated.mapped("serial_registry_state")), {"registered"})
        self.assertEqual(self._registry_knows("REG-0300")["product_reference"], "RTP")

        # The registry goes down in the middle of the day.
        self.server.stop()
        received = self._receive(["REG-IN-1", "REG-IN-2", "REG-IN-3"])
        self.assertEqual(set(received.mapped("serial_registry_state")), {"pending"})
        delivery = self._deliver(received[:1], self.other_customer)
        self._return(delivery, received[0])
        later = self.Lot._serial_bulk_create(self.product, ["REG-0301", "REG-0302"])
        self.Queue._process_pending()
        queued = self._pending()
        self.assertEqual(sorted(queued.mapped("operation")), ["register", "register", "verify"])
        first = queued.sorted("id")[0]
        self.assertEqual(first.attempt_count, 1)
        self.assertIn("could not be reached", first.last_error)
        self.assertGreater(first.next_attempt, fields.Datetime.now())
        self.assertEqual(set((received | later).mapped("serial_registry_state")), {"pending"})
        self.assertIsNone(self._registry_knows("REG-IN-1"))
        # Not tried again before its time.
        self.Queue._process_pending()
        self.assertEqual(first.attempt_count, 1)

        # Back on the same state file; time passes and the scheduled action runs.
        self._restart_registry()
        queued.write({"next_attempt": fields.Datetime.now() - timedelta(minutes=1)})
        self.env.ref("serial_inventory.ir_cron_serial_registry_queue").method_direct_trigger()
        self.assertFalse(self._pending())
        self.assertEqual(set(queued.mapped("state")), {"done"})
        everything = generated | received | later
        self.assertEqual(set(everything.mapped("serial_registry_state")), {"registered"})
        for lot in everything:
            self.assertIsNotNone(self._registry_knows(lot.name), lot.name)
        # The returned unit was verified with the registry once it answered.
        verification = self.env["serial.verification"].search(
            [("lot_id", "=", received[0].id), ("source", "=", "return")])
        self.assertEqual((verification.result, verification.registry_status),
                         ("genuine", "genuine"))

    def test_strict_mode_blocks_with_a_clear_message(self):
        # A unit received from a third party the registry never heard of.
        self.config.registry_register_serials = False
        ghost = self._receive(["STRICT-GHOST"])
        self.assertEqual(ghost.serial_registry_state, "not_registered")
        self.config.registry_register_serials = True

        self.config.registry_strict = True
        self.server.stop()
        receipt = self._create_receipt([(self.product, 2)])
        for line, name in zip(receipt.move_line_ids, ["STRICT-1", "STRICT-2"], strict=True):
            line.lot_name = name
        with self.assertRefused(UserError, "Strict mode", "STRICT-1", "could not be reached"):
            receipt.button_validate()
        self.assertNotEqual(receipt.state, "done")
        self.assertFalse(self.Lot.search([("name", "=", "STRICT-1")]))

        self._restart_registry()
        self._validate(receipt)
        lots = receipt.move_line_ids.lot_id
        self.assertEqual(set(lots.mapped("serial_registry_state")), {"registered"})
        self.assertIsNotNone(self._registry_knows("STRICT-2"))

        # The unknown unit comes back from a customer: refused, naming it.
        delivery = self._deliver(ghost, self.other_customer)
        with self.assertRefused(UserError, "STRICT-GHOST", "unknown"):
            self._return(delivery, ghost)
        # A unit reported stolen in the registry is refused too.
        stolen = lots[:1]
        RegistryStore(self.db_path).report_stolen(stolen.name, "Lorry hijacked")
        delivery = self._deliver(stolen, self.other_customer)
        with self.assertRefused(UserError, stolen.name, "stolen"):
            self._return(delivery, stolen)
        # A genuine one is accepted, and the check is logged.
        genuine = lots[1:]
        delivery = self._deliver(genuine, self.other_customer)
        self._return(delivery, genuine)
        logged = self.env["serial.verification"].search([("lot_id", "=", genuine.id)])
        self.assertEqual((logged.source, logged.registry_status), ("return", "genuine"))

    def test_recall_stolen_and_verification_screen_use_the_registry(self):
        lots = self.Lot._serial_bulk_create(self.product, ["REG-R1", "REG-R2", "REG-R3"])
        self.Queue._process_pending()
        recall = self._recall(lots[:2], "Cracked casing")
        recall.action_open()
        lots[2].with_context(serial_stolen_note="Shop lifting").action_serial_report_stolen()
        self.assertEqual(sorted(self._pending().mapped("operation")), ["recall", "stolen"])
        self.Queue._process_pending()
        self.assertFalse(self._pending())
        self.assertEqual(self._registry_knows("REG-R1")["status"], "recalled")
        self.assertEqual(self._registry_knows("REG-R1")["recall_reason"], "Cracked casing")
        self.assertEqual(self._registry_knows("REG-R3")["status"], "stolen")

        # The screen asks the registry too: a serial only the registry knows is genuine.
        RegistryStore(self.db_path).register(
            [{"serial": "ELSEWHERE-1", "product_reference": "RTP", "manufacture_date": None,
              "batch": None}], registered_by="demo")
        shown = self.env["serial.verification"].action_verify_code("ELSEWHERE-1")
        self.assertEqual((shown["result"], shown["registry_status"]), ("genuine", "genuine"))
        # With the registry down, the screen still answers from what it knows.
        self.server.stop()
        shown = self.env["serial.verification"].action_verify_code("REG-R2")
        self.assertEqual((shown["result"], shown["registry_status"]),
                         ("recalled", "unavailable"))
        self._restart_registry()

    def test_wrong_credentials_are_kept_for_a_retry(self):
        self.config.registry_password = "wrong"
        lots = self.Lot._serial_bulk_create(self.product, ["REG-W1"])
        entry = self._pending()
        self.Queue._process_pending()
        self.assertEqual(entry.state, "error")
        self.assertIn("Authentication failed", entry.last_error)
        self.assertEqual(lots.serial_registry_state, "pending")
        self.config.registry_password = "demo"
        entry.action_retry()
        self.assertEqual(entry.state, "done")
        self.assertEqual(lots.serial_registry_state, "registered")

    def test_registration_costs_generation_the_same_for_10_or_2000_serials(self):
        self.server.stop()  # not even reachable: generation never waits for it

        def generate(prefix, count):
            before = self.env.cr.sql_log_count
            lots = self.Lot._serial_bulk_create(
                self.product, [f"{prefix}-{number:05d}" for number in range(count)])
            self.env.flush_all()
            return lots, self.env.cr.sql_log_count - before

        def registry_cost(prefix, count):
            """Queries of a generation with registration, less those without it."""
            self.config.registry_register_serials = False
            _lots, without = generate(prefix + "-OFF", count)
            self.config.registry_register_serials = True
            lots, with_registry = generate(prefix, count)
            return lots, with_registry - without

        generate("WARM", 3)
        small, small_cost = registry_cost("SMALL", 10)
        large, large_cost = registry_cost("LARGE", 2000)
        # The ORM reads and writes the lots' registry state per batch of records, never
        # per serial: 1,990 more serials cost a few dozen queries, not thousands.
        self.assertLess(large_cost - small_cost, 100)
        entries = self._pending()
        self.assertEqual(len(entries), 3)  # one per call, whatever the number of serials
        self.assertEqual(sorted(entries.mapped("serial_count")), [3, 10, 2000])
        self.assertEqual(set(large.mapped("serial_registry_state")), {"pending"})
        self.assertEqual(large.serial_registry_queue_id, entries.sorted("id")[-1])

    def test_an_endpoint_that_can_never_work_is_refused_when_saved(self):
        for url, fragment in (
            ("http://127.0.0.1:1/%%%", "%%% is not a valid percent escape"),
            ("ftp://x", "not ftp"),
            ("javascript:alert(1)", "not javascript"),
            ("http://[::1", "cannot be read as an address"),
            ("http://127.0.0.1:99999/serial-registry", "port 99999 is not a number"),
            ("http://registry.example.com/\x00", "contains \\x00"),
            ("http://user:secret@registry.example.com/", "in their own fields"),
        ):
            with self.assertChangesNothing(("serial_authenticity_config",)), \
                    self.assertRefused(ValidationError, "The registry endpoint", fragment):
                self.config.registry_endpoint_url = url
            self.assertEqual(self.config.registry_endpoint_url, self.server.url, url)
        self.config.registry_endpoint_url = "https://registry.example.com:8443/serial-registry"

    def test_an_unusable_endpoint_stored_earlier_fails_for_good_not_retried(self):
        for url in ("http://127.0.0.1:1/%%%", "http://[::1"):
            # As stored by a version that did not check addresses on saving.
            self.env.flush_all()
            self.env.cr.execute("UPDATE serial_authenticity_config SET registry_endpoint_url"
                                " = %s WHERE id = %s", (url, self.config.id))
            self.config.invalidate_recordset()
            lots = self.Lot._serial_bulk_create(self.product, [f"BAD-URL-{len(url)}"])
            entry = self._pending()
            self.Queue._process_pending(ignore_schedule=True)
            self.assertEqual((entry.state, entry.attempt_count), ("error", 1), url)
            self.assertIn(f"The registry endpoint {url} cannot be used", entry.last_error)
            self.assertIn("Correct it in the authenticity settings", entry.last_error)
            self.assertEqual(lots.serial_registry_state, "pending")
            # Not an outage: the scheduled action does not send it again.
            self.Queue._process_pending(ignore_schedule=True)
            self.assertEqual(entry.attempt_count, 1)
            with self.assertRefused(UserError, f"The registry endpoint {url} cannot be used"):
                self.config.action_test_registry()
        self.assertIsNone(self._registry_knows("BAD-URL-22"))
