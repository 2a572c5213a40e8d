from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_serial_recall import RecallCase


@tagged("post_install", "-at_install")
class TestSerialVerification(RecallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone = cls._create_serial_product(
            "Verified phone", barcode="4006381333931",
            lot_properties_definition=[
                {"name": "colour", "string": "Colour", "type": "selection",
                 "selection": [["black", "Black"], ["blue", "Blue"]]},
                {"name": "configuration", "string": "Configuration", "type": "char"},
            ])
        cls.batch = cls.env["serial.batch"].create({
            "name": "VER-BATCH-7", "product_id": cls.phone.id,
            "manufacture_date": "2026-03-02"})
        cls.Verification = cls.env["serial.verification"]

    def _unit(self, name, product=None, **values):
        return self.env["stock.lot"].create({
            "name": name, "product_id": (product or self.phone).id, **values})

    def test_genuine_unit_shows_its_data(self):
        lot = self._unit("VER-0001", serial_batch_id=self.batch.id,
                         lot_properties={"colour": "blue", "configuration": "128 GB"})
        before = self.Verification.search_count([])
        shown = self.Verification.action_verify_code("  VER-0001 ")
        self.assertEqual(shown["result"], "genuine")
        self.assertEqual(shown["result_label"], "Genuine")
        self.assertEqual(shown["product"], "Verified phone")
        self.assertEqual(shown["batch"], "VER-BATCH-7")
        # As stored: the screen shows it in the user's date format.
        self.assertEqual(shown["manufacture_date"], "2026-03-02")
        self.assertEqual(shown["properties"], [
            {"label": "Colour", "value": "Blue"},
            {"label": "Configuration", "value": "128 GB"}])
        self.assertEqual(shown["lot_id"], lot.id)

        logged = self.Verification.browse(shown["id"])
        self.assertEqual(self.Verification.search_count([]), before + 1)
        self.assertEqual((logged.serial, logged.lot_id, logged.result, logged.source),
                         ("VER-0001", lot, "genuine", "manual"))
        self.assertEqual(logged.user_id, self.env.user)
        self.assertEqual(logged.company_id, self.env.company)
        self.assertTrue(logged.create_date)
        self.assertEqual(lot.serial_verification_ids, logged)
        self.assertIn(shown["id"], [entry["id"] for entry in self.Verification.action_recent()])

    def test_a_mistyped_check_character_is_called_a_typo(self):
        pattern = self._create_pattern("VT-{SEQ:5}{CHECK}", check_algorithm="mod37_36",
                                       name="Verified pattern")
        product = self._create_serial_product("Checked phone", pattern=pattern)
        lot = self._unit(pattern._generate(1, product)[0], product=product)
        typo = lot.name[:-1] + ("0" if lot.name[-1] != "0" else "1")
        for chosen in (product, None):
            shown = self.Verification.action_verify_code(
                typo, product_id=chosen.id if chosen else False)
            self.assertEqual(shown["result"], "unknown")
            self.assertIn("check character is wrong", shown["message"])
            self.assertIn("Verified pattern", shown["message"])
        # A serial of another shape is simply unknown.
        shown = self.Verification.action_verify_code("NOT-OF-THIS-SHAPE")
        self.assertNotIn("check character", shown["message"])

    def test_unknown_serial_is_logged_too(self):
        shown = self.Verification.action_verify_code("VER-NOPE")
        self.assertEqual(shown["result"], "unknown")
        self.assertIn("VER-NOPE", shown["message"])
        logged = self.Verification.browse(shown["id"])
        self.assertFalse(logged.lot_id)
        self.assertEqual(logged.result, "unknown")
        with self.assertRefused(UserError):
            self.Verification.action_verify_code("   ")

    def test_recalled_delivered_and_stolen_units(self):
        lots = self._receive(["VER-R1", "VER-D1", "VER-S1"])
        recalled, delivered, stolen = lots
        recall = self._recall(recalled, "Charger overheats")
        recall.action_open()
        shown = self.Verification.action_verify_code("VER-R1")
        self.assertEqual(shown["result"], "recalled")
        self.assertIn(recall.name, shown["message"])
        self.assertIn("Charger overheats", shown["message"])
        self.assertEqual(shown["recall"], recall.name)

        self._deliver(delivered, self.other_customer)
        shown = self.Verification.action_verify_code("VER-D1")
        self.assertEqual(shown["result"], "delivered")
        self.assertIn(self.other_customer.name, shown["message"])
        # Nobody said who presents it: no accusation, a question to ask.
        self.assertIn("is genuine and was delivered to", shown["message"])
        self.assertIn("ask for proof of purchase", shown["message"])
        # The customer it was delivered to brings it back: that is the genuine unit.
        shown = self.Verification.action_verify_code(
            "VER-D1", partner_id=self.other_customer.id)
        self.assertEqual(shown["result"], "genuine")
        shown = self.Verification.action_verify_code("VER-D1", partner_id=self.customer.id)
        self.assertEqual(shown["result"], "delivered")
        self.assertIn(f"not to {self.customer.name}", shown["message"])

        stolen.with_context(serial_stolen_note="Van break-in").action_serial_report_stolen()
        self.assertTrue(stolen.serial_stolen)
        shown = self.Verification.action_verify_code("VER-S1")
        self.assertEqual(shown["result"], "stolen")
        stolen.action_serial_report_found()
        self.assertEqual(self.Verification.action_verify_code("VER-S1")["result"], "genuine")

        self.assertEqual(
            self.Verification.search([("lot_id", "in", lots.ids)]).mapped("result"),
            ["genuine", "stolen", "delivered", "genuine", "delivered", "recalled"])

    def test_gs1_code_and_serial_shared_by_two_products(self):
        self._unit("VER-SHARED")
        other = self._create_serial_product("Other verified product")
        self._unit("VER-SHARED", other)
        shown = self.Verification.action_verify_code("VER-SHARED")
        self.assertEqual(shown["result"], "ambiguous")
        self.assertIn("Other verified product", shown["message"])
        shown = self.Verification.action_verify_code("VER-SHARED", product_id=other.id)
        self.assertEqual((shown["result"], shown["product"]), ("genuine", other.display_name))
        shown = self.Verification.action_verify_code("(01)04006381333931(21)VER-SHARED")
        self.assertEqual((shown["result"], shown["serial"], shown["product"]),
                         ("genuine", "VER-SHARED", "Verified phone"))

    def test_action_on_a_lot_opens_the_screen(self):
        lot = self._unit("VER-0002")
        action = lot.action_serial_verify()
        self.assertEqual(action["tag"], "serial_inventory.verify_serial")
        self.assertEqual(action["params"], {"serial": "VER-0002", "product_id": self.phone.id})

    def test_warehouse_user_verifies_but_cannot_rewrite_the_log(self):
        user = self.env["res.users"].create({
            "name": "Verifying warehouse user", "login": "verifying_wh_user",
            "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])]})
        self._unit("VER-0003")
        Verification = self.Verification.with_user(user)
        shown = Verification.action_verify_code("VER-0003")
        logged = Verification.browse(shown["id"])
        self.assertEqual(logged.user_id, user)
        with self.assertRaises(AccessError):
            logged.write({"result": "unknown"})
