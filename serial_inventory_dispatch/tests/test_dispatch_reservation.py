from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from .common import DispatchCase

TAKEOVER_GROUP = "serial_inventory_dispatch.group_serial_takeover"


@tagged("post_install", "-at_install")
class TestReservedSerials(DispatchCase):
    """A serial Odoo reserved for another open transfer, and its explicit takeover."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(cls.env, "dispatch_clerk", groups="stock.group_stock_user")
        cls.lead = new_test_user(cls.env, "dispatch_lead",
                                 groups=f"stock.group_stock_user,{TAKEOVER_GROUP}")

    def _reserved_pair(self):
        """(first, second, serial): two deliveries of one phone, ``serial`` reserved for the
        first one."""
        first = self._ready_delivery([(self.phone, 1)])
        second = self._ready_delivery([(self.phone, 1)])
        serial = first.move_line_ids.lot_id
        self.assertEqual(len(serial), 1)
        self.assertNotIn(serial, second.move_line_ids.lot_id)
        return first, second, serial

    def _quants(self, lot):
        return self.env["stock.quant"].search([("lot_id", "=", lot.id), ("quantity", ">", 0)])

    def _notes(self, picking):
        return picking.message_ids.filtered(lambda message: "taken over" in message.body)

    def assertReservationsConsistent(self):
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT lot.name, quant.quantity, quant.reserved_quantity FROM stock_quant quant
                 JOIN stock_lot lot ON lot.id = quant.lot_id
                WHERE quant.product_id = %s AND quant.reserved_quantity > quant.quantity""",
            [self.phone.id])
        self.assertEqual(self.env.cr.fetchall(), [], "a serial is reserved beyond its stock")

    def test_group_is_implied_by_the_stock_manager(self):
        group = self.env.ref(TAKEOVER_GROUP)
        self.assertIn(group, self.env.ref("stock.group_stock_manager").implied_ids)
        self.assertEqual(group.name, "Take over reserved serials")
        manager = new_test_user(self.env, "dispatch_manager", groups="stock.group_stock_manager")
        self.assertTrue(manager.has_group(TAKEOVER_GROUP))
        self.assertFalse(self.clerk.has_group(TAKEOVER_GROUP))

    def test_serial_reserved_for_another_delivery_is_refused(self):
        first, second, serial = self._reserved_pair()
        with self.assertChangesNothing():
            result = self._scan(second.with_user(self.clerk), serial.name)
        self.assertRefusedScan(result, f"Serial {serial.name} is reserved for {first.name}.")
        self.assertFalse(result["takeover"], "the clerk may not take it over")
        # A user who may take it over is told so, and the dialog offers the button.
        with self.assertChangesNothing():
            result = self._scan(second.with_user(self.lead), serial.name, "lead-refused")
        self.assertRefusedScan(result, f"reserved for {first.name}", "Take it over")
        self.assertTrue(result["takeover"])
        # A retry of that scan (same id, same code) offers the takeover again.
        again = self._scan(second.with_user(self.lead), serial.name, "lead-refused")
        self.assertTrue(again["duplicate"])
        self.assertTrue(again["takeover"])
        self.assertEqual(second.serial_scan_ids.mapped("result"), ["refused", "refused"])
        self.assertFalse(any(second.serial_scan_ids.mapped("open")))

    def test_takeover_without_the_group_is_refused_even_when_called_directly(self):
        first, second, serial = self._reserved_pair()
        with self.assertChangesNothing():
            result = second.with_user(self.clerk).serial_dispatch_scan(
                serial.name, self._uid(), takeover=True)
        self.assertRefusedScan(result, serial.name, first.name,
                               "only the users of the group “Take over reserved serials”")
        self.assertFalse(result["takeover"])
        self.assertEqual(first.move_line_ids.lot_id, serial)
        self.assertFalse(self._notes(first) | self._notes(second))

    def test_takeover_moves_the_reservation_and_the_other_delivery_gets_another_unit(self):
        first, second, serial = self._reserved_pair()
        freed = second.move_line_ids.lot_id  # Odoo's choice for the second delivery
        result = second.with_user(self.lead).serial_dispatch_scan(
            serial.name, self._uid(), takeover=True)
        self.assertAccepted(result)
        self.assertIn(f"taken over from {first.name}", result["message"])
        self.assertEqual(second.move_line_ids.lot_id, serial)
        # Odoo's _action_assign gave the first delivery the unit the takeover freed.
        self.assertEqual(first.move_line_ids.lot_id, freed)
        self.assertEqual(first.state, "assigned")
        self.assertEqual(self._quants(serial).reserved_quantity, 1.0)
        self.assertReservationsConsistent()
        note = self._notes(first)
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.lead.partner_id)
        self.assertIn(f"Serial {serial.name} was taken over for {second.name} by "
                      f"{self.lead.name}", note.body)
        self.assertIn(f"now has {freed.name} reserved instead", note.body)
        note = self._notes(second)
        self.assertEqual(note.author_id, self.lead.partner_id)
        self.assertIn(f"taken over from {first.name} by {self.lead.name}", note.body)
        # Dispatch writes it once: the unit is not reserved twice.
        applied = second.serial_dispatch_apply()
        self.assertTrue(applied["complete"], applied["differences"])
        self.assertEqual(second.move_line_ids.filtered("picked").lot_id, serial)
        self.assertEqual(self._quants(serial).reserved_quantity, 1.0)
        self.assertReservationsConsistent()
        self._validate(second)
        self.assertEqual(serial.serial_state, "delivered")

    def test_takeover_leaves_the_other_delivery_short_when_no_unit_is_left(self):
        everything = self._ready_delivery([(self.phone, 6)])
        self.assertEqual(len(everything.move_line_ids.lot_id), 6)
        waiting = self._create_delivery([(self.phone, 1)])
        self.assertEqual(waiting.state, "confirmed")
        serial = self.phone_lots[2]
        result = waiting.serial_dispatch_scan(serial.name, self._uid(), takeover=True)
        self.assertAccepted(result)
        self.assertEqual(waiting.move_line_ids.lot_id, serial)
        self.assertEqual(waiting.state, "assigned")
        self.assertNotIn(serial, everything.move_line_ids.lot_id)
        self.assertEqual(everything.move_ids.quantity, 5.0)
        self.assertEqual(everything.move_ids.state, "partially_available")
        self.assertIn(f"{everything.name} is short", self._notes(everything).body)
        self.assertReservationsConsistent()

    def test_a_retried_takeover_counts_once(self):
        first, second, serial = self._reserved_pair()
        taken = second.serial_dispatch_scan(serial.name, "takeover-retry", takeover=True)
        again = second.serial_dispatch_scan(serial.name, "takeover-retry", takeover=True)
        self.assertTrue(again["duplicate"])
        self.assertEqual(again["scan_id"], taken["scan_id"])
        self.assertEqual(len(self._notes(first)), 1)
        self.assertReservationsConsistent()

    def test_a_serial_picked_on_the_other_delivery_cannot_be_taken_over(self):
        first, second, serial = self._reserved_pair()
        first.move_line_ids.picked = True
        with self.assertChangesNothing():
            result = second.serial_dispatch_scan(serial.name, self._uid(), takeover=True)
        self.assertRefusedScan(result, serial.name, first.name, "already picked")

    def test_dispatch_does_not_write_a_serial_reserved_elsewhere_since_its_scan(self):
        waiting = self._create_delivery([(self.phone, 1)])
        waiting.do_unreserve()
        serial = self.phone_lots[4]
        self.assertAccepted(self._scan(waiting, serial.name))
        # After the scan, another delivery reserves that very unit.
        other = self._create_delivery([(self.phone, 1)])
        self._choose_serials(other, serial)
        self.assertEqual(other.move_line_ids.lot_id, serial)
        result = waiting.serial_dispatch_apply()
        self.assertEqual([difference["reserved_serials"] for difference in result["differences"]],
                         [[f"{serial.name} (reserved for {other.name})"]])
        self.assertFalse(waiting.move_line_ids.filtered(lambda line: line.lot_id == serial))
        self.assertReservationsConsistent()

    def test_the_takeover_flag_must_be_a_boolean(self):
        _first, second, serial = self._reserved_pair()
        with self.assertChangesNothing(), self.assertRefused(UserError, "takeover flag"):
            second.serial_dispatch_scan(serial.name, self._uid(), takeover="yes")


@tagged("post_install", "-at_install")
class TestReservedSerialsOutsideDispatch(DispatchCase):
    """Scan to transfer and scan to order take no reserved serial (they offer no takeover)."""

    def test_scan_to_transfer_refuses_a_reserved_serial(self):
        delivery = self._ready_delivery([(self.phone, 1)])
        serial = delivery.move_line_ids.lot_id
        with self.assertChangesNothing(), self.assertRefused(
                UserError, f"{serial.name}: Serial {serial.name} is reserved for "
                f"{delivery.name}."):
            self.env["stock.picking"].serial_transfer_create(
                self.stock_location.id, [serial.name, "DSP-CABLE"], self.shelf.id)
        self.assertEqual(delivery.move_line_ids.lot_id, serial)

    def test_scan_to_order_refuses_a_reserved_serial(self):
        delivery = self._ready_delivery([(self.phone, 1)])
        serial = delivery.move_line_ids.lot_id
        with self.assertChangesNothing(), self.assertRefused(
                UserError, f"Serial {serial.name} is reserved for {delivery.name}."):
            self.env["sale.order"].serial_order_create(self.customer.id, [serial.name])

    def test_order_confirmation_leaves_a_serial_reserved_elsewhere_since_the_quotation(self):
        serial = self.phone_lots[4]
        created = self.env["sale.order"].serial_order_create(self.customer.id, [serial.name])
        order = self.env["sale.order"].browse(created["order_id"])
        other = self._create_delivery([(self.phone, 1)])
        self._choose_serials(other, serial)
        order.action_confirm()
        self.assertEqual(other.move_line_ids.lot_id, serial)
        self.assertNotIn(serial, order.picking_ids.move_line_ids.lot_id)
        self.assertIn(f"{serial.name} (reserved for {other.name})",
                      order.message_ids[:1].body)
        self.env.flush_all()
        self.env.cr.execute("SELECT count(*) FROM stock_quant WHERE reserved_quantity > quantity"
                            " AND lot_id = %s", [serial.id])
        self.assertEqual(self.env.cr.fetchone()[0], 0)
