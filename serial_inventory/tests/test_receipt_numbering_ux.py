"""What a user sees after Number serials on a receipt: the serials in the move's details
dialog, a notification naming them, and the new batch's supplier (issue 12)."""

import re
from types import SimpleNamespace

from lxml import etree

from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SerialInventoryCase

DETAILS_VIEW = "stock.view_stock_move_operations"


@tagged("post_install", "-at_install")
class TestReceiptNumberingUx(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's receipt type: creates lots, does not use existing ones.
        cls.picking_type_in.write({"use_create_lots": True, "use_existing_lots": False})
        cls.pattern = cls._create_pattern("EQ{SEQ:4}", name="Numbering UX pattern")
        cls.product = cls._create_serial_product("Numbered equipment", cls.pattern)
        # An inventory manager who sees serial numbers: the Lot/Serial columns are in that
        # group, and views are rendered for the user's groups.
        cls.user = new_test_user(
            cls.env, login="serial_receipt_numbering",
            groups="stock.group_stock_manager,stock.group_production_lot",
        )
        cls.env = cls.env(user=cls.user)

    def _next_serials(self, count):
        """The next ``count`` serials of the class pattern (its counter is a PostgreSQL
        sequence: not rolled back between tests)."""
        self.env.invalidate_all()
        start = self.pattern.next_counter
        return [f"EQ{counter:04d}" for counter in range(start, start + count)]

    def _number(self, receipt, **values):
        return self.env["receipt.serial.fill"].create(
            {"picking_id": receipt.id, **values}).action_apply()

    # ------------------------------------------------------------------
    # 1. The move's details dialog shows the numbered serials
    # ------------------------------------------------------------------
    def _dialog_columns(self, move):
        """{field name: column visible} for the Lot/Serial columns of ``move``'s details
        dialog, evaluated as the web client does: the dialog's form view, the move line list
        its ``move_line_ids`` loads (list_view_ref), each column's ``column_invisible`` with
        ``parent`` the move as the form reads it."""
        action = move.action_show_details()
        self.assertEqual(action["views"][0][0], self.env.ref(DETAILS_VIEW).id)
        form = self.env["stock.move"].with_context(**action["context"]).get_views(
            action["views"])["views"]["form"]
        [lines_node] = etree.fromstring(form["arch"]).xpath("//field[@name='move_line_ids']")
        list_ref = re.search(r"'list_view_ref': '([\w.]+)'", lines_node.get("context")).group(1)
        lines_list = self.env["stock.move.line"].with_context(list_view_ref=list_ref).get_views(
            [(False, "list")])["views"]["list"]
        self.assertEqual(lines_list["id"], self.env.ref(list_ref).id)
        arch = etree.fromstring(lines_list["arch"])
        columns = {}
        for name in ("lot_id", "lot_name"):
            [node] = arch.xpath(f"/list/field[@name='{name}']")
            expression = node.get("column_invisible") or "False"
            parent_fields = set(re.findall(r"parent\.(\w+)", expression))
            self.assertLessEqual(parent_fields, self._form_fields(form),
                                 f"the dialog's form reads every field {name}'s column needs")
            [values] = move.read(sorted(parent_fields), load=None)
            parent = SimpleNamespace(**values)
            columns[name] = not safe_eval(expression, {"parent": parent,
                                                       "context": action["context"]})
        return columns

    @staticmethod
    def _form_fields(form):
        return {node.get("name") for node in etree.fromstring(form["arch"]).xpath("/form//field")}

    def test_numbered_serials_shown_in_details_dialog(self):
        receipt = self._create_receipt([(self.product, 3)])
        move = receipt.move_ids
        # Odoo's own layout before numbering: the typed-name column.
        self.assertEqual(self._dialog_columns(move), {"lot_id": False, "lot_name": True})

        serials = self._next_serials(3)
        self._number(receipt)
        self.assertEqual(move.move_line_ids.mapped("lot_name"), [False] * 3)
        self.assertEqual(len(move.move_line_ids.lot_id), 3)
        self.assertEqual(self._dialog_columns(move), {"lot_id": True, "lot_name": False})
        # What the rows of the lot_id column show.
        self.assertEqual(move.move_line_ids.lot_id.mapped("display_name"), serials)
        # The receipt form opens the same dialog from its move list.
        picking_form = self.env["stock.picking"].get_views([(False, "form")])["views"]["form"]
        [moves_node] = etree.fromstring(picking_form["arch"]).xpath(
            "//field[@name='move_ids_without_package']")
        self.assertIn(f"'form_view_ref': '{DETAILS_VIEW}'", moves_node.get("context"))

        self._validate(receipt)
        self.assertEqual(self._dialog_columns(move), {"lot_id": True, "lot_name": False})

    def test_typed_and_numbered_serials_both_shown(self):
        receipt = self._create_receipt([(self.product, 3)])
        move = receipt.move_ids
        move.move_line_ids[0].lot_name = "TYPED-0001"
        self._number(receipt)
        self.assertEqual(len(move.move_line_ids.lot_id), 2)
        self.assertEqual(self._dialog_columns(move), {"lot_id": True, "lot_name": True})

    def test_odoo_typed_names_keep_odoo_columns(self):
        """Lines holding typed names only (Odoo's Generate Serials on this type) keep Odoo's
        layout; a type that uses existing lots keeps its lot_id column."""
        receipt = self._create_receipt([(self.product, 2)])
        move = receipt.move_ids
        move.move_line_ids.unlink()
        move.move_line_ids = move._generate_serial_move_line_commands(
            [{"lot_name": "ODOO-1", "quantity": 1}, {"lot_name": "ODOO-2", "quantity": 1}])
        self.assertEqual(move.move_line_ids.mapped("lot_name"), ["ODOO-1", "ODOO-2"])
        self.assertEqual(self._dialog_columns(move), {"lot_id": False, "lot_name": True})

        self.picking_type_in.use_existing_lots = True
        other = self._create_receipt([(self.product, 2)])
        self.assertEqual(self._dialog_columns(other.move_ids),
                         {"lot_id": True, "lot_name": False})
        self._number(other)
        self.assertEqual(self._dialog_columns(other.move_ids),
                         {"lot_id": True, "lot_name": False})

    # ------------------------------------------------------------------
    # 2. A notification names what was numbered, and the dialog closes
    # ------------------------------------------------------------------
    def test_notification_names_count_and_serials(self):
        receipt = self._create_receipt([(self.product, 12)])
        serials = self._next_serials(12)
        action = self._number(receipt)
        lots = receipt.move_line_ids.lot_id
        self.assertEqual(sorted(lots.mapped("name")), serials)
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertEqual(params["message"],
                         f"12 serials numbered on {receipt.name}: {serials[0]} … {serials[-1]}")
        self.assertEqual(params["type"], "success")
        # Closing the dialog reloads the receipt that opened it.
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})

        # Nothing left to number: said so, not a success.
        again = self._number(receipt)["params"]
        self.assertIn(receipt.name, again["message"])
        self.assertIn("Nothing to number", again["message"])
        self.assertEqual(again["type"], "warning")
        self.assertEqual(receipt.move_line_ids.lot_id, lots)

        single = self._create_receipt([(self.product, 1)])
        [serial] = self._next_serials(1)
        self.assertEqual(self._number(single)["params"]["message"],
                         f"1 serial numbered on {single.name}: {serial}")

    # ------------------------------------------------------------------
    # 3. The new batch comes from the receipt's supplier
    # ------------------------------------------------------------------
    def test_new_batch_supplier_from_receipt(self):
        company = self.env["res.partner"].create({"name": "Equipment Maker", "is_company": True})
        contact = self.env["res.partner"].create(
            {"name": "Dispatch desk", "parent_id": company.id, "type": "delivery"})
        receipt = self._create_receipt([(self.product, 2)], partner=contact)
        self._number(receipt, new_batch_name="EQ-BATCH-1")
        batch = receipt.move_line_ids.lot_id.serial_batch_id
        self.assertEqual(batch.name, "EQ-BATCH-1")
        self.assertEqual(batch.supplier_id, company)

        # A chosen batch keeps its own supplier (none here).
        chosen = self.env["serial.batch"].create({"name": "EQ-CHOSEN"})
        receipt = self._create_receipt([(self.product, 1)], partner=contact)
        self._number(receipt, serial_batch_id=chosen.id, new_batch_name="IGNORED")
        self.assertEqual(receipt.move_line_ids.lot_id.serial_batch_id, chosen)
        self.assertFalse(chosen.supplier_id)
        self.assertFalse(self.env["serial.batch"].search([("name", "=", "IGNORED")]))

        # A receipt of returned units comes from a customer, not a supplier.
        returned = self._create_picking(self.picking_type_in, self.customer_location,
                                        self.stock_location, [(self.product, 1)], self.customer)
        self._number(returned, new_batch_name="EQ-RETURNED")
        self.assertEqual(returned.move_line_ids.lot_id.serial_batch_id.name, "EQ-RETURNED")
        self.assertFalse(returned.move_line_ids.lot_id.serial_batch_id.supplier_id)

        # Serials generated ahead of arrival know no receipt.
        self.env["serial.pregenerate"].create({
            "product_id": self.product.id, "quantity": 1, "new_batch_name": "EQ-AHEAD",
        }).action_generate()
        ahead = self.env["serial.batch"].search([("name", "=", "EQ-AHEAD")])
        self.assertTrue(ahead)
        self.assertFalse(ahead.supplier_id)
