"""Fixtures of the dispatch tests: serial and untracked products in stock, ready deliveries."""

import itertools

from odoo.addons.serial_inventory.tests.common import SerialInventoryCase

GTIN = "09506000134352"  # valid GTIN-14 of the serial product, for GS1 element strings

_uids = itertools.count(1)


class DispatchCase(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shelf = cls.env["stock.location"].create({
            "name": "Dispatch shelf", "location_id": cls.stock_location.id, "usage": "internal"})
        cls.other_warehouse_location = cls.env["stock.location"].create({
            "name": "Dispatch elsewhere", "usage": "internal",
            "location_id": cls.stock_location.location_id.id})
        cls.phone = cls._create_serial_product("Dispatch Phone", barcode=GTIN)
        cls.cable = cls.env["product.product"].create({
            "name": "Dispatch Cable", "is_storable": True, "barcode": "DSP-CABLE"})
        cls.battery = cls.env["product.product"].create({
            "name": "Dispatch Battery", "is_storable": True, "tracking": "lot",
            "barcode": "DSP-BATTERY"})
        cls.phone_lots = cls.env["stock.lot"].create([
            {"name": f"DSP-PH-{index:03d}", "product_id": cls.phone.id,
             "company_id": cls.company.id}
            for index in range(1, 7)
        ])
        Quant = cls.env["stock.quant"]
        for lot in cls.phone_lots[:5]:
            Quant._update_available_quantity(cls.phone, cls.stock_location, 1, lot_id=lot)
        # The sixth serial is in stock, but on a shelf of the source location.
        Quant._update_available_quantity(cls.phone, cls.shelf, 1, lot_id=cls.phone_lots[5])
        Quant._update_available_quantity(cls.cable, cls.stock_location, 20)
        cls.battery_lot = cls.env["stock.lot"].create({
            "name": "DSP-BAT-LOT1", "product_id": cls.battery.id, "company_id": cls.company.id})
        Quant._update_available_quantity(cls.battery, cls.stock_location, 10,
                                         lot_id=cls.battery_lot)
        # A serial that exists but is stored outside the delivery's source location.
        cls.away_lot = cls.env["stock.lot"].create({
            "name": "DSP-PH-AWAY", "product_id": cls.phone.id, "company_id": cls.company.id})
        Quant._update_available_quantity(cls.phone, cls.other_warehouse_location, 1,
                                         lot_id=cls.away_lot)

    def _ready_delivery(self, lines=None):
        delivery = self._create_delivery(lines or [(self.phone, 3), (self.cable, 2)])
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")
        return delivery

    @staticmethod
    def _uid():
        return f"test-scan-{next(_uids)}"

    def _scan(self, picking, code, client_uid=None):
        return picking.serial_dispatch_scan(code, client_uid or self._uid())

    def _line(self, picking, product):
        state = picking.serial_dispatch_state()
        return next(line for line in state["lines"] if line["product_id"] == product.id)

    def assertAccepted(self, result):
        self.assertEqual(result["result"], "accepted", result["message"])

    def assertRefusedScan(self, result, *fragments):
        self.assertEqual(result["result"], "refused", result)
        for fragment in fragments:
            self.assertIn(fragment, result["message"])
