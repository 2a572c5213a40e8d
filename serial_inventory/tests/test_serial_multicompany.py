from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_serial_recall import RecallCase


@tagged("post_install", "-at_install")
class TestSerialMultiCompany(RecallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Serial Company B"})
        stock_user = cls.env.ref("stock.group_stock_user")
        stock_manager = cls.env.ref("stock.group_stock_manager")
        cls.user_b = cls.env["res.users"].create({
            "name": "Manager of B", "login": "serial_manager_b",
            "company_id": cls.company_b.id, "company_ids": [Command.set(cls.company_b.ids)],
            "groups_id": [Command.set([stock_manager.id,
                                       cls.env.ref("stock.group_production_lot").id])],
        })
        cls.warehouse_user = cls.env["res.users"].create({
            "name": "Warehouse user of A", "login": "serial_warehouse_a",
            "company_id": cls.company_a.id, "company_ids": [Command.set(cls.company_a.ids)],
            "groups_id": [Command.set([stock_user.id])],
        })
        cls.manager_a = cls.env["res.users"].create({
            "name": "Manager of A", "login": "serial_manager_a",
            "company_id": cls.company_a.id, "company_ids": [Command.set(cls.company_a.ids)],
            "groups_id": [Command.set([stock_manager.id])],
        })
        cls.config = cls._authenticity_config(
            cls.company_a, registry_endpoint_url="http://127.0.0.1:9/serial-registry",
            registry_username="company-a", registry_password="s3cret-of-a")

    def test_company_b_sees_nothing_of_company_a(self):
        # A's own product: its serials are A's. (Those of a product shared by all companies
        # belong to none, as in Odoo: test_shared_product_serial_belongs_to_no_company.)
        self.product.product_tmpl_id.company_id = self.company_a
        lots = self._receive(["MC-A1", "MC-A2"])
        self.assertEqual(lots.company_id, self.company_a)
        self._deliver(lots[1], self.other_customer)
        recall = self._recall(lots)
        recall.action_open()
        verification = self.env["serial.verification"]._verify("MC-A1")
        self.env["serial.registry.queue"].create(
            {"operation": "register", "company_id": self.company_a.id})

        env_b = self.env(user=self.user_b, context={"allowed_company_ids": self.company_b.ids})
        for model, records in (
            ("stock.lot", lots),
            ("serial.recall", recall),
            ("serial.recall.line", recall.line_ids),
            ("serial.verification", verification),
            ("serial.registry.queue", self.env["serial.registry.queue"].search([])),
            ("serial.authenticity.config", self.config),
        ):
            self.assertTrue(records, model)
            self.assertFalse(env_b[model].search([("id", "in", records.ids)]), model)
            with self.assertRaises(AccessError, msg=model):
                env_b[model].browse(records.ids).read(["display_name"])
        self.assertFalse(env_b["serial.valuation.report"].search([]))

        # B verifying A's serial finds nothing, and its log stays in B.
        shown = env_b["serial.verification"].action_verify_code("MC-A1")
        self.assertEqual(shown["result"], "unknown")
        logged = env_b["serial.verification"].browse(shown["id"])
        self.assertEqual(logged.company_id, self.company_b)
        self.assertNotIn(logged, self.env["serial.verification"].with_user(
            self.manager_a).search([]))
        self.assertIn(verification, self.env["serial.verification"].with_user(
            self.manager_a).search([]))

        # A recall of B cannot take A's serials.
        recall_b = env_b["serial.recall"].create({"reason": "B's own recall"})
        self.assertEqual(recall_b.company_id, self.company_b)
        with self.assertRaises(UserError):  # an AccessError is a UserError
            env_b["serial.recall"].create({
                "reason": "Foreign", "line_ids": [Command.create({"lot_id": lots[0].id})]})

    def test_warehouse_user_cannot_read_registry_credentials(self):
        config = self.config.with_user(self.warehouse_user)
        for field in ("registry_password", "registry_username", "registry_endpoint_url",
                      "registry_wsdl_url"):
            with self.assertRaises(AccessError, msg=field):
                config.read([field])
            self.assertNotIn(field, config.fields_get())
        # Reading "everything" leaves the credentials out; the harmless flags stay readable.
        [values] = config.search_read([("id", "=", config.id)])
        self.assertNotIn("registry_password", values)
        self.assertNotIn("s3cret-of-a", str(values))
        self.assertIn("registry_strict", values)
        with self.assertRaises(AccessError):
            config.write({"registry_strict": True})
        # The inventory manager reads and changes them.
        managed = self.config.with_user(self.manager_a)
        self.assertEqual(managed.registry_password, "s3cret-of-a")
        managed.registry_password = "new-secret"
        self.assertEqual(self.config.registry_password, "new-secret")

    def test_shared_product_keeps_each_company_lot(self):
        """A product shared by all companies, lot-tracked, then switched to serials by a
        user of company A: company B's existing lot stays in company B."""
        product = self.env["product.product"].create({
            "name": "Shared by all companies", "is_storable": True, "tracking": "lot",
            "company_id": False})
        lot_b = self.env["stock.lot"].with_company(self.company_b).create({
            "name": "SHARED-B1", "product_id": product.id, "company_id": self.company_b.id})
        self.env.flush_all()
        product.with_company(self.company_a).tracking = "serial"
        self.env.flush_all()
        lot_b.invalidate_recordset()
        self.assertEqual(lot_b.company_id, self.company_b)
        # A lot created afterwards by a user of A belongs to no company, as Odoo leaves the
        # lots of a shared product; B's lot still stays B's.
        lot_a = self.env["stock.lot"].with_company(self.company_a).create({
            "name": "SHARED-A1", "product_id": product.id})
        self.assertFalse(lot_a.company_id)
        self.env.flush_all()
        lot_b.invalidate_recordset()
        self.assertEqual(lot_b.company_id, self.company_b)

    def test_shared_product_serial_belongs_to_no_company(self):
        """A product shared by all companies: its serials belong to none (Odoo's rule), so
        every company sees them, but not what another company did with them, and each
        company's serials keep to its own batches."""
        self.assertFalse(self.product.company_id)
        lots = self._receive(["MC-S1", "MC-S2"])
        self.assertFalse(lots.company_id)
        recall = self._recall(lots)
        self.assertEqual(recall.company_id, self.company_a)
        recall.action_open()
        verification = self.env["serial.verification"]._verify("MC-S1")
        self.assertEqual(verification.company_id, self.company_a)

        env_b = self.env(user=self.user_b, context={"allowed_company_ids": self.company_b.ids})
        self.assertEqual(env_b["stock.lot"].search([("id", "in", lots.ids)]), lots)
        self.assertEqual(env_b["stock.lot"]._serial_find("mc s1", company=self.company_b),
                         lots[0])
        for model, records in (
            ("serial.recall", recall),
            ("serial.recall.line", recall.line_ids),
            ("serial.verification", verification),
        ):
            self.assertFalse(env_b[model].search([("id", "in", records.ids)]), model)
        shown = env_b["serial.verification"].action_verify_code("MC-S2")
        self.assertEqual(env_b["serial.verification"].browse(shown["id"]).company_id,
                         self.company_b)

        # Still unique: B cannot have the serial of no company again (Odoo's rule, by key).
        with self.assertChangesNothing(), self.assertRefused(ValidationError, "MC-S1"):
            env_b["stock.lot"].create({"name": "mc-s1", "product_id": self.product.id,
                                       "company_id": self.company_b.id})
        # Two companies' own serials of one shared product do not clash (Odoo's rule).
        own_a = self.env["stock.lot"].create({"name": "MC-OWN", "product_id": self.product.id,
                                              "company_id": self.company_a.id})
        own_b = env_b["stock.lot"].create({"name": "MC-OWN", "product_id": self.product.id,
                                           "company_id": self.company_b.id})
        self.assertNotEqual(own_a.serial_unique_key, own_b.serial_unique_key)
        # ...but a serial of no company cannot join them.
        with self.assertChangesNothing(), self.assertRefused(ValidationError, "MC-OWN"):
            self.env["stock.lot"].create({"name": "MC-OWN", "product_id": self.product.id})

        # Batches: a serial of no company joins the batch of the company handling it; a
        # company's serial never joins another company's batch.
        batch_a = self.env["serial.batch"].create({"name": "MC-BATCH-A"})
        batch_b = env_b["serial.batch"].create({"name": "MC-BATCH-B"})
        lots[0].serial_batch_id = batch_a
        self.assertEqual(batch_a.lot_ids, lots[0])
        with self.assertChangesNothing(), self.assertRefused(
                ValidationError, "MC-OWN", "MC-BATCH-B", "another company"):
            own_a.serial_batch_id = batch_b.id

    def test_shared_serial_of_another_company_batch_refused_plainly(self):
        """A serial of no company (of a shared product) that joined company A's batch:
        scanned by a user of B, the resolver refuses it with a plain message naming nothing
        of A (not Odoo's access error on A's batch); A still resolves it."""
        lots = self._receive(["MC-BATCHED", "MC-LOOSE"])
        self.assertFalse(lots.company_id)
        batch_a = self.env["serial.batch"].create({"name": "MC-SECRET-BATCH"})
        lots[0].serial_batch_id = batch_a
        self.assertEqual(self.env["serial.code.resolver"]._resolve("MC-BATCHED")["lot"],
                         lots[0])

        # B reads from the database, as in its own request (not what A's reads cached).
        self.env.invalidate_all()
        env_b = self.env(user=self.user_b, context={"allowed_company_ids": self.company_b.ids})
        resolver_b = env_b["serial.code.resolver"]
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "MC-BATCHED", "another company") as caught:
            resolver_b._resolve("MC-BATCHED")
        self.assertNotIsInstance(caught.exception, AccessError)
        self.assertNotIn("MC-SECRET-BATCH", str(caught.exception))
        self.assertNotIn(self.company_a.name, str(caught.exception))
        # A serial of no company in no batch is everyone's: B resolves it.
        self.assertEqual(resolver_b._resolve("MC-LOOSE")["lot"], lots[1])
