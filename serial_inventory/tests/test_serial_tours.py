from odoo.tests import HttpCase, tagged

from .test_serial_recall import RecallCase


@tagged("post_install", "-at_install")
class TestSerialTours(HttpCase, RecallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.write({
            "name": "Tour Phone",
            "lot_properties_definition": [
                {"name": "colour", "string": "Colour", "type": "selection",
                 "selection": [["black", "Black"], ["blue", "Blue"]]}],
        })
        cls.batch = cls.env["serial.batch"].create(
            {"name": "TOUR-BATCH", "product_id": cls.product.id})

    def test_verify_screen_tour(self):
        lot = self.env["stock.lot"].create({
            "name": "TOUR-SN-1", "product_id": self.product.id,
            "serial_batch_id": self.batch.id, "lot_properties": {"colour": "blue"}})
        recalled = self.env["stock.lot"].create(
            {"name": "TOUR-SN-9", "product_id": self.product.id})
        self._recall(recalled, "Tour old recall").action_open()

        self.start_tour(f"/odoo/action-stock.action_production_lot_form/{lot.id}",
                        "serial_inventory_verify_tour", login="admin")

        logged = self.env["serial.verification"].search(
            [("serial", "in", ["TOUR-SN-1", "TOUR-FAKE-999", "TOUR-SN-9"])])
        self.assertEqual(sorted(logged.mapped(lambda v: (v.serial, v.result))),
                         [("TOUR-FAKE-999", "unknown"), ("TOUR-SN-1", "genuine"),
                          ("TOUR-SN-9", "recalled")])
        self.assertEqual(logged.user_id.login, "admin")

    def test_recall_tour(self):
        lots = self._receive(["TOUR-SN-2", "TOUR-SN-3", "TOUR-SN-4"])
        lots.serial_batch_id = self.batch
        self._deliver(lots[2], self.other_customer)

        self.start_tour("/odoo/action-serial_inventory.action_serial_recall",
                        "serial_inventory_recall_tour", login="admin")

        recall = self.env["serial.recall"].search([("reason", "like", "Tour recall")])
        self.assertEqual(recall.state, "closed")
        self.assertEqual(recall.line_ids.lot_id, lots)
        self.assertEqual(recall.customer_count, 1)
        self.assertFalse(lots.serial_recall_id)
        for lot in lots:
            self.assertTrue(any(recall.name in message.body for message in lot.message_ids))
