"""Rules per operation type: a mandatory serial scan holds validation; a typed serial needs
an inventory manager's reason there."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ScanCase


@tagged("post_install", "-at_install")
class TestScanRules(ScanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.internal_type = cls.env.ref("stock.picking_type_internal")

    def internal_transfer(self, *lot_names):
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.internal_type.id,
            "location_id": self.shelf.id,
            "location_dest_id": self.other.id,
            "move_ids": [Command.create({
                "name": self.product.name, "product_id": self.product.id,
                "product_uom_qty": len(lot_names), "location_id": self.shelf.id,
                "location_dest_id": self.other.id})],
        })
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        move.move_line_ids = [Command.create({
            "product_id": self.product.id, "lot_id": self.lots[name].id, "quantity": 1,
            "location_id": self.shelf.id, "location_dest_id": self.other.id,
            "picking_id": picking.id}) for name in lot_names]
        move.picked = True
        return picking

    def log_scan(self, picking, lot_name, result="accepted", uid=None):
        lot = self.lots[lot_name]
        self.env["serial.scan"]._store(picking, {
            "operation": "count", "client_uid": uid or f"rule-{lot_name}-{result}",
            "code": lot_name, "result": result, "message": "", "lot_id": lot.id,
            "product_id": self.product.id, "quantity": 1.0, "open": False, "hold": False,
            "company_id": picking.company_id.id}, lambda lot, holder: "held")

    def refused(self, fragment, function, *args):
        with self.assertRefused(UserError, fragment):
            function(*args)

    def resolved(self, lot_name):
        return self.env["serial.code.resolver"]._resolve_any(
            lot_name, expect=("serial", "product"))

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    def test_optional_policy_validates_without_scans(self):
        self.assertEqual(self.internal_type.serial_scan_policy, "optional")
        picking = self.internal_transfer("SC-1", "SC-2")
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_mandatory_policy_refuses_validation_naming_the_unscanned_serials(self):
        self.internal_type.serial_scan_policy = "mandatory"
        picking = self.internal_transfer("SC-1", "SC-2")
        self.log_scan(picking, "SC-1")
        self.log_scan(picking, "SC-2", result="refused")
        with self.assertChangesNothing():
            self.refused("SC-2 were not scanned", picking.button_validate)
        self.assertEqual(picking.state, "assigned")
        self.log_scan(picking, "SC-2")
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_mandatory_policy_holds_every_validation_path(self):
        """Not only the form's button: the ORM's validation as another module calls it."""
        self.internal_type.serial_scan_policy = "mandatory"
        picking = self.internal_transfer("SC-1")
        self.refused("SC-1 were not scanned",
                           picking.with_context(skip_backorder=True).button_validate)

    def test_a_scan_for_another_transfer_does_not_count(self):
        self.internal_type.serial_scan_policy = "mandatory"
        first = self.internal_transfer("SC-1")
        second = self.internal_transfer("SC-2")
        self.log_scan(first, "SC-2", uid="elsewhere")
        self.refused("SC-2 were not scanned", second.button_validate)

    # ------------------------------------------------------------------
    # Typed serials and the manager override
    # ------------------------------------------------------------------
    def test_typed_serial_refused_for_a_clerk_where_scans_are_mandatory(self):
        self.internal_type.serial_scan_policy = "mandatory"
        picking = self.internal_transfer("SC-1")
        operations = self.operations.with_user(self.clerk)
        self.refused("scan the label of SC-1", operations._check_typed,
                           picking.with_user(self.clerk), self.resolved("SC-1"), True, False)
        self.refused("Only an inventory manager",
                           operations._check_typed, picking.with_user(self.clerk),
                           self.resolved("SC-1"), True, "label torn")

    def test_manager_types_a_serial_with_a_reason(self):
        self.internal_type.serial_scan_policy = "mandatory"
        picking = self.internal_transfer("SC-1")
        self.refused("give a reason", self.operations._check_typed, picking,
                           self.resolved("SC-1"), True, False)
        self.assertEqual(self.operations._check_typed(picking, self.resolved("SC-1"), True,
                                                      "label torn"), "label torn")

    def test_typed_serial_is_fine_where_scans_are_optional(self):
        picking = self.internal_transfer("SC-1")
        self.assertFalse(self.operations.with_user(self.clerk)._check_typed(
            picking, self.resolved("SC-1"), True, False))

    def test_typed_product_code_needs_no_override(self):
        self.internal_type.serial_scan_policy = "mandatory"
        picking = self.internal_transfer("SC-1")
        self.assertFalse(self.operations.with_user(self.clerk)._check_typed(
            picking, self.resolved("5400000000010"), True, False))

    def test_override_options_are_checked(self):
        clean = self.operations._clean_options
        self.assertEqual(clean(None), (False, False))
        self.assertEqual(clean({"typed": True, "reason": "  label   torn  "}),
                         (True, "label torn"))
        self.refused("must be true or false", clean, {"typed": "yes"})
        self.refused("must be text", clean, {"typed": True, "reason": 7})
        self.refused("control character", clean,
                           {"typed": True, "reason": "torn\x00"})
        self.refused("too long", clean, {"typed": True, "reason": "x" * 201})
        self.refused("not valid", clean, ["typed"])

    def test_reason_without_typing_is_refused(self):
        picking = self.internal_transfer("SC-1")
        self.refused("goes with a typed serial", self.operations._check_typed,
                           picking, self.resolved("SC-1"), False, "why not")

    def test_rules_come_from_the_operation_type(self):
        picking = self.internal_transfer("SC-1")
        self.internal_type.write({"serial_scan_policy": "mandatory",
                                  "serial_scan_allow_extra": False,
                                  "serial_scan_require_location": True})
        self.assertEqual(self.operations._scan_rules(picking),
                         {"policy": "mandatory", "allow_extra": False,
                          "require_location": True})
        self.assertEqual(self.operations._scan_rules(self.env["stock.picking"]),
                         {"policy": "optional", "allow_extra": True,
                          "require_location": False})

    # ------------------------------------------------------------------
    # Screen actions
    # ------------------------------------------------------------------
    def test_unknown_screen_action_is_refused(self):
        self.refused("has no action", self.operations.scan_action, "count",
                           False, "unlink")
        self.refused("has no action", self.operations.scan_action, "count",
                           False, ["x"])

    # ------------------------------------------------------------------
    # Holds end with their transfer
    # ------------------------------------------------------------------
    def test_done_or_cancelled_transfer_releases_its_scans(self):
        """From any button, not only the scanner's: the serials are free for other scans."""
        done, cancelled = self.internal_transfer("SC-1"), self.internal_transfer("SC-2")
        scans = self.env["serial.scan"]
        for picking, name in ((done, "SC-1"), (cancelled, "SC-2")):
            scans._store(picking, {
                "operation": "transfer", "client_uid": f"hold-{name}", "code": name,
                "result": "accepted", "message": "", "lot_id": self.lots[name].id,
                "product_id": self.product.id, "quantity": 1.0, "open": True,
                "hold": "transfer", "company_id": picking.company_id.id}, None)
        done.button_validate()
        cancelled.action_cancel()
        self.assertFalse(scans.search([("picking_id", "in", (done | cancelled).ids),
                                       ("open", "=", True)]))

