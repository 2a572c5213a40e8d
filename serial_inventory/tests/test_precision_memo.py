"""Within a fast path, decimal precisions are read once (odoo_path.fast_path_records).

A precision changed during the operation is seen, the "Discount" precision that account
answers from the state of its own computations is never kept, and on Odoo's path
(``serial_odoo_path``) every read goes to Odoo's precision_get as before.
"""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.account.models.decimal_precision import DecimalPrecision as AccountPrecision

from ..models.decimal_precision import DecimalPrecision
from ..odoo_path import PRECISION_MEMO_KEY, fast_path_records, precision_memo
from .common import SerialInventoryCase

UOM_PRECISION = "Product Unit of Measure"


@contextmanager
def precision_reads():
    """Every application read by the precision_get below the add-on's (account's, then
    Odoo's cached one): a spy that returns what they return."""
    reads = []
    original = AccountPrecision.precision_get

    def spy(self, application):
        reads.append(application)
        return original(self, application)

    with patch.object(AccountPrecision, "precision_get", spy):
        yield reads


@tagged("post_install", "-at_install")
class TestPrecisionMemo(SerialInventoryCase):
    def _validate_receipt_of(self, count, odoo_path=False):
        product = self._create_serial_product(f"Precision unit {count} {odoo_path}")
        receipt = self._create_receipt([(product, count)])
        receipt.move_ids._generate_serial_numbers(f"PM{count}{int(odoo_path)}-0001", count)
        receipt.move_ids.picked = True
        if odoo_path:
            receipt = receipt.with_context(serial_odoo_path=True)
        # The validation itself, after button_validate's checks (which read precisions
        # as Odoo does, before the add-ons' fast path starts).
        with precision_reads() as reads:
            receipt._action_done()
        self.assertEqual(receipt.state, "done")
        return reads

    def test_validation_reads_precisions_once(self):
        """Within the validation, each precision is read once; what still grows with the
        units is Odoo's flush, which reads them in a context of its own (no memo). On
        Odoo's path (the negative control: the switch is read), every value reads it."""
        fast = len(self._validate_receipt_of(12)) - len(self._validate_receipt_of(3))
        odoo = (len(self._validate_receipt_of(12, odoo_path=True))
                - len(self._validate_receipt_of(3, odoo_path=True)))
        self.assertGreater(odoo, 2 * fast, f"reads for 9 more units: {fast} fast, {odoo} Odoo")

    def test_precision_changed_during_the_operation_is_seen(self):
        Precision = fast_path_records(self.env["decimal.precision"])
        self.assertIsNotNone(precision_memo(Precision.env))
        uom = self.env.ref("product.decimal_product_uom")
        digits = Precision.precision_get(UOM_PRECISION)
        Precision.browse(uom.id).write({"digits": digits + 1})
        self.assertEqual(Precision.precision_get(UOM_PRECISION), digits + 1)
        # Negative control: without forgetting, the memo would answer the old digits.
        with patch.object(DecimalPrecision, "_serial_forget_precisions", lambda self: None):
            Precision.browse(uom.id).write({"digits": digits + 2})
            self.assertEqual(Precision.precision_get(UOM_PRECISION), digits + 1)

    def test_discount_is_never_kept(self):
        Precision = fast_path_records(self.env["decimal.precision"])
        digits = Precision.precision_get("Discount")
        move = self.env["account.move"].create({"move_type": "entry"})
        # How account asks for full discount precision while it computes a move.
        with move._disable_recursion({"records": move}, "ignore_discount_precision"):
            self.assertEqual(Precision.precision_get("Discount"), 100)
        self.assertEqual(Precision.precision_get("Discount"), digits)

    def test_a_memo_sent_by_a_client_is_ignored(self):
        """A context from a client (JSON) holds dicts: it cannot set the digits."""
        forged = self.env["decimal.precision"].with_context(
            **{PRECISION_MEMO_KEY: {"digits": {UOM_PRECISION: 0}}})
        self.assertIsNone(precision_memo(forged.env))
        self.assertEqual(forged.precision_get(UOM_PRECISION),
                         self.env["decimal.precision"].precision_get(UOM_PRECISION))
        self.assertNotEqual(forged.precision_get(UOM_PRECISION), 0)
