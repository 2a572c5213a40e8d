from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import float_compare

from odoo.addons.stock.models.stock_quant import StockQuant as OdooStockQuant


class StockQuant(models.Model):
    """Units under an open recall (stock.lot.serial_recall_id) are never reserved.

    Odoo reserves through two doors: the automatic reservation gathers quants without
    naming a lot (non-strict ``_get_gather_domain``), and a move chained to another one
    reserves the very lots of its origin (strict ``_gather``, possibly from a cache). Both
    go through ``_get_reserve_quantity`` when they reserve, which is where recalled lots are
    left out. A unit picked by hand reaches a customer only through
    ``_update_available_quantity``, which refuses it.
    """

    _inherit = "stock.quant"

    def _get_gather_domain(self, product_id, location_id, lot_id=None, package_id=None,
                           owner_id=None, strict=False):
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id,
            strict=strict)
        if not strict and product_id.tracking != "none":
            domain = expression.AND([
                domain, ["|", ("lot_id", "=", False), ("lot_id.serial_recall_id", "=", False)]])
        return domain

    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None,
                strict=False, qty=0):
        quants = super()._gather(product_id, location_id, lot_id=lot_id, package_id=package_id,
                                 owner_id=owner_id, strict=strict, qty=qty)
        if self.env.context.get("serial_exclude_recalled") and product_id.tracking != "none":
            quants = quants.filtered(lambda quant: not quant.lot_id.serial_recall_id)
        return quants

    def _get_reserve_quantity(self, product_id, location_id, quantity, product_packaging_id=None,
                              uom_id=None, lot_id=None, package_id=None, owner_id=None,
                              strict=False):
        if float_compare(quantity, 0, precision_rounding=product_id.uom_id.rounding) > 0:
            self = self.with_context(serial_exclude_recalled=True)
        return super()._get_reserve_quantity(
            product_id, location_id, quantity, product_packaging_id=product_packaging_id,
            uom_id=uom_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id,
            strict=strict)

    @api.model
    def _update_available_quantity(self, product_id, location_id, quantity=False,
                                   reserved_quantity=False, lot_id=None, package_id=None,
                                   owner_id=None, in_date=None):
        if (lot_id and quantity and quantity > 0 and location_id.usage == "customer"
                and lot_id.sudo().serial_recall_id):
            raise UserError(self._serial_recall_refusal(lot_id.sudo()))
        return super()._update_available_quantity(
            product_id, location_id, quantity=quantity, reserved_quantity=reserved_quantity,
            lot_id=lot_id, package_id=package_id, owner_id=owner_id, in_date=in_date)

    @api.model_create_multi
    def create(self, vals_list):
        """One batched create for the quants of a validation (``serial_batched_quants``).

        Odoo's stock.quant.create creates one quant at a time; outside inventory mode it
        does nothing else but add each quant to the validation's quants cache, which only
        the loop that precedes the batch reads (see ..unit_moves). Every override above
        this one has seen the whole list; when no other module's override stands between
        this one and Odoo's, the records go to the ORM's batched create at once, else
        through Odoo's loop.
        """
        if (self.env.context.get("serial_batched_quants") and not self._is_inventory_mode()
                and not self._serial_create_overridden_below()):
            return super(OdooStockQuant, self).create(vals_list)
        return super().create(vals_list)

    @api.model
    def _serial_create_overridden_below(self):
        """Whether a module's create() stands between this class and Odoo's stock.quant."""
        mro = type(self).__mro__
        below = mro[mro.index(StockQuant) + 1:mro.index(OdooStockQuant)]
        return any("create" in vars(cls) for cls in below)

    @api.model
    def _get_quants_by_products_locations(self, product_ids, location_ids, extra_domain=False):
        # Validation reads here the quants its loop is about to move (the only call with
        # an extra domain, on the validated lines' lots): the moment to plan the batched
        # quant updates of stock.move.line._action_done (see ..unit_moves). Reservations
        # made meanwhile (stock.move._action_assign) call it without one.
        deferred = self.env.context.get("serial_unit_moves")
        if deferred is not None and extra_domain:
            deferred.plan()
        return super()._get_quants_by_products_locations(
            product_ids, location_ids, extra_domain=extra_domain)

    @api.model
    def _serial_recall_refusal(self, lots):
        """The message refusing to deliver ``lots`` (recalled), naming each serial."""
        return _(
            "These serials are under an open recall and cannot be delivered until the recall "
            "is closed:\n%s",
            "\n".join(f" - {lot.name} ({lot.product_id.display_name}): "
                      f"{lot.serial_recall_id.name}" for lot in lots),
        )
