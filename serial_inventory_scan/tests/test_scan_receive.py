import datetime
import json
import random
import uuid

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.serial_inventory.lib import gs1
from odoo.addons.serial_inventory.tests.common import RealTransactionCase

from .common import ScanCase


def gtin13(stem):
    """A GTIN-13 of the 12 digits ``stem`` with its check digit."""
    return stem + gs1.gtin_check_digit(stem)


class ReceiveCase(ScanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern("RCV-{SEQ:4}", name="Receive pattern")
        cls.gadget = cls._create_serial_product("Numbered Gadget", pattern=cls.pattern,
                                                barcode=gtin13("540000000002"))
        cls.vendor_gtin = gtin13("540000000003")
        cls.vendor_item = cls._create_serial_product("Vendor Item", barcode=cls.vendor_gtin)
        cls.label_format = cls.env["serial.label.format"]._get_default_format()

    def receive(self, record, code, **kwargs):
        return self.scan("receive", record, code, **kwargs)

    def action(self, record, name, **params):
        return self.operations.scan_action("receive", record.id if record else False, name,
                                           params)

    def assertAccepted(self, answer, *fragments):
        self.assertEqual(answer["result"], "accepted", answer["message"])
        for fragment in fragments:
            self.assertIn(fragment, answer["message"])
        return answer

    def assertScanRefused(self, record, code, *fragments):
        """The scan is refused with ``fragments`` in its message, and changes no stock."""
        with self.assertChangesNothing():
            answer = self.receive(record, code)
        self.assertEqual(answer["result"], "refused", answer["message"])
        for fragment in fragments:
            self.assertIn(fragment, answer["message"])
        return answer

    def lines(self, receipt, picked=None):
        lines = receipt.move_line_ids
        if picked is not None:
            lines = lines.filtered(lambda line: line.picked == picked)
        return lines

    def gs1(self, gtin, serial, batch=None, expiry=None):
        code = f"(01)0{gtin}(21){serial}"
        if batch:
            code += f"(10){batch}"
        if expiry:
            code += f"(17){expiry:%y%m%d}"
        return code


class TestScanReceive(ReceiveCase):
    def test_pre_printed_label_goes_to_the_next_unit(self):
        receipt = self._create_receipt([(self.gadget, 3)])
        label = self.env["stock.lot"].create({"name": "RCV-PRE1", "product_id": self.gadget.id})
        answer = self.assertAccepted(self.receive(receipt, "RCV-PRE1"), "RCV-PRE1 received")
        self.assertEqual(answer["record_id"], receipt.id)
        picked = self.lines(receipt, picked=True)
        self.assertEqual((picked.lot_id, picked.quantity, picked.location_dest_id),
                         (label, 1.0, self.stock_location))
        unpicked = self.lines(receipt, picked=False)
        self.assertEqual(len(unpicked), 2, "the other units keep Odoo's blank lines")
        self.assertFalse(unpicked.lot_id)
        scan = self.env["serial.scan"].search([("lot_id", "=", label.id)])
        self.assertEqual((scan.picking_id, scan.open, scan.hold), (receipt, True, "receive"))
        line = answer["state"]["lines"][0]
        self.assertEqual((line["done"], line["demand"], line["serials"]), (1.0, 3.0, ["RCV-PRE1"]))

    def test_scanned_twice_counts_once(self):
        receipt = self._create_receipt([(self.gadget, 2)])
        self.env["stock.lot"].create({"name": "RCV-TWICE", "product_id": self.gadget.id})
        self.assertAccepted(self.receive(receipt, "RCV-TWICE"))
        self.assertScanRefused(receipt, "rcv-twice", "RCV-TWICE is already scanned here")
        self.assertEqual(len(self.lines(receipt, picked=True)), 1)

    def test_a_retried_scan_receives_once(self):
        receipt = self._create_receipt([(self.vendor_item, 2)])
        code = self.gs1(self.vendor_gtin, "VND-RETRY")
        self.assertAccepted(self.receive(receipt, code, client_uid="retry-1"))
        with self.assertChangesNothing():
            answer = self.assertAccepted(self.receive(receipt, code, client_uid="retry-1"))
        self.assertTrue(answer["duplicate"])
        self.assertEqual(len(self.lines(receipt, picked=True)), 1)

    def test_vendor_gs1_creates_the_serial_with_batch_and_expiry(self):
        receipt = self._create_receipt([(self.vendor_item, 2)])
        expiry = fields.Date.context_today(receipt) + datetime.timedelta(days=200)
        answer = self.assertAccepted(self.receive(
            receipt, self.gs1(self.vendor_gtin, "VND-100", "B-77", expiry)), "VND-100 received")
        lot = self.env["stock.lot"].search([("name", "=", "VND-100")])
        self.assertEqual(lot.product_id, self.vendor_item)
        self.assertEqual(lot.serial_batch_id.name, "B-77")
        self.assertEqual(lot.serial_batch_id.supplier_id, self.supplier)
        self.assertEqual(lot.serial_batch_id.company_id, receipt.company_id)
        self.assertEqual(fields.Datetime.context_timestamp(lot, lot.expiration_date).date(),
                         expiry)
        self.assertEqual(self.lines(receipt, picked=True).lot_id, lot)
        # A second unit of the same batch joins it; the receipt validates with a backorder.
        self.assertAccepted(self.receive(receipt, self.gs1(self.vendor_gtin, "VND-101", "B-77")))
        self.assertEqual(self.env["serial.batch"].search_count([("name", "=", "B-77")]), 1)
        state = self.action(receipt, "validate")
        self.assertNotIn("client_action", state, "everything was received: no wizard")
        self.assertEqual(receipt.state, "done")
        quants = self.env["stock.quant"].search([("lot_id.name", "in", ["VND-100", "VND-101"]),
                                                 ("location_id", "=", self.stock_location.id)])
        self.assertEqual(sorted(quants.mapped("quantity")), [1.0, 1.0])
        self.assertFalse(self.env["serial.scan"].search_count(
            [("picking_id", "=", receipt.id), ("open", "=", True)]), "holds released")
        self.assertEqual(answer["state"]["lines"][0]["unlabelled"], 1,
                         "the second unit had no serial yet")
        self.assertEqual(answer["state"]["to_label"], 0, "its vendor labels it: no pattern")

    def test_a_scan_without_receipt_opens_it(self):
        receipt = self._create_receipt([(self.vendor_item, 1)])
        answer = self.assertAccepted(self.receive(False, receipt.name), receipt.name)
        self.assertEqual(answer["record_id"], receipt.id)
        answer = self.assertAccepted(self.receive(False, self.gs1(self.vendor_gtin, "VND-200")))
        self.assertEqual(answer["record_id"], receipt.id)
        self.assertEqual(self.lines(receipt, picked=True).lot_id.name, "VND-200")
        listed = self.operations.scan_state("receive", False)["receipts"]
        self.assertIn(receipt.id, [row["id"] for row in listed])

    def test_several_open_receipts_are_named(self):
        first = self._create_receipt([(self.vendor_item, 1)])
        second = self._create_receipt([(self.vendor_item, 1)])
        answer = self.assertScanRefused(False, self.gs1(self.vendor_gtin, "VND-300"),
                                        "on several open receipts", first.name, second.name)
        self.assertFalse(answer["record_id"])
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "VND-300")]))

    def test_a_serial_in_stock_is_refused(self):
        receipt = self._create_receipt([(self.product, 1)])
        self.assertScanRefused(receipt, "SC-1", "SC-1 is already in stock at")

    def test_a_serial_on_another_open_receipt_is_refused(self):
        receipt = self._create_receipt([(self.gadget, 1)])
        other = self._create_receipt([(self.gadget, 1)])
        self.env["stock.lot"].create({"name": "RCV-OTHER", "product_id": self.gadget.id})
        self.assertAccepted(self.receive(other, "RCV-OTHER"))
        self.assertScanRefused(receipt, "RCV-OTHER", "RCV-OTHER is on", other.name)

    def test_another_companys_serial_is_refused(self):
        company_b = self.env["res.company"].create({"name": "Receive Company B"})
        self.env["stock.lot"].create({"name": "RCV-B1", "product_id": self.gadget.id,
                                      "company_id": company_b.id})
        receipt = self._create_receipt([(self.gadget, 1)])
        answer = self.assertScanRefused(receipt, "RCV-B1", "belongs to another company")
        self.assertNotIn(company_b.name, answer["message"])

    def test_a_delivered_serial_is_refused(self):
        delivered = self.env["stock.lot"].create({"name": "RCV-SOLD", "product_id": self.gadget.id})
        self.env["stock.quant"]._update_available_quantity(
            self.gadget, self.customer_location, 1, lot_id=delivered)
        receipt = self._create_receipt([(self.gadget, 1)])
        answer = self.assertScanRefused(receipt, "RCV-SOLD", "RCV-SOLD was delivered to a "
                                        "customer: return it with Return instead")
        self.assertNotIn(self.customer.name, answer["message"])
        self.assertFalse(self.lines(receipt, picked=True))

    def test_a_serial_found_in_an_inventory_loss_may_be_received(self):
        found = self.env["stock.lot"].create({"name": "RCV-LOST", "product_id": self.gadget.id})
        loss = self.env["stock.location"].search(
            [("usage", "=", "inventory"), ("company_id", "in", (False, self.company.id))],
            limit=1)
        self.env["stock.quant"]._update_available_quantity(self.gadget, loss, 1, lot_id=found)
        receipt = self._create_receipt([(self.gadget, 1)])
        self.assertAccepted(self.receive(receipt, "RCV-LOST"), "RCV-LOST received")

    def test_a_shared_serial_in_another_companys_stock_names_no_location(self):
        company_b = self.env["res.company"].create({"name": "Receive Company B"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)])
        clerk_b = self.env["res.users"].create({
            "name": "Receive Clerk B", "login": "receive_clerk_b", "company_id": company_b.id,
            "company_ids": [Command.set(company_b.ids)],
            "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])]})
        shared = self.env["stock.lot"].create({"name": "RCV-SHARED", "product_id": self.gadget.id,
                                               "company_id": False})
        self.env["stock.quant"]._update_available_quantity(self.gadget, self.shelf, 1,
                                                           lot_id=shared)
        receipt_b = self.env["stock.picking"].with_company(company_b).create({
            "picking_type_id": warehouse_b.in_type_id.id, "partner_id": self.supplier.id,
            "move_ids": [Command.create({
                "name": "Gadget", "product_id": self.gadget.id, "product_uom_qty": 1,
                "location_id": self.supplier_location.id,
                "location_dest_id": warehouse_b.lot_stock_id.id})]})
        receipt_b.action_confirm()
        with self.assertChangesNothing():
            answer = self.scan("receive", receipt_b, "RCV-SHARED",
                               env=self.env(user=clerk_b, context={
                                   "allowed_company_ids": company_b.ids}))
        self.assertEqual(answer["result"], "refused", answer["message"])
        self.assertIn("RCV-SHARED is already in stock (another company's)", answer["message"])
        for secret in (self.shelf.name, self.stock_location.display_name):
            self.assertNotIn(secret, answer["message"])

    def test_a_serial_of_another_product_is_refused(self):
        self.company.serial_unique_scope = "company"
        self.env["stock.lot"].create({"name": "RCV-MINE", "product_id": self.gadget.id,
                                      "company_id": self.company.id})
        receipt = self._create_receipt([(self.vendor_item, 1)])
        self.assertScanRefused(receipt, self.gs1(self.vendor_gtin, "rcv-mine"),
                               "RCV-MINE already belongs to Numbered Gadget")

    def test_a_new_serial_needs_an_operation_type_that_creates_lots(self):
        self.picking_type_in.use_create_lots = False
        receipt = self._create_receipt([(self.vendor_item, 1)])
        self.assertScanRefused(receipt, self.gs1(self.vendor_gtin, "VND-400"),
                               "VND-400 of Vendor Item is not known", "does not create serials")

    def test_a_wrong_check_character_creates_nothing(self):
        checked = self._create_pattern("CK{SEQ:4}{CHECK}", "mod37_36", name="Checked")
        product = self._create_serial_product("Checked Item", pattern=checked,
                                              barcode=gtin13("540000000004"))
        good = checked._generate(1, product)[0]
        wrong = good[:-1] + ("A" if good[-1] != "A" else "B")
        receipt = self._create_receipt([(product, 1)])
        self.assertScanRefused(receipt, self.gs1(product.barcode, wrong, "B-CK"))
        self.assertFalse(self.env["serial.batch"].search([("name", "=", "B-CK")]))

    def test_a_product_code_is_not_a_unit(self):
        receipt = self._create_receipt([(self.gadget, 1)])
        self.assertScanRefused(receipt, self.gadget.barcode, "Scan the serial of each unit")

    def test_an_untracked_product_is_received_in_odoos_form(self):
        bolt = self.env["product.product"].create(
            {"name": "Untracked Bolt", "is_storable": True, "barcode": gtin13("540000000005")})
        receipt = self._create_receipt([(bolt, 5)])
        self.assertScanRefused(receipt, bolt.barcode, "Untracked Bolt is not tracked by serial")

    def test_a_name_alone_creates_no_unit(self):
        """An unknown serial names no product: nothing is created from a guess."""
        receipt = self._create_receipt([(self.vendor_item, 1)])
        self.assertScanRefused(receipt, "NEW-SERIAL-77", "Unknown code NEW-SERIAL-77")
        self.assertScanRefused(receipt, "(21)NEW-SERIAL-78", "names no product")


class TestScanReceiveRules(ReceiveCase):
    def test_extra_units_follow_the_operation_type(self):
        receipt = self._create_receipt([(self.vendor_item, 1)])
        self.assertAccepted(self.receive(receipt, self.gs1(self.vendor_gtin, "VND-X1")))
        receipt.picking_type_id.serial_scan_allow_extra = False
        self.assertScanRefused(receipt, self.gs1(self.vendor_gtin, "VND-X2"),
                               "asks for 1 Vendor Item, all received", "takes no extra units")
        self.assertScanRefused(receipt, "SC-9", "SC-9 is already in stock")
        self.env["stock.lot"].create({"name": "RCV-NOTON", "product_id": self.gadget.id})
        self.assertScanRefused(receipt, "RCV-NOTON", "does not receive Numbered Gadget")
        receipt.picking_type_id.serial_scan_allow_extra = True
        self.assertAccepted(self.receive(receipt, self.gs1(self.vendor_gtin, "VND-X2")))
        self.assertAccepted(self.receive(receipt, "RCV-NOTON"))
        move = receipt.move_ids.filtered(lambda move: move.product_id == self.vendor_item)
        self.assertEqual((move.product_uom_qty, move.quantity), (1.0, 2.0))
        added = receipt.move_ids.filtered(lambda move: move.product_id == self.gadget)
        self.assertEqual(added.move_line_ids.lot_id.name, "RCV-NOTON",
                         "Odoo added a move for the product the receipt did not list")
        self.action(receipt, "validate")
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(
            self.vendor_item, self.stock_location), 2.0)

    def test_the_destination_is_scanned_first_when_required(self):
        receipt = self._create_receipt([(self.vendor_item, 2)])
        receipt.picking_type_id.serial_scan_require_location = True
        self.assertScanRefused(receipt, self.gs1(self.vendor_gtin, "VND-L1"),
                               "Scan the location the units go to")
        outside = self.env["stock.location"].create(
            {"name": "Receive Outside", "barcode": "RCV-OUTSIDE", "usage": "internal",
             "location_id": self.env.ref("stock.stock_location_locations").id})
        self.assertScanRefused(receipt, "RCV-OUTSIDE", "is not in", "where " + receipt.name)
        self.assertAccepted(self.receive(receipt, "SCAN-SHELF"), "Units now go to")
        self.assertAccepted(self.receive(receipt, self.gs1(self.vendor_gtin, "VND-L1")))
        line = self.lines(receipt, picked=True)
        self.assertEqual(line.location_dest_id, self.shelf)
        self.action(receipt, "validate")  # a wizard for the backorder: not processed here
        self.assertFalse(outside.quant_ids)


class TestScanReceiveActions(ReceiveCase):
    def test_print_labels_numbers_the_units_without_one(self):
        receipt = self._create_receipt([(self.gadget, 3)])
        self.env["stock.lot"].create({"name": "RCV-PRE9", "product_id": self.gadget.id})
        self.assertAccepted(self.receive(receipt, "RCV-PRE9"))
        state = self.operations.scan_state("receive", receipt.id)
        self.assertEqual(state["to_label"], 2)
        state = self.action(receipt, "print_labels")
        lots = self.lines(receipt).lot_id - self.env["stock.lot"].search(
            [("name", "=", "RCV-PRE9")])
        self.assertEqual(len(lots), 2)
        self.assertTrue(all(name.startswith("RCV-") for name in lots.mapped("name")))
        report = state["client_action"]
        self.assertEqual(report["type"], "ir.actions.report")
        self.assertEqual(sorted(report["data"]["lot_ids"]), sorted(lots.ids))
        self.assertEqual(state["to_label"], 0)
        self.assertEqual(len(self.lines(receipt, picked=True)), 1,
                         "numbered units are received when their labels are scanned")
        self.assertAccepted(self.receive(receipt, lots[0].name))
        self.assertIn(lots[0], self.lines(receipt, picked=True).lot_id)
        # A printed label scanned with no receipt chosen opens the receipt it is on.
        answer = self.assertAccepted(self.receive(False, lots[1].name))
        self.assertEqual(answer["record_id"], receipt.id)
        self.assertEqual(self.lines(receipt, picked=True).lot_id, lots | self.env[
            "stock.lot"].search([("name", "=", "RCV-PRE9")]))
        self.assertEqual(len(self.lines(receipt)), 3)
        self.assertEqual(answer["state"]["lines"][0]["serials"][0], lots[1].name,
                         "the last unit received is listed first")

    def test_print_labels_of_one_line(self):
        receipt = self._create_receipt([(self.gadget, 2), (self.vendor_item, 1)])
        gadget_move = receipt.move_ids.filtered(lambda move: move.product_id == self.gadget)
        state = self.action(receipt, "print_labels", move_id=gadget_move.id)
        self.assertEqual(len(state["client_action"]["data"]["lot_ids"]), 2)
        self.assertEqual(state["to_label"], 0, "the vendor's unit waits for its own label")
        vendor_line = next(line for line in state["lines"] if line["product"] == "Vendor Item")
        self.assertEqual((vendor_line["unlabelled"], vendor_line["printable"]), (1, 0))
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "Vendor Item has no serial pattern"):
            self.action(receipt, "print_labels")
        with self.assertChangesNothing(), self.assertRefused(UserError, "is not a record id"):
            self.action(receipt, "print_labels", move_id=True)

    def test_print_labels_needs_a_pattern(self):
        receipt = self._create_receipt([(self.vendor_item, 2)])
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "Vendor Item has no serial pattern"):
            self.action(receipt, "print_labels")

    def test_print_labels_leaves_vendors_units_to_their_labels(self):
        receipt = self._create_receipt([(self.gadget, 1), (self.vendor_item, 2)])
        self.assertEqual(self.operations.scan_state("receive", receipt.id)["to_label"], 1)
        state = self.action(receipt, "print_labels")
        self.assertEqual(len(state["client_action"]["data"]["lot_ids"]), 1)
        self.assertFalse(receipt.move_ids.filtered(
            lambda move: move.product_id == self.vendor_item).move_line_ids.lot_id)

    def test_validate_returns_odoos_backorder_wizard(self):
        receipt = self._create_receipt([(self.vendor_item, 3)])
        self.assertAccepted(self.receive(receipt, self.gs1(self.vendor_gtin, "VND-B1")))
        state = self.action(receipt, "validate")
        wizard_action = state["client_action"]
        self.assertEqual(wizard_action["res_model"], "stock.backorder.confirmation")
        self.assertEqual(receipt.state, "assigned", "nothing validated before the wizard")
        wizard = self.env["stock.backorder.confirmation"].with_context(
            **wizard_action["context"]).create({})
        wizard.process()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.move_line_ids.lot_id.name, "VND-B1")
        backorder = receipt.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 2.0)
        self.assertEqual(self.operations.scan_state("receive", receipt.id)["backorders"],
                         [backorder.name])
        lot = receipt.move_line_ids.lot_id
        self.assertEqual(lot.quant_ids.filtered(lambda quant: quant.quantity > 0).location_id,
                         self.stock_location)

    def test_a_mandatory_scan_validates_the_scanned_units(self):
        self.picking_type_in.serial_scan_policy = "mandatory"
        receipt = self._create_receipt([(self.vendor_item, 1)])
        self.assertAccepted(self.receive(receipt, self.gs1(self.vendor_gtin, "VND-M1")))
        self.action(receipt, "validate")
        self.assertEqual(receipt.state, "done")

    def test_a_closed_receipt_takes_no_scan(self):
        receipt = self._create_receipt([(self.vendor_item, 1)])
        receipt.action_cancel()
        self.assertScanRefused(receipt, self.gs1(self.vendor_gtin, "VND-C1"), "is cancelled")
        with self.assertChangesNothing(), self.assertRefused(UserError, "is cancelled"):
            self.action(receipt, "validate")

    def test_a_stale_hold_is_released(self):
        """A serial whose receipt dropped it in Odoo's form can be received elsewhere."""
        first = self._create_receipt([(self.gadget, 1)])
        second = self._create_receipt([(self.gadget, 1)])
        self.env["stock.lot"].create({"name": "RCV-STALE", "product_id": self.gadget.id})
        self.assertAccepted(self.receive(first, "RCV-STALE"))
        first.move_line_ids.filtered("lot_id").unlink()
        self.assertAccepted(self.receive(second, "RCV-STALE"))
        self.assertEqual(self.lines(second, picked=True).lot_id.name, "RCV-STALE")


@tagged("post_install", "-at_install")
class TestScanReceiveTile(ReceiveCase):
    """Once every add-on registered its operations (Deliver comes with dispatch)."""

    def test_the_home_tiles_have_an_icon_each(self):
        """Receive's tile is not mistaken for another's (Deliver's truck)."""
        tiles = self.operations.scan_operations()
        receive = next(tile for tile in tiles if tile["key"] == "receive")
        others = {tile["icon"]: tile["key"] for tile in tiles if tile["key"] != "receive"}
        self.assertNotIn(receive["icon"], others,
                         f"Receive looks like {others.get(receive['icon'])}")



@tagged("post_install", "-at_install")
class TestScanReceiveConcurrency(RealTransactionCase):
    """Two receipts receiving one new vendor serial at once, on real parallel transactions
    (each on its own connection, with committed fixtures, removed afterwards)."""

    def _commit_fixture(self):
        """A product with a GTIN and two open receipts of one unit each, committed; returns
        (product id, the vendor's GS1 code of a new serial, its name, receipt ids, names)."""
        tag = uuid.uuid4().hex[:8].upper()
        cursor = self._real_cursor()
        try:
            env = self._real_env(cursor)
            gtin = gtin13("59" + "".join(random.choices("0123456789", k=10)))
            product = env["product.product"].create({
                "name": f"Race receipt unit {tag}", "is_storable": True, "tracking": "serial",
                "barcode": gtin})
            pattern = product._get_serial_pattern()
            name = pattern._generate(1, product)[0] if pattern else f"RACE-{tag}"
            supplier = env.ref("stock.stock_location_suppliers")
            stock = env.ref("stock.stock_location_stock")
            receipts = env["stock.picking"].create([{
                "picking_type_id": env.ref("stock.picking_type_in").id,
                "location_id": supplier.id, "location_dest_id": stock.id,
                "move_ids": [Command.create({
                    "name": product.name, "product_id": product.id, "product_uom_qty": 1,
                    "product_uom": product.uom_id.id, "location_id": supplier.id,
                    "location_dest_id": stock.id})],
            } for _index in range(2)])
            receipts.action_confirm()
            ids = (product.id, f"(01)0{gtin}(21){name}", name, receipts.ids,
                   receipts.mapped("name"))
            cursor.commit()
        finally:
            cursor.close()
        self.addCleanup(self._delete_fixture, ids[0], ids[3])
        return ids

    def _delete_fixture(self, product_id, receipt_ids):
        cursor = self._real_cursor()
        try:
            env = self._real_env(cursor)
            receipts = env["stock.picking"].browse(receipt_ids).exists()
            receipts.action_cancel()
            cursor.execute("DELETE FROM serial_scan WHERE picking_id = ANY(%s)", [receipt_ids])
            receipts.unlink()
            lots = env["stock.lot"].search([("product_id", "=", product_id)])
            for lot_id in lots.ids:
                cursor.execute("DELETE FROM serial_registry_queue WHERE payload->'lot_ids' @> "
                               "%s::jsonb", [json.dumps([lot_id])])
            lots.unlink()
            product = env["product.product"].browse(product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.exists().unlink()
            cursor.commit()
        finally:
            cursor.close()

    def _committed(self, product_id, receipt_ids):
        """(receipt, client id, result, message) of the committed scans, the names of the
        product's serials and the receipts of the lines with a serial, seen afresh."""
        cursor = self._real_cursor()
        try:
            cursor.execute("""SELECT picking_id, client_uid, result, message FROM serial_scan
                               WHERE picking_id = ANY(%s) ORDER BY id""", [receipt_ids])
            scans = cursor.fetchall()
            cursor.execute("SELECT name FROM stock_lot WHERE product_id = %s", [product_id])
            serials = [row[0] for row in cursor.fetchall()]
            cursor.execute("""SELECT picking_id FROM stock_move_line
                               WHERE picking_id = ANY(%s) AND lot_id IS NOT NULL""",
                           [receipt_ids])
            return scans, serials, [row[0] for row in cursor.fetchall()]
        finally:
            cursor.close()

    def test_one_new_vendor_serial_on_two_receipts_at_once(self):
        """A creates the serial and keeps its transaction open; B's creation waits on the
        serial's unique key, and is refused (logged, answered) once A commits."""
        product_id, code, name, receipt_ids, names = self._commit_fixture()

        def scan(receipt_id, client_uid):
            return lambda env: env["serial.scan.operation"].scan(
                "receive", receipt_id, code, client_uid)

        answer_a, outcome_b = self._race(scan(receipt_ids[0], "receive-race-a"),
                                         scan(receipt_ids[1], "receive-race-b"),
                                         name="receive-race-b")
        self.assertEqual(answer_a["result"], "accepted", answer_a["message"])
        self.assertNotIn("error", outcome_b)
        answer_b = outcome_b["result"]
        message = (f"Serial {name} was received on another receipt ({names[0]}) at the same "
                   "moment.")
        self.assertEqual((answer_b["result"], answer_b["message"]), ("refused", message))
        scans, serials, received_on = self._committed(product_id, receipt_ids)
        self.assertEqual(scans, [(receipt_ids[0], "receive-race-a", "accepted",
                                  answer_a["message"]),
                                 (receipt_ids[1], "receive-race-b", "refused", message)])
        self.assertEqual(serials, [name])
        self.assertEqual(received_on, [receipt_ids[0]], "B received nothing")


@tagged("post_install", "-at_install")
class TestScanReceiveTour(HttpCase):
    def _receive_tour(self):
        """Receive by scanning through Odoo's barcode service; check the stock after."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env.company.serial_pattern_id = False
        supplier = env["res.partner"].create({"name": "Tour Vendor"})
        pattern = env["serial.pattern"].create(
            {"name": "Tour receive", "template": "TRV-{SEQ:4}", "check_algorithm": "none"})
        gadget = env["product.product"].create({
            "name": "Tour Gadget", "is_storable": True, "tracking": "serial",
            "serial_pattern_id": pattern.id})
        vendor_item = env["product.product"].create({
            "name": "Tour Vendor Item", "is_storable": True, "tracking": "serial",
            "barcode": gtin13("540000000009")})
        env["stock.lot"].create({"name": "TRV-PRE1", "product_id": gadget.id})
        stock = env.ref("stock.stock_location_stock")
        picking_type = env.ref("stock.picking_type_in")
        picking_type.write({"serial_scan_allow_extra": True,
                            "serial_scan_require_location": False,
                            "serial_scan_policy": "optional"})
        receipt = env["stock.picking"].create({
            "picking_type_id": picking_type.id, "partner_id": supplier.id,
            "location_id": env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": stock.id, "origin": "TOUR-PO",
            "move_ids": [Command.create({
                "name": product.name, "product_id": product.id, "product_uom_qty": quantity,
                "product_uom": product.uom_id.id,
                "location_id": env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": stock.id}) for product, quantity in
                ((gadget, 1), (vendor_item, 2))],
        })
        receipt.action_confirm()

        self.start_tour("/odoo/action-serial_inventory_scan.action_serial_scanner",
                        "serial_inventory_scan_receive_tour", login="admin")

        self.env.invalidate_all()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(
            [(scan.code, scan.result) for scan in env["serial.scan"].search(
                [("picking_id", "=", receipt.id)], order="id")],
            [("TRV-PRE1", "accepted"), ("TRV-PRE1", "refused"),
             ("(01)0" + vendor_item.barcode + "(21)TV-1(10)TB-1", "accepted")])
        lot = env["stock.lot"].search([("name", "=", "TV-1")])
        self.assertEqual(lot.serial_batch_id.name, "TB-1")
        quants = env["stock.quant"].search(
            [("product_id", "in", (gadget | vendor_item).ids), ("quantity", ">", 0),
             ("location_id", "=", stock.id)])
        self.assertEqual(sorted(quants.lot_id.mapped("name")), ["TRV-PRE1", "TV-1"])
        done = receipt.move_ids.filtered(lambda move: move.state == "done")
        self.assertEqual(sorted(done.mapped("quantity")), [1.0, 1.0])
        self.assertEqual(receipt.backorder_ids.move_ids.product_uom_qty, 1.0,
                         "the unit not scanned waits on Odoo's backorder")

    def test_receive_tour_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._receive_tour()

    def test_receive_tour_desktop(self):
        self._receive_tour()
