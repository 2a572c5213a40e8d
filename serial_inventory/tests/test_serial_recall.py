import csv
import io

import openpyxl

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from .common import SerialInventoryCase


class RecallCase(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("Recall test phone", default_code="RTP")
        cls.other_customer = cls.env["res.partner"].create({
            "name": "Recall Other Customer", "email": "other@example.com",
            "city": "Lyon", "phone": "+33 4 00 00 00 00"})

    @classmethod
    def _authenticity_config(cls, company=None, **values):
        """The company's authenticity settings (the demo data may hold some), reset."""
        company = company or cls.env.company
        Config = cls.env["serial.authenticity.config"]
        config = Config.search([("company_id", "=", company.id)]) or Config.create(
            {"company_id": company.id})
        config.write({
            "registry_enabled": False, "registry_endpoint_url": False,
            "registry_wsdl_url": False, "registry_username": False,
            "registry_password": False, "registry_timeout": 5.0, "registry_strict": False,
            "registry_register_serials": True, "registry_verify_incoming": True,
            "public_check_enabled": False, **values,
        })
        return config

    def _receive(self, names, product=None):
        product = product or self.product
        receipt = self._create_receipt([(product, len(names))])
        for line, name in zip(receipt.move_line_ids, names, strict=True):
            line.lot_name = name
        self._validate(receipt)
        lots = receipt.move_line_ids.lot_id
        return lots.browse([lots.filtered(lambda lot, name=name: lot.name == name).id
                            for name in names])

    def _deliver(self, lots, partner=None):
        delivery = self._create_delivery([(self.product, len(lots))], partner)
        delivery.action_assign()
        for line, lot in zip(delivery.move_line_ids, lots, strict=True):
            line.lot_id = lot
        delivery.move_ids.picked = True
        return self._validate(delivery)

    def _return(self, picking, lot):
        wizard = self.env["stock.return.picking"].with_context(
            active_id=picking.id, active_model="stock.picking").create({})
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_line_ids.lot_id = lot
        returned.move_ids.picked = True
        return self._validate(returned)

    def _recall(self, lots, reason="Battery may overheat"):
        return self.env["serial.recall"].create({
            "reason": reason,
            "line_ids": [Command.create({"lot_id": lot.id}) for lot in lots],
        })

    def _available(self):
        return self.env["stock.quant"]._get_available_quantity(self.product, self.stock_location)


@tagged("post_install", "-at_install")
class TestSerialRecall(RecallCase):
    def test_recalled_units_are_never_reserved_nor_delivered(self):
        lots = self._receive(["RCL-A", "RCL-B", "RCL-C", "RCL-D", "RCL-E"])
        first = self._create_delivery([(self.product, 1)])
        first.action_assign()
        reserved = first.move_line_ids.lot_id
        self.assertEqual(len(reserved), 1)
        other = (lots - reserved)[0]
        recalled = reserved | other

        recall = self._recall(recalled)
        self.assertEqual(recall.state, "draft")
        self.assertTrue(recall.name.startswith("RCL/"))
        self.assertEqual(self._available(), 4.0)
        recall.action_open()
        self.assertEqual(recall.state, "open")
        self.assertEqual(recalled.serial_recall_id, recall)
        # Their status says they are blocked, not "In stock".
        self.assertEqual(set(recalled.mapped("serial_state")), {"recalled"})

        # Its reservation was freed and the delivery reserved another unit at once.
        self.assertEqual(first.state, "assigned")
        self.assertEqual(len(first.move_line_ids), 1)
        self.assertNotIn(first.move_line_ids.lot_id, recalled)
        self.assertIn(reserved.name, first.message_ids[0].body)
        # Five units, two recalled, one reserved: two free.
        self.assertEqual(self._available(), 2.0)

        second = self._create_delivery([(self.product, 5)])
        second.action_assign()
        self.assertEqual(second.state, "assigned")  # partially: Odoo's 'assigned' + backorder
        self.assertEqual(len(second.move_line_ids.lot_id), 2)
        self.assertFalse(second.move_line_ids.lot_id & recalled)
        self.assertEqual(self._available(), 0.0)

        # Picking a recalled unit by hand: refused at validation, naming the serial.
        manual = self._create_delivery([(self.product, 1)])
        self.env["stock.move.line"].create({
            "move_id": manual.move_ids.id, "picking_id": manual.id,
            "product_id": self.product.id, "lot_id": other.id, "quantity": 1,
            "location_id": self.stock_location.id,
            "location_dest_id": self.customer_location.id,
        })
        manual.move_ids.picked = True
        with self.assertRefused(UserError, other.name, recall.name, "recall"):
            manual.button_validate()
        self.assertEqual(manual.state, "assigned")

        # Without a picking, Odoo's quant update refuses it too.
        move = self.env["stock.move"].create({
            "name": "Direct move", "product_id": self.product.id, "product_uom_qty": 1,
            "product_uom": self.uom_unit.id, "location_id": self.stock_location.id,
            "location_dest_id": self.customer_location.id,
            "move_line_ids": [Command.create({
                "product_id": self.product.id, "lot_id": other.id, "quantity": 1,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id})],
        })
        move._action_confirm()
        move.picked = True
        with self.assertRefused(UserError, other.name):
            move._action_done()

        # Each unit's chatter records the recall.
        for lot in recalled:
            self.assertTrue(any(recall.name in message.body for message in lot.message_ids),
                            f"{lot.name} chatter mentions {recall.name}")

        # Closed: the units may be delivered again.
        recall.action_close()
        self.assertFalse(recalled.serial_recall_id)
        self.assertEqual(reserved.serial_state, "in_stock")
        self._validate(manual)
        self.assertEqual(other.serial_state, "delivered")
        for lot in recalled:
            self.assertIn(f"Recall {recall.name} closed", lot.message_ids[0].body)

    def test_only_draft_recalls_change(self):
        lots = self._receive(["RCL-F", "RCL-G"])
        recall = self._recall(lots[:1])
        recall.action_open()
        with self.assertRefused(UserError, recall.name):
            recall.write({"line_ids": [Command.create({"lot_id": lots[1].id})]})
        with self.assertRefused(UserError):
            recall.line_ids.unlink()
        with self.assertRefused(UserError):
            recall.unlink()
        with self.assertRefused(UserError, recall.name):
            recall.action_open()

    def test_a_unit_in_two_open_recalls_stays_blocked_until_both_close(self):
        lot = self._receive(["RCL-H"])
        first, second = self._recall(lot, "Screen"), self._recall(lot, "Battery")
        first.action_open()
        second.action_open()
        self.assertEqual(lot.serial_recall_id, first)
        first.action_close()
        self.assertEqual(lot.serial_recall_id, second)
        second.action_close()
        self.assertFalse(lot.serial_recall_id)

    def test_recall_of_a_batch_and_where_each_unit_is(self):
        batch = self.env["serial.batch"].create({"name": "RCL-BATCH-1",
                                                 "product_id": self.product.id})
        lots = self._receive(["RCL-J", "RCL-K", "RCL-L", "RCL-M"])
        lots[:3].serial_batch_id = batch
        at_customer, in_stock, returned = lots[0], lots[1], lots[2]
        delivery = self._deliver(at_customer, self.other_customer)
        back = self._deliver(returned, self.customer)
        self._return(back, returned)
        self.assertEqual(returned.serial_state, "returned")

        recall = self.env["serial.recall"].create(
            {"reason": "Loose connector", "serial_batch_id": batch.id})
        recall.action_add_serials()
        self.assertEqual(recall.line_ids.lot_id, lots[:3])
        with self.assertRefused(UserError):
            recall.action_add_serials()  # nothing new to add
        recall.action_open()

        lines = {line.lot_id: line for line in recall.line_ids}
        self.assertEqual(lines[at_customer].partner_id, self.other_customer)
        self.assertEqual(lines[at_customer].picking_id, delivery)
        self.assertEqual(lines[at_customer].delivery_date, delivery.date_done)
        self.assertEqual(lines[at_customer].location_id, self.customer_location)
        self.assertFalse(lines[at_customer].in_stock)
        for lot in (in_stock, returned):
            self.assertEqual(lines[lot].location_id, self.stock_location)
            self.assertTrue(lines[lot].in_stock)
            self.assertFalse(lines[lot].partner_id)
        self.assertEqual((recall.lot_count, recall.in_stock_count, recall.customer_count),
                         (3, 2, 1))

        # Customers to contact: the one holding a unit, not the one who sent it back.
        rows = recall._customer_contact_rows()
        self.assertEqual([(row["customer"], row["serials"], row["deliveries"])
                          for row in rows],
                         [(self.other_customer.display_name, "RCL-J", delivery.name)])
        self.assertEqual(rows[0]["email"], "other@example.com")

        # Odoo's lot customers report, kept to the recall's serials.
        action = recall.action_view_customer_lots()
        self.assertEqual(action["res_model"], "stock.lot.report")
        reports = self.env["stock.lot.report"].search(
            action["domain"] + [("has_return", "=", False)])
        self.assertEqual(reports.lot_id, at_customer)
        self.assertEqual(reports.partner_id, self.other_customer)

        # Odoo's traceability report of a unit.
        trace = lines[at_customer].action_traceability()
        self.assertEqual(trace["tag"], "stock_report_generic")
        self.assertEqual(trace["context"]["active_id"], at_customer.id)
        report_lines = self.env["stock.traceability.report"].with_context(
            active_id=at_customer.id, model="stock.lot").get_lines()
        self.assertIn(delivery.name, [line["reference"] for line in report_lines])

        # A unit that comes back is blocked at once; its line follows it.
        self._return(delivery, at_customer)
        self.env.invalidate_all()  # each request reads where the units are now
        self.assertEqual(lines[at_customer].location_id, self.stock_location)
        self.assertTrue(lines[at_customer].in_stock)
        self.assertFalse(lines[at_customer].partner_id)
        self.assertEqual(self._available(), 1.0)  # only RCL-M, outside the batch
        RecallLine = self.env["serial.recall.line"]
        self.assertEqual(RecallLine.search([("recall_id", "=", recall.id),
                                            ("in_stock", "=", True)]).lot_id, lots[:3])
        self.assertFalse(RecallLine.search([("recall_id", "=", recall.id),
                                            ("partner_id", "!=", False)]))
        self.assertEqual(RecallLine.search([("recall_id", "=", recall.id),
                                            ("in_stock", "=", False)]), RecallLine)

    def test_recall_from_the_serials_list(self):
        lots = self._receive(["RCL-N", "RCL-O"])
        action = lots.action_serial_recall()
        recall = self.env["serial.recall"].browse(action["res_id"])
        self.assertEqual(recall.line_ids.lot_id, lots)
        self.assertEqual(recall.product_id, self.product)
        self.assertEqual(recall.state, "draft")


    def test_recall_from_a_batch(self):
        batch = self.env["serial.batch"].create({"name": "RCL-BATCH-2",
                                                 "product_id": self.product.id})
        lots = self._receive(["RCL-P", "RCL-Q", "RCL-R"])
        lots[:2].serial_batch_id = batch
        with self.assertChangesNothing(("serial_recall", "serial_recall_line")):
            action = batch.action_serial_recall()  # opens a form: nothing stored yet
        with Form(self.env["serial.recall"].with_context(**action["context"])) as form:
            self.assertEqual(len(form.line_ids), 2)
            form.reason = "Cracked housing"
        recall = form.record
        self.assertEqual(recall.line_ids.lot_id, lots[:2])
        self.assertEqual((recall.serial_batch_id, recall.product_id, recall.state),
                         (batch, self.product, "draft"))
        self.assertEqual(batch.recall_count, 1)
        self.assertEqual(self.env["serial.recall"].search(batch.action_open_recalls()["domain"]),
                         recall)

        empty = self.env["serial.batch"].create({"name": "RCL-BATCH-EMPTY"})
        with self.assertRefused(UserError, "RCL-BATCH-EMPTY", "no serial"):
            empty.action_serial_recall()

@tagged("post_install", "-at_install")
class TestSerialRecallExport(HttpCase, RecallCase):
    def test_customers_to_contact_as_csv_and_xlsx(self):
        lots = self._receive(["RCL-X1", "RCL-X2"])
        delivery = self._deliver(lots, self.other_customer)
        recall = self._recall(lots)
        recall.action_open()
        self.authenticate("admin", "admin")

        action = recall.with_context(serial_export_format="csv").action_export_customers()
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/csv", response.headers["Content-Type"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:5], ["Customer", "Email", "Phone", "Address", "Serials"])
        self.assertEqual(rows[1][0], self.other_customer.display_name)
        self.assertEqual(rows[1][4], "RCL-X1, RCL-X2")
        self.assertEqual(rows[1][6], delivery.name)

        action = recall.with_context(serial_export_format="xlsx").action_export_customers()
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertEqual(values[0][0], "Customer")
        self.assertEqual(values[1][0], self.other_customer.display_name)
        self.assertEqual(values[1][4], "RCL-X1, RCL-X2")
        self.assertEqual(len(values), 2)
