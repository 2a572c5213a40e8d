"""Fixtures of the scanner tests: a shelf of serial units, and scans through the core's
public entry point (serial.scan.operation.scan), the way the screens call it."""

import itertools

from odoo import Command

from odoo.addons.serial_inventory.tests.common import SerialInventoryCase

_uids = itertools.count(1)


class ScanCase(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("stock.group_stock_manager")
        Location = cls.env["stock.location"]
        cls.shelf = Location.create({"name": "Scan Shelf", "barcode": "SCAN-SHELF",
                                     "location_id": cls.stock_location.id})
        cls.bin = Location.create({"name": "Scan Bin", "barcode": "SCAN-BIN",
                                   "location_id": cls.shelf.id})
        cls.other = Location.create({"name": "Scan Other", "barcode": "SCAN-OTHER",
                                     "location_id": cls.stock_location.id})
        cls.product = cls._create_serial_product("Scanned Drill", barcode="5400000000010")
        cls.lots = {}
        for name, location in (("SC-1", cls.shelf), ("SC-2", cls.shelf), ("SC-3", cls.bin),
                               ("SC-9", cls.other)):
            lot = cls.env["stock.lot"].create({"name": name, "product_id": cls.product.id})
            cls.env["stock.quant"]._update_available_quantity(cls.product, location, 1,
                                                              lot_id=lot)
            cls.lots[name] = lot
        cls.operations = cls.env["serial.scan.operation"]
        stock_user = cls.env.ref("stock.group_stock_user")
        cls.clerk = cls.env["res.users"].create({
            "name": "Scan Clerk", "login": "scan_clerk",
            "company_id": cls.env.company.id,
            "company_ids": [Command.set(cls.env.company.ids)],
            "groups_id": [Command.set([stock_user.id])],
        })

    def scan(self, operation, record, code, client_uid=None, env=None):
        """The answer of the core to ``code`` scanned for ``record`` (a record or id)."""
        operations = env["serial.scan.operation"] if env else self.operations
        record_id = record.id if hasattr(record, "id") else record
        return operations.scan(operation, record_id or False, code,
                               client_uid or f"test-{next(_uids)}")

    def scan_rows(self):
        """How many scans the log holds (every scan is logged, refused ones too)."""
        self.env["serial.scan"].flush_model()
        self.env.cr.execute("SELECT count(*) FROM serial_scan")
        return self.env.cr.fetchone()[0]
