import time

from odoo import api, fields, models

DEFAULT_LIMIT = 30
DEFAULT_WINDOW_SECONDS = 600


class SerialPublicRate(models.Model):
    """Counts the public authenticity checks per network address and time window.

    Kept in the database, and counted with one atomic upsert, so that every HTTP worker
    sees the same counter. Old windows are removed by the autovacuum.
    """

    _name = "serial.public.rate"
    _description = "Public serial check rate"
    _log_access = False

    remote_addr = fields.Char(required=True)
    window_start = fields.Integer(required=True, help="Start of the window, in seconds since 1970.")
    hits = fields.Integer(default=0)

    _sql_constraints = [
        ("addr_window_uniq", "unique(remote_addr, window_start)",
         "One counter per address and window."),
    ]

    @api.model
    def _limits(self):
        params = self.env["ir.config_parameter"].sudo()
        limit = int(params.get_param("serial_inventory.public_verify_limit", DEFAULT_LIMIT))
        window = int(params.get_param("serial_inventory.public_verify_window",
                                      DEFAULT_WINDOW_SECONDS))
        return max(limit, 1), max(window, 1)

    @api.model
    def _hit(self, remote_addr):
        """Count one check from ``remote_addr``; False when over the limit."""
        limit, window = self._limits()
        start = int(time.time()) // window * window
        self.env.cr.execute(
            """
            INSERT INTO serial_public_rate (remote_addr, window_start, hits)
                 VALUES (%s, %s, 1)
            ON CONFLICT (remote_addr, window_start) DO UPDATE
                    SET hits = serial_public_rate.hits + 1
              RETURNING hits
            """,
            (remote_addr or "unknown", start),
        )
        (hits,) = self.env.cr.fetchone()
        return hits <= limit

    @api.autovacuum
    def _gc_old_windows(self):
        _limit, window = self._limits()
        self.env.cr.execute('DELETE FROM serial_public_rate WHERE window_start < %s',
                            (int(time.time()) - 2 * window,))
