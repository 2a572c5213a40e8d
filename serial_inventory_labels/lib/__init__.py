"""Plain-Python helpers of the labels add-on (no Odoo import), unit-tested on their own.

- ``barcode_drawing``: barcode symbols drawn as inline SVG (QWeb / wkhtmltopdf) or PNG.
- ``label_geometry``: where each label sits on a sheet or thermal roll.
- ``zpl``: ZPL II for Zebra thermal printers.
"""
