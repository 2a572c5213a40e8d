from odoo import Command, _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

OVER_STATES = ("done", "cancel")


class SerialScanUnitRules(models.AbstractModel):
    """The rules of a scanned unit taken from a location: may it leave that location now?

    A serial must be known, not under an open recall (serial_inventory blocks recalled
    units), not held by an open scan of any operation, not reserved by Odoo for another open
    transfer (moving it would leave that reservation on an empty quant) and in stock under
    the location. A lot or an untracked product must have the quantity available there.
    Used by the transfer operation; scan to transfer and scan to order of the dispatch add-on
    apply the same rules to their units. ``_take_units`` makes the moves that take them.
    """

    _name = "serial.scan.unit.rules"
    _description = "Scanning: units taken from a location"

    @api.model
    def _check_serial(self, lot, location, picking, held_message, lot_name=None,
                      product=None, held_here=False):
        """Refuse serial ``lot`` unless it may leave ``location`` for ``picking`` (whose own
        reservations do not count, nor its own open scan with ``held_here``: its units
        checked again); return the location it is at. ``held_message(lot, holder)`` words
        the refusal of a serial an open scan holds."""
        if not lot:
            raise UserError(_("Serial %(serial)s of %(product)s is not known: it cannot be in "
                              "stock.", serial=lot_name,
                              product=product.display_name if product else
                              _("an unknown product")))
        if refusal := self._recall_refusal(lot):
            raise UserError(refusal)
        scans = self.env["serial.scan"]
        operations = self.env["serial.scan.operation"]._operations()
        for hold in {self.env[operation]._hold for operation in operations.values()} - {None}:
            holder = scans._holder(self.env.cr, lot.id, hold)
            if holder and holder._name == "stock.picking" and holder.state in OVER_STATES:
                # A transfer done or cancelled outside the scanner holds nothing any more.
                scans._release(holder)
            elif holder and not (held_here and holder == picking):
                raise UserError(held_message(lot, holder))
        quant = self.env["stock.quant"].search([
            ("lot_id", "=", lot.id), ("location_id", "child_of", location.id),
            ("quantity", ">", 0)], limit=1)
        if not quant:
            raise UserError(_("Serial %(serial)s is not in %(location)s: it is %(where)s.",
                              serial=lot.name, location=location.display_name,
                              where=self.env["serial.scan.operation.count"]._where(lot)))
        # Read as superuser: a reservation binds the unit whoever may read that transfer.
        reserved = self.env["stock.move.line"].sudo().search([
            ("lot_id", "=", lot.id), ("state", "not in", OVER_STATES), ("quantity", ">", 0),
            *([("picking_id", "!=", picking.id)] if picking else [])], order="id")
        if reserved:
            raise UserError(_("Serial %(serial)s is reserved for %(transfer)s.", serial=lot.name,
                              transfer=", ".join(dict.fromkeys(reserved.mapped("reference")))))
        return quant.location_id

    @api.model
    def _recall_refusal(self, lot):
        """Why ``lot`` may not move (an open recall keeps it where it is), or None."""
        recall = lot.sudo().serial_recall_id
        if recall:
            return _("%(lot)s is under recall %(recall)s: it stays where it is until the recall "
                     "is closed.", lot=lot.name, recall=recall.name)
        return None

    @api.model
    def _check_available(self, product, lot, location, quantity):
        """Refuse taking ``quantity`` of ``product`` (of ``lot``, when given) from
        ``location``: more than is available (unreserved) there."""
        if lot:
            quants = self.env["stock.quant"].search([
                ("product_id", "=", product.id), ("lot_id", "=", lot.id),
                ("location_id", "child_of", location.id)])
            available = sum(quants.mapped("quantity")) - sum(quants.mapped("reserved_quantity"))
        else:
            available = self.env["stock.quant"]._get_available_quantity(product, location)
        if float_compare(available, quantity, precision_rounding=product.uom_id.rounding) < 0:
            # Formatted outside _(): the extractor of translatable terms evaluates its
            # string arguments, an f-string among them.
            shown_available, shown_scanned = f"{max(available, 0.0):g}", f"{quantity:g}"
            raise UserError(_("Only %(available)s of %(name)s available at %(location)s: "
                              "%(scanned)s scanned.", available=shown_available,
                              name=lot.name if lot else product.display_name,
                              location=location.display_name, scanned=shown_scanned))

    @api.model
    def _check_location(self, location, company):
        """Refuse ``location`` as where units are taken from or put: not internal, or
        another company's."""
        if location.usage != "internal":
            raise UserError(_("%s is not a stock location: units are moved between internal "
                              "locations.", location.display_name))
        if location.company_id and location.company_id != company:
            raise UserError(_("%(location)s belongs to %(other)s, not to %(company)s.",
                              location=location.display_name, other=location.company_id.name,
                              company=company.name))

    @api.model
    def _check_untracked(self, product):
        """A product barcode is one unit of a product without tracking, kept in stock."""
        if product.tracking == "serial":
            raise UserError(_("%s is tracked by serial number: scan the serial of each unit, "
                              "not the product barcode.", product.display_name))
        if product.tracking == "lot":
            raise UserError(_("%s is tracked by lot: scanning moves serials and products "
                              "without tracking.", product.display_name))
        if not product.is_storable:
            raise UserError(_("%s is not kept in stock: there is nothing to move.",
                              product.display_name))

    @api.model
    def _take_units(self, picking, serials, untracked):
        """Add the moves of scanned units to draft ``picking`` (one per product, in one
        batched create), confirm it and reserve them: ``serials`` {product: {lot: location
        it is at}} on move lines of their own, reserving the very units scanned;
        ``untracked`` {product: quantity} reserved by Odoo. Refused when Odoo cannot reserve
        them all; the moves are picked, ready for button_validate."""
        source, destination = picking.location_id, picking.location_dest_id
        products = list(dict.fromkeys([*serials, *untracked]))
        moves = self.env["stock.move"].create([{
            "name": product.display_name, "product_id": product.id,
            "product_uom": product.uom_id.id,
            "product_uom_qty": untracked.get(product) or len(serials[product]),
            "picking_id": picking.id, "location_id": source.id,
            "location_dest_id": destination.id,
            "move_line_ids": [Command.create({
                "product_id": product.id, "lot_id": lot.id, "quantity": 1.0,
                "product_uom_id": product.uom_id.id, "picking_id": picking.id,
                "location_id": location.id, "location_dest_id": destination.id,
            }) for lot, location in serials.get(product, {}).items()],
        } for product in products])
        picking.action_confirm()
        if moves.filtered(lambda move: move.state != "assigned"):
            picking.action_assign()
        short = moves.filtered(lambda move: move.state != "assigned")
        if short:
            raise UserError(_("%(transfer)s cannot be validated: %(products)s not available "
                              "at %(origin)s any more.", transfer=picking.name,
                              products=", ".join(short.product_id.mapped("display_name")),
                              origin=source.display_name))
        moves.picked = True
        return moves
