"""Odoo calls a stock.picking a "Transfer" (Receipt, Delivery order...): the add-ons' field
labels, help texts and views say so too. Technical names (picking_id...) stay."""

import re

from lxml import etree

from odoo.tests import TransactionCase, tagged

OUR_MODULES = {"serial_inventory", "serial_inventory_labels", "serial_inventory_dispatch",
               "serial_inventory_scan"}
PICKING_WORD = re.compile(r"\bpickings?\b", re.IGNORECASE)
SHOWN_ATTRIBUTES = ("string", "help", "placeholder", "title", "confirm", "sum")


@tagged("post_install", "-at_install")
class TestUserWords(TransactionCase):
    def test_fields_say_transfer_not_picking(self):
        found = []
        for model_name in self.env.registry:
            model = self.env[model_name]
            for name, field in model._fields.items():
                if field._module not in OUR_MODULES:
                    continue
                shown = [field.string or "", field.help or ""]
                if field.type == "selection" and isinstance(field.selection, list):
                    shown += [label for _value, label in field.selection]
                found += [f"{model_name}.{name}: {text!r}" for text in shown
                          if PICKING_WORD.search(text)]
        self.assertEqual(found, [])
        self.assertEqual(self.env["receipt.serial.fill"]._fields["picking_id"].string,
                         "Transfer")

    def test_views_say_transfer_not_picking(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", list(OUR_MODULES)), ("model", "=", "ir.ui.view")])
        found = []
        for view in self.env["ir.ui.view"].browse(data.mapped("res_id")).exists():
            for node in etree.fromstring(view.arch_db.encode()).iter(tag=etree.Element):
                texts = [node.text or "", node.tail or ""]
                texts += [node.get(attribute, "") for attribute in SHOWN_ATTRIBUTES]
                found += [f"{view.xml_id}: {text.strip()!r}" for text in texts
                          if PICKING_WORD.search(text)]
        self.assertEqual(found, [])
