import json

from odoo.tests import tagged

from .common import DispatchCase


@tagged("post_install", "-at_install")
class TestDispatchState(DispatchCase):
    """The dialog's "dispatched" state comes from the server, so it survives closing the
    dialog: the last Dispatch's result while the scans and move lines are as it left them."""

    def _dispatched(self, picking):
        picking.invalidate_recordset()
        state = picking.serial_dispatch_state()
        json.dumps(state)  # the dialog receives it as JSON
        return state["dispatched"]

    def test_dispatched_state_is_read_back_until_something_changes(self):
        delivery = self._ready_delivery()
        self.assertFalse(self._dispatched(delivery))
        self.assertAccepted(self._scan(delivery, self.phone_lots[0].name))
        self.assertFalse(self._dispatched(delivery), "scanned but not dispatched")
        applied = delivery.serial_dispatch_apply()
        dispatched = self._dispatched(delivery)
        self.assertEqual(dispatched, {"differences": applied["differences"],
                                      "complete": applied["complete"]})
        self.assertEqual([(d["product_name"], d["missing"]) for d in dispatched["differences"]],
                         [("Dispatch Phone", 2.0), ("Dispatch Cable", 2.0)])
        # A refused scan changes nothing on the delivery: still dispatched.
        self.assertRefusedScan(self._scan(delivery, "NO-SUCH-CODE"), "NO-SUCH-CODE")
        self.assertTrue(self._dispatched(delivery))
        # An accepted scan asks for Dispatch again, as in the dialog.
        self.assertAccepted(self._scan(delivery, "DSP-CABLE"))
        self.assertFalse(self._dispatched(delivery))
        delivery.serial_dispatch_apply()
        self.assertTrue(self._dispatched(delivery))
        # So does a quantity set by hand.
        cable_move = delivery.move_ids.filtered(lambda move: move.product_id == self.cable)
        delivery.serial_dispatch_set_quantity(cable_move.id, 2)
        self.assertFalse(self._dispatched(delivery))

    def test_complete_dispatch_and_changes_outside_the_dialog(self):
        delivery = self._ready_delivery([(self.phone, 1)])
        self.assertAccepted(self._scan(delivery, self.phone_lots[0].name))
        delivery.serial_dispatch_apply()
        self.assertEqual(self._dispatched(delivery), {"differences": [], "complete": True})
        # The move lines Dispatch wrote, changed in the form: the differences no longer hold.
        delivery.move_line_ids.picked = False
        self.assertFalse(self._dispatched(delivery))
        delivery.serial_dispatch_apply()
        self.assertTrue(self._dispatched(delivery))
        delivery.serial_dispatch_rescan()
        self.assertFalse(self._dispatched(delivery))
        self.assertFalse(delivery.serial_dispatch_applied)

    def test_delivered_transfer_is_not_dispatched_any_more(self):
        delivery = self._ready_delivery([(self.phone, 1)])
        self.assertAccepted(self._scan(delivery, self.phone_lots[0].name))
        delivery.serial_dispatch_apply()
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertFalse(self._dispatched(delivery))
        self.assertFalse(delivery.copy().serial_dispatch_applied)
