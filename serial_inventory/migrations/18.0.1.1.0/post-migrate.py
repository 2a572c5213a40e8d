"""Serial names (issue 11): every serial gets the key of the naming rule; serials stored
before it that the rule makes the same serial are reported and flagged, never merged or
renamed (see serial.lot.naming._migrate_names). Units under an open recall get the status
"Recalled (blocked)" that came with the same version."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["serial.lot.naming"]._migrate_names()
    recalled = env["stock.lot"].search([("serial_recall_id", "!=", False)])
    env.add_to_compute(env["stock.lot"]._fields["serial_state"], recalled)
    recalled.flush_recordset(["serial_state"])
