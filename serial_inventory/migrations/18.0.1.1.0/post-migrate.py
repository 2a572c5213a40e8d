"""Serial names (issue 11): every serial gets the key of the naming rule; serials stored
before it that the rule makes the same serial are reported and flagged, never merged or
renamed (see serial.lot.naming._migrate_names)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["serial.lot.naming"]._migrate_names()
