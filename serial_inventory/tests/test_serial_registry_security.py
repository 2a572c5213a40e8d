import json
import shutil
import tempfile
from pathlib import Path

from odoo import Command
from odoo.tests import HttpCase, tagged

from ..lib.registry_service import make_server
from .common import stored_rows
from .test_serial_recall import RecallCase

REGISTRY_TABLES = ("serial_registry_queue", "stock_lot")


@tagged("post_install", "-at_install")
class TestSerialRegistrySecurity(HttpCase, RecallCase):
    """Registry buttons called over RPC by real users of two companies, so that Odoo's access
    rights and record rules apply as in production. Each company has its own real loopback
    SOAP registry, which records what it receives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Registry Company B"})
        cls.Queue = cls.env["serial.registry.queue"]
        cls.Lot = cls.env["stock.lot"]

    def setUp(self):
        super().setUp()
        state_dir = Path(tempfile.mkdtemp(prefix="serial-registry-security-"))
        self.addCleanup(shutil.rmtree, state_dir, ignore_errors=True)
        self.registry_a = self._start_registry(state_dir / "a.sqlite3", "a-user", "a-secret")
        self.registry_b = self._start_registry(state_dir / "b.sqlite3", "b-user", "b-secret")
        self.config_a = self._authenticity_config(
            self.company_a, registry_enabled=True, registry_endpoint_url=self.registry_a.url,
            registry_username="a-user", registry_password="a-secret", registry_timeout=3)
        self.config_b = self._authenticity_config(
            self.company_b, registry_enabled=True, registry_endpoint_url=self.registry_b.url,
            registry_username="b-user", registry_password="b-secret", registry_timeout=3)
        stock_user = self.env.ref("stock.group_stock_user")
        stock_manager = self.env.ref("stock.group_stock_manager")
        lots_group = self.env.ref("stock.group_production_lot")
        self.user_a = self._user("registry_user_a", self.company_a, stock_user | lots_group)
        self.manager_a = self._user("registry_manager_a", self.company_a,
                                    stock_manager | lots_group)
        self.manager_b = self._user("registry_manager_b", self.company_b,
                                    stock_manager | lots_group)
        # Company B's serials wait in B's queue for B's registry.
        self.lots_b = self.Lot.create([
            {"name": f"SEC-B{number}", "product_id": self.product.id,
             "company_id": self.company_b.id} for number in (1, 2)])
        self.entry_b = self.lots_b.serial_registry_queue_id
        self.assertEqual((len(self.entry_b), self.entry_b.state), (1, "pending"))

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _start_registry(self, db_path, user, password):
        server = make_server("127.0.0.1", 0, db_path, user, password)
        received = server.received = []

        class RecordingHandler(server.RequestHandlerClass):
            def do_POST(self):
                received.append(self.path)
                return super().do_POST()

        # The real service, only noting each SOAP call it is sent.
        server.RequestHandlerClass = RecordingHandler
        server.start_in_thread()
        self.addCleanup(server.stop)
        return server

    def _user(self, login, company, groups):
        return self.env["res.users"].create({
            "name": login.replace("_", " ").title(), "login": login, "password": login * 2,
            "company_id": company.id, "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set(groups.ids)],
        })

    def _call(self, user, model, method, first, *args, company=None):
        """call_kw over HTTP in ``user``'s session (``first``: the ids, or a model
        method's first argument): the JSON answer, with its result or its error."""
        self.authenticate(user.login, user.login * 2)
        company = company or user.company_id
        response = self.url_open("/web/dataset/call_kw", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": model, "method": method, "args": [first, *args], "kwargs": {
                    "context": {"allowed_company_ids": company.ids}}},
        }), headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        self.env.invalidate_all()
        return answer

    def assertRefusedOverRpc(self, answer, *fragments):
        self.assertIn("error", answer, f"not refused: {answer}")
        error = answer["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.AccessError", error)
        for fragment in fragments:
            self.assertIn(fragment, error["message"])
        # No traceback of ours, and nothing of company B's registry, in what the user sees.
        shown = json.dumps(answer)
        for secret in (self.registry_b.url, str(self.registry_b.server_address[1]), "b-secret",
                       "b-user"):
            self.assertNotIn(secret, shown)

    def _registry_rows(self):
        """Every stored column of the queue and of the lots' registry state: a refused call
        changes none of them (write dates alone would not show a change within the test's
        transaction, whose clock stands still)."""
        self.env.flush_all()
        return (stored_rows(self.env.cr, "SELECT * FROM serial_registry_queue"),
                stored_rows(self.env.cr, "SELECT id, serial_registry_state, "
                            "serial_registry_queue_id, serial_registry_message FROM stock_lot"))

    def assertNothingChangedBy(self, call):
        before = self._registry_rows()
        with self.assertChangesNothing(REGISTRY_TABLES):
            answer = call()
        self.assertEqual(self._registry_rows(), before)
        return answer

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_test_connection_is_for_the_manager_of_the_settings_company(self):
        for user, fragments in (
            (self.user_a, ("Test the connection", "only inventory managers",
                           "Registry User A")),
            (self.manager_a, ("Test the connection", "another company",
                              self.company_a.name)),
        ):
            answer = self.assertNothingChangedBy(lambda user=user: self._call(
                user, "serial.authenticity.config", "action_test_registry", [self.config_b.id]))
            self.assertRefusedOverRpc(answer, *fragments)
        # A plain user of A may not test A's registry either.
        answer = self._call(self.user_a, "serial.authenticity.config", "action_test_registry",
                            [self.config_a.id])
        self.assertRefusedOverRpc(answer, "Test the connection", "only inventory managers")
        self.assertEqual((self.registry_a.received, self.registry_b.received), ([], []))

        # B's manager tests B's registry: B's registry is asked, once.
        answer = self._call(self.manager_b, "serial.authenticity.config",
                            "action_test_registry", [self.config_b.id])
        self.assertEqual(answer["result"]["params"]["type"], "success", answer)
        self.assertEqual((len(self.registry_a.received), len(self.registry_b.received)), (0, 1))

    def test_plain_users_and_other_companies_cannot_read_the_registry_settings(self):
        secret_fields = ["registry_endpoint_url", "registry_password", "registry_username",
                         "registry_wsdl_url"]
        for user, config in ((self.user_a, self.config_a),  # fields for managers only
                             (self.manager_a, self.config_b)):  # B's record
            answer = self._call(user, "serial.authenticity.config", "read", [config.id],
                                secret_fields)
            self.assertRefusedOverRpc(answer)
        # What a plain user may read of A's settings leaves the credentials out.
        answer = self._call(self.user_a, "serial.authenticity.config", "search_read", [],
                            [], company=self.company_a)
        [values] = answer["result"]
        self.assertEqual(values["id"], self.config_a.id)
        self.assertNotIn("registry_password", values)
        self.assertNotIn("a-secret", json.dumps(values))
        self.assertNotIn(self.registry_a.url, json.dumps(values))
        # B's settings and queue are invisible to A's manager, who sees A's.
        self.Lot.create({"name": "SEC-A-QUEUED", "product_id": self.product.id})
        for model, foreign in (("serial.authenticity.config", self.config_b),
                               ("serial.registry.queue", self.entry_b)):
            answer = self._call(self.manager_a, model, "search_read", [], ["company_id"])
            self.assertEqual({row["company_id"][0] for row in answer["result"]},
                             {self.company_a.id}, model)
            self.assertRefusedOverRpc(self._call(self.manager_a, model, "read", foreign.ids,
                                                 ["company_id"]))
        # The queue is no business of a plain user's at all.
        self.assertRefusedOverRpc(self._call(self.user_a, "serial.registry.queue",
                                             "search_read", [], ["company_id"]))
        answer = self._call(self.manager_b, "serial.authenticity.config", "read",
                            [self.config_b.id], ["registry_endpoint_url"])
        self.assertEqual(answer["result"][0]["registry_endpoint_url"], self.registry_b.url)

    def test_send_now_is_for_the_manager_of_the_entry_company(self):
        for user, fragments in (
            (self.user_a, ("Send now", "only inventory managers")),
            (self.manager_a, ("Send now", "another company")),
        ):
            answer = self.assertNothingChangedBy(lambda user=user: self._call(
                user, "serial.registry.queue", "action_retry", [self.entry_b.id]))
            self.assertRefusedOverRpc(answer, *fragments)
        self.assertEqual(self.registry_b.received, [])
        self.assertEqual(set(self.lots_b.mapped("serial_registry_state")), {"pending"})

        answer = self._call(self.manager_b, "serial.registry.queue", "action_retry",
                            [self.entry_b.id])
        self.assertIs(answer.get("result"), True, answer)
        self.assertEqual(self.entry_b.state, "done")
        self.assertEqual(set(self.lots_b.mapped("serial_registry_state")), {"registered"})
        self.assertEqual(len(self.registry_b.received), 1)

    def test_registering_existing_serials_is_for_managers(self):
        self.config_a.registry_register_serials = False
        unregistered = self.Lot.create([
            {"name": f"SEC-A{number}", "product_id": self.product.id} for number in range(5)])
        self.assertEqual(set(unregistered.mapped("serial_registry_state")),
                         {"not_registered"})
        for user, model, method, ids, fragments in (
            (self.user_a, "serial.authenticity.config", "action_register_existing",
             self.config_a.ids, ("Register existing serials", "only inventory managers")),
            (self.manager_a, "serial.authenticity.config", "action_register_existing",
             self.config_b.ids, ("Register existing serials", "another company")),
            (self.user_a, "stock.lot", "action_serial_register", unregistered.ids,
             ("Register with the registry", "only inventory managers")),
        ):
            answer = self.assertNothingChangedBy(
                lambda user=user, model=model, method=method, ids=ids: self._call(
                    user, model, method, ids))
            self.assertRefusedOverRpc(answer, *fragments)
        # Reporting units stolen tells the registry: a manager's action too.
        answer = self.assertNothingChangedBy(lambda: self._call(
            self.user_a, "stock.lot", "action_serial_report_stolen", unregistered[:1].ids))
        self.assertRefusedOverRpc(answer, "Report stolen", "only inventory managers")
        self.assertFalse(unregistered[0].serial_stolen)

        answer = self._call(self.manager_a, "serial.authenticity.config",
                            "action_register_existing", [self.config_a.id])
        self.assertIn("result", answer, answer)
        self.assertEqual(set(unregistered.mapped("serial_registry_state")), {"pending"})
        self.assertEqual((self.registry_a.received, self.registry_b.received), ([], []))

    def test_a_plain_user_still_queues_registrations_that_the_scheduled_action_sends(self):
        answer = self._call(self.user_a, "stock.lot", "create",
                            {"name": "SEC-PLAIN-1", "product_id": self.product.id})
        self.assertIn("result", answer, answer)
        lot = self.Lot.browse(answer["result"])
        # A shared product's serial belongs to no company (as in Odoo); the company
        # creating it registers it.
        self.assertFalse(lot.company_id)
        self.assertEqual(lot.serial_registry_state, "pending")
        self.assertEqual(lot.serial_registry_queue_id.company_id, self.company_a)
        # The lot's form reads, registry fields included, without access to the queue.
        answer = self._call(self.user_a, "stock.lot", "web_read", lot.ids, {
            "name": {}, "serial_registry_state": {}, "serial_registry_message": {},
            "serial_registry_queue_id": {"fields": {"display_name": {}}}})
        self.assertEqual(answer["result"][0]["serial_registry_state"], "pending", answer)

        # The scheduled action (as its own user) sends A's entry to A's registry, B's to B's.
        self.env.ref("serial_inventory.ir_cron_serial_registry_queue").method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(lot.serial_registry_state, "registered")
        self.assertEqual(set(self.lots_b.mapped("serial_registry_state")), {"registered"})
        self.assertEqual((len(self.registry_a.received), len(self.registry_b.received)), (1, 1))

    def test_serials_of_no_company_are_registered_by_the_company_creating_them(self):
        lots = self.Lot._serial_bulk_create(self.product, ["SEC-NC-1", "SEC-NC-2"],
                                            company=self.company_b)
        self.assertFalse(lots.company_id)  # a shared product's serials, as in Odoo
        self.assertEqual(lots.serial_registry_queue_id.company_id, self.company_b)
        lot = self.Lot.create({"name": "SEC-NC-3", "product_id": self.product.id})
        self.assertEqual(lot.serial_registry_queue_id.company_id, self.env.company)

    def test_over_jsonrpc_with_login_and_password(self):
        """The external API (/jsonrpc execute_kw) checks the password and applies the same
        refusals."""
        def execute_kw(user, password, model, method, ids):
            response = self.url_open("/jsonrpc", data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "service": "object", "method": "execute_kw",
                    "args": [self.env.cr.dbname, user.id, password, model, method, [ids]]},
            }), headers={"Content-Type": "application/json"})
            self.env.invalidate_all()
            return response.json()

        answer = execute_kw(self.user_a, "wrong password", "serial.registry.queue",
                            "action_retry", self.entry_b.ids)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessDenied")
        answer = self.assertNothingChangedBy(lambda: execute_kw(
            self.user_a, "registry_user_aregistry_user_a", "serial.registry.queue",
            "action_retry", self.entry_b.ids))
        self.assertRefusedOverRpc(answer, "Send now", "only inventory managers")
        answer = self.assertNothingChangedBy(lambda: execute_kw(
            self.manager_a, "registry_manager_aregistry_manager_a",
            "serial.authenticity.config", "action_test_registry", self.config_b.ids))
        self.assertRefusedOverRpc(answer, "Test the connection", "another company")
        self.assertEqual(self.registry_b.received, [])
