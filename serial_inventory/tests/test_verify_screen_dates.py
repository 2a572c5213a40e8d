from odoo.tests import HttpCase, tagged

from .test_serial_recall import RecallCase


@tagged("post_install", "-at_install")
class TestVerifyScreenDates(HttpCase, RecallCase):
    def test_verify_screen_shows_dates_in_the_users_format(self):
        """Manufacture, expiry, delivery (in the verdict) and history dates: one format,
        the user's language's (here day.month.year, 24-hour time)."""
        self.env.ref("base.lang_en").write(
            {"date_format": "%d.%m.%Y", "time_format": "%H:%M:%S"})
        self.env.ref("base.user_admin").write({"lang": "en_US", "tz": "Europe/Brussels"})
        [lot] = self._receive(["TOUR-DATE-1"])
        lot.write({"manufacture_date": "2026-03-04", "expiration_date": "2027-05-06 10:00:00"})
        self._deliver(lot, self.other_customer)
        self.assertEqual(lot.serial_state, "delivered")

        self.start_tour("/odoo/action-serial_inventory.action_serial_verify",
                        "serial_inventory_verify_dates_tour", login="admin")

        verification = self.env["serial.verification"].search([("serial", "=", "TOUR-DATE-1")])
        self.assertEqual(verification.result, "delivered")
