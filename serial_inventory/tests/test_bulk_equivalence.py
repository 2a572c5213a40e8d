"""The set-wise numbering and validation paths store exactly what Odoo's own paths store.

Two identical receipts are numbered, one by ``stock.move._serial_fill_from_pattern`` (lots
and lines copied from a prototype, see serial_inventory/bulk.py) and validated with the
set-wise quants of stock.move.line._action_done, the other record by record through the ORM
and validated by Odoo's own per-line code. Every column of the lots, move lines and moves,
and after validation of the quants, valuation layers and journal items, must be equal,
apart from those that identify the record (ids, names, the picking's reference).
"""

import json

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import SerialInventoryCase, stored_rows

IDENTITY_COLUMNS = {
    "id", "name", "serial_unique_key", "lot_id", "move_id", "picking_id", "reference",
    "origin", "stock_move_id", "description", "move_line_ids", "group_id", "account_move_id",
    "account_move_line_id",
}


@tagged("post_install", "-at_install")
class TestBulkEquivalence(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern("EQ{SEQ:6:36}{CHECK}", "mod37_36")
        cls.product = cls._create_serial_product(
            "Equivalence unit", cls.pattern, use_expiration_date=True, expiration_time=30,
            lot_properties_definition=[
                {"name": "colour", "string": "Colour", "type": "char"}],
            standard_price=12.5,
            categ_id=cls.env["product.category"].create({
                "name": "Equivalence (real time, FIFO)", "property_cost_method": "fifo",
                "property_valuation": "real_time"}).id,
        )
        cls.batch = cls.env["serial.batch"].create(
            {"name": "EQ-BATCH", "product_id": cls.product.id})
        cls.lot_values = {
            "serial_batch_id": cls.batch.id,
            "manufacture_date": "2026-10-01",
            "expiration_date": "2028-01-31 00:00:00",
            "lot_properties": {"colour": "blue"},
        }

    def _rows(self, table, ids):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT * FROM %s WHERE id IN %s ORDER BY id", SQL.identifier(table), tuple(ids)))
        columns = [column.name for column in self.env.cr.description]
        rows = []
        for values in self.env.cr.fetchall():
            row = {column: value for column, value in zip(columns, values, strict=True)
                   if column not in IDENTITY_COLUMNS}
            rows.append(json.dumps(row, sort_keys=True, default=str))
        return sorted(rows)

    def _count_queries(self, function):
        before = self.env.cr.sql_log_count
        function()
        return self.env.cr.sql_log_count - before

    def _number_through_the_orm(self, move):
        """What Odoo's own per-record operations store for the same serials."""
        names = self.pattern._generate(int(move.product_qty), self.product)
        lots = self.env["stock.lot"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True,
        ).create([
            {"name": name, "product_id": self.product.id, "company_id": move.company_id.id,
             **self.lot_values}
            for name in names
        ])
        lines = move.move_line_ids.sorted("id")
        for line, lot in zip(lines, lots, strict=False):
            line.write({"lot_id": lot.id})
        for lot in lots[len(lines):]:
            self.env["stock.move.line"].create(
                {**move._prepare_move_line_vals(quantity=1), "lot_id": lot.id, "quantity": 1})
        return lots

    def _assert_same_rows(self, table, fast_ids, orm_ids):
        fast, orm = self._rows(table, fast_ids), self._rows(table, orm_ids)
        self.assertEqual(len(fast), len(orm))
        if fast != orm:
            differing = {
                column: (json.loads(a)[column], json.loads(b)[column])
                for a, b in zip(fast, orm, strict=True)
                for column in json.loads(a) if json.loads(a)[column] != json.loads(b)[column]
            }
            self.fail(f"{table} rows differ between the two paths: {differing}")

    def _compare(self, fast_receipt, orm_receipt, fast_lots, orm_lots):
        self.assertEqual(len(fast_lots), len(orm_lots))
        self._assert_same_rows("stock_lot", fast_lots.ids, orm_lots.ids)
        self._assert_same_rows("stock_move_line", fast_receipt.move_line_ids.ids,
                               orm_receipt.move_line_ids.ids)
        self._assert_same_rows("stock_move", fast_receipt.move_ids.ids, orm_receipt.move_ids.ids)
        self.assertEqual(set(fast_receipt.move_line_ids.lot_id.mapped("expiration_date")),
                         {fields.Datetime.to_datetime("2028-01-31 00:00:00")})

    @freeze_time("2026-11-02 09:00:00")
    def test_receipt_lines_numbered_in_place(self):
        fast_receipt = self._create_receipt([(self.product, 25)])
        orm_receipt = self._create_receipt([(self.product, 25)])
        self.assertEqual(len(fast_receipt.move_line_ids), 25)
        fast_lots = fast_receipt.move_ids._serial_fill_from_pattern(self.lot_values)
        orm_lots = self._number_through_the_orm(orm_receipt.move_ids)
        self._compare(fast_receipt, orm_receipt, fast_lots, orm_lots)

        small_receipt = self._create_receipt([(self.product, 5)])
        small_receipt.move_ids._serial_fill_from_pattern(self.lot_values)
        with freeze_time("2026-11-02 10:00:00"):
            small_queries = self._count_queries(lambda: self._validate(small_receipt))
            fast_queries = self._count_queries(lambda: self._validate(fast_receipt))
            self._validate(orm_receipt.with_context(serial_standard_validation=True))
        # The set-wise path ran: 20 more units cost no more queries (Odoo's own path creates
        # two quants per unit).
        self.assertLess(fast_queries - small_queries, 20)
        fast_quants = self.env["stock.quant"].search([("lot_id", "in", fast_lots.ids)])
        orm_quants = self.env["stock.quant"].search([("lot_id", "in", orm_lots.ids)])
        self._assert_same_rows("stock_quant", fast_quants.ids, orm_quants.ids)
        self._assert_same_rows("stock_move_line", fast_receipt.move_line_ids.ids,
                               orm_receipt.move_line_ids.ids)
        fast_layers = fast_receipt.move_ids.stock_valuation_layer_ids
        orm_layers = orm_receipt.move_ids.stock_valuation_layer_ids
        self.assertTrue(fast_layers)
        self._assert_same_rows("stock_valuation_layer", fast_layers.ids, orm_layers.ids)
        fast_entries = fast_layers.account_move_id.line_ids
        self.assertTrue(fast_entries, "real-time valuation posts an entry")
        self.assertEqual(
            sorted(fast_entries.mapped(lambda line: (line.account_id.id, line.debit, line.credit))),
            sorted(orm_layers.account_move_id.line_ids.mapped(
                lambda line: (line.account_id.id, line.debit, line.credit))))
        self.assertEqual(set(fast_lots.mapped("serial_state")), {"in_stock"})

    @freeze_time("2026-11-02 09:00:00")
    def test_units_without_lines_get_copied_lines(self):
        fast_receipt = self._create_receipt([(self.product, 12)])
        orm_receipt = self._create_receipt([(self.product, 12)])
        # Without reserved lines every unit needs a new line: the copy path.
        (fast_receipt | orm_receipt).move_line_ids.unlink()
        fast_lots = fast_receipt.move_ids._serial_fill_from_pattern(self.lot_values)
        orm_lots = self._number_through_the_orm(orm_receipt.move_ids)
        self.assertEqual(len(fast_receipt.move_line_ids), 12)
        self.assertEqual(fast_receipt.move_ids.quantity, 12)
        self._compare(fast_receipt, orm_receipt, fast_lots, orm_lots)


@tagged("post_install", "-at_install")
class TestValidationEquivalence(SerialInventoryCase):
    """One receipt, serials named by Odoo's own "Generate Serials", validated twice: by
    Odoo's per-line path, then (after rolling back) by the set-wise path. Everything it
    stores must be identical, serial names included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product(
            "Validation equivalence unit", use_expiration_date=True, expiration_time=400,
            standard_price=7.25,
            categ_id=cls.env["product.category"].create({
                "name": "Validation equivalence (real time, FIFO)",
                "property_cost_method": "fifo", "property_valuation": "real_time"}).id,
        )

    def _snapshot(self, receipt):
        self.env.flush_all()
        cr = self.env.cr
        ignored = {"id", "lot_id", "move_id", "picking_id", "reference", "origin",
                   "stock_move_id", "account_move_id", "account_move_line_id", "description",
                   "create_date", "write_date", "group_id"}

        def rows(query, *params):
            return stored_rows(cr, query, params, ignored)

        return {
            "lots": rows("SELECT * FROM stock_lot WHERE product_id = %s", self.product.id),
            "quants": rows("SELECT quant.*, lot.name AS lot_ref FROM stock_quant quant "
                           "JOIN stock_lot lot ON lot.id = quant.lot_id "
                           "WHERE quant.product_id = %s", self.product.id),
            "lines": rows("SELECT line.*, lot.name AS lot_ref FROM stock_move_line line "
                          "JOIN stock_lot lot ON lot.id = line.lot_id "
                          "WHERE line.picking_id = %s", receipt.id),
            "moves": rows("SELECT * FROM stock_move WHERE picking_id = %s", receipt.id),
            "layers": rows("SELECT * FROM stock_valuation_layer WHERE stock_move_id IN %s",
                           tuple(receipt.move_ids.ids)),
            "entries": sorted(receipt.move_ids.stock_valuation_layer_ids.account_move_id
                              .line_ids.mapped(lambda line: (line.account_id.code,
                                                             line.debit, line.credit))),
        }

    def _receive(self, standard):
        receipt = self._create_receipt([(self.product, 30)])
        receipt.move_ids._generate_serial_numbers("VEQ-000001", 30)
        # An expiry typed on the lines: product_expiry gives it to each lot it creates,
        # instead of the lot's own default (today + expiration time).
        receipt.move_line_ids.write({"expiration_date": "2027-12-24 00:00:00"})
        if standard:
            receipt = receipt.with_context(serial_standard_validation=True)
        before = self.env.cr.sql_log_count
        self._validate(receipt)
        return receipt, self.env.cr.sql_log_count - before

    def test_same_receipt_validated_both_ways(self):
        """Receipt type using existing lots: Odoo's generation creates the lots."""
        self.picking_type_in.use_existing_lots = True
        self._check_both_ways()

    def test_same_receipt_with_serial_names_only(self):
        """Receipt type creating lots at validation: the lines carry names only."""
        self.picking_type_in.use_existing_lots = False
        self._check_both_ways()

    def _check_both_ways(self):
        with freeze_time("2026-11-03 09:30:00"):
            savepoint = self.env.cr.savepoint()
            receipt, standard_queries = self._receive(standard=True)
            standard = self._snapshot(receipt)
            savepoint.close(rollback=True)
            self.env.transaction.reset()
            receipt, fast_queries = self._receive(standard=False)
            fast = self._snapshot(receipt)
        self.assertEqual(len(fast["lots"]), 30)
        self.assertEqual(len(fast["quants"]), 60, "a -1 quant at the supplier, +1 in stock")
        self.assertTrue(fast["entries"])
        for table in standard:
            self.assertEqual(fast[table], standard[table], f"{table} differ")
        self.assertLess(fast_queries, standard_queries)
