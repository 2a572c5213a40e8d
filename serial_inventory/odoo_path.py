"""The switch to Odoo's own code.

Under the context key ``serial_odoo_path`` every fast path of the add-ons steps aside and
Odoo's code runs unchanged: validation moves quants line by line (no ..unit_moves), and the
lots Odoo creates at validation get their chatter "created" message even when there are
many. Equivalence tests run the same operation
with and without the key and compare what the database holds; a support engineer can set it
to rule the fast paths out.
"""

ODOO_PATH_KEY = "serial_odoo_path"


def uses_odoo_path(env):
    return bool(env.context.get(ODOO_PATH_KEY))
