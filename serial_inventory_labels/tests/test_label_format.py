from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import float_compare, mute_logger

SEEDED_FORMATS = {
    "label_format_a4_3x8": (3, 8, 210.0, 297.0),
    "label_format_a4_4x10": (4, 10, 210.0, 297.0),
    "label_format_letter_3x10": (3, 10, 215.9, 279.4),
    "label_format_thermal_2x1in": (1, 1, 50.8, 25.4),
    "label_format_thermal_4x6in": (1, 1, 101.6, 152.4),
    "label_format_thermal_57x32": (1, 1, 57.0, 32.0),
}


@tagged("post_install", "-at_install")
class TestLabelFormat(TransactionCase):
    def test_seeded_formats_match_their_sheets(self):
        for xmlid, (columns, rows, width, height) in SEEDED_FORMATS.items():
            label_format = self.env.ref(f"serial_inventory_labels.{xmlid}")
            with self.subTest(label_format=label_format.name):
                self.assertEqual((label_format.columns, label_format.rows), (columns, rows))
                self.assertEqual(label_format.labels_per_page, columns * rows)
                self.assertEqual(
                    (label_format.page_width_mm, label_format.page_height_mm), (width, height))

    def test_seeded_labels_fit_on_their_page(self):
        for xmlid in SEEDED_FORMATS:
            fmt = self.env.ref(f"serial_inventory_labels.{xmlid}")
            used_width = (fmt.margin_left_mm + fmt.columns * fmt.label_width_mm
                          + (fmt.columns - 1) * fmt.gap_horizontal_mm)
            used_height = (fmt.margin_top_mm + fmt.rows * fmt.label_height_mm
                           + (fmt.rows - 1) * fmt.gap_vertical_mm)
            with self.subTest(label_format=fmt.name):
                self.assertLessEqual(float_compare(used_width, fmt.page_width_mm, 2), 0)
                self.assertLessEqual(float_compare(used_height, fmt.page_height_mm, 2), 0)

    def test_a_format_needs_rows_and_columns(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["serial.label.format"].create({"name": "Broken", "rows": 0})
