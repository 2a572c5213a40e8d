"""Plain-Python helpers of the Serial Inventory add-on (no Odoo import, unit-tested alone)."""
