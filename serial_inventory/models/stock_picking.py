from odoo import _, models
from odoo.exceptions import UserError

from ..odoo_path import fast_path_records


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def action_serial_fill_receipt(self):
        """Open the dialog that numbers every unit of the receipt at once."""
        self.ensure_one()
        if not self.move_ids.filtered(lambda move: move.has_tracking == "serial"):
            raise UserError(_("Receipt %s has no serial-tracked product.", self.name))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory.action_receipt_serial_fill")
        action["context"] = {"default_picking_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Authenticity: recalled units, central registry
    # ------------------------------------------------------------------
    def _action_done(self):
        self._serial_check_recalled()
        pickings = fast_path_records(self)
        res = super(StockPicking, pickings)._action_done()
        # The recomputations the validation left pending, done while precisions are read
        # once (the commit would flush them anyway).
        pickings.env.flush_all()
        self._serial_registry_after_done()
        return res

    def _serial_check_recalled(self):
        """Refuse to deliver units under an open recall, naming every one of them."""
        if not self.ids:
            return
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT DISTINCT ml.lot_id
              FROM stock_move_line ml
              JOIN stock_location dest ON dest.id = ml.location_dest_id
              JOIN stock_lot lot ON lot.id = ml.lot_id
             WHERE ml.picking_id IN %s AND ml.quantity > 0 AND dest.usage = 'customer'
               AND lot.serial_recall_id IS NOT NULL
            """,
            (tuple(self.ids),),
        )
        lot_ids = [lot_id for (lot_id,) in self.env.cr.fetchall()]
        if lot_ids:
            lots = self.env["stock.lot"].sudo().browse(lot_ids).sorted("name")
            raise UserError(self.env["stock.quant"]._serial_recall_refusal(lots))

    def _serial_registry_after_done(self):
        """Register the serials received, verify the units coming back or from third parties.

        Strict mode does both now and refuses the validation when the registry cannot
        answer or disowns a unit; otherwise the work is queued and never blocks.
        """
        configs = self.env["serial.authenticity.config"]._registry_configs(self.company_id)
        if not configs:
            return
        self.env.flush_all()
        Queue = self.env["serial.registry.queue"]
        for picking in self.filtered(lambda picking: picking.company_id.id in configs):
            config = configs[picking.company_id.id]
            incoming = picking._serial_incoming_lots()
            if not incoming:
                continue
            to_register = self.env["stock.lot"].browse(
                [lot_id for lot_id, _usage, state in incoming if state == "pending"])
            to_verify = self.env["stock.lot"].browse([
                lot_id for lot_id, usage, state in incoming
                if usage == "customer" or state not in ("pending", "registered")
            ]) if config.registry_verify_incoming else self.env["stock.lot"]
            source = "return" if any(usage == "customer" for _lot, usage, _state in incoming) \
                else "receipt"
            if config.registry_strict:
                if to_register:
                    Queue._register_now(to_register.sudo(), config)
                if to_verify:
                    self.env["serial.verification"]._verify_incoming_now(
                        to_verify.sudo(), config, source, picking)
            elif to_verify:
                Queue._enqueue_verification(to_verify, source, picking)

    def _serial_incoming_lots(self):
        """[(lot id, source location usage, registry state)] of the serials this transfer
        brought in from a customer or a supplier."""
        self.ensure_one()
        self.env.cr.execute(
            """
            SELECT DISTINCT ml.lot_id, src.usage, lot.serial_registry_state
              FROM stock_move_line ml
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_location dest ON dest.id = ml.location_dest_id
              JOIN stock_lot lot ON lot.id = ml.lot_id
              JOIN product_product product ON product.id = lot.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE ml.picking_id = %s AND ml.state = 'done'
               AND src.usage IN ('customer', 'supplier')
               AND dest.usage IN ('internal', 'transit')
               AND template.tracking = 'serial'
            """,
            (self.id,),
        )
        return self.env.cr.fetchall()
