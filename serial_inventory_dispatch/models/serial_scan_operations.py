from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..lib.scan_input import format_quantity


class SerialScanOperations(models.AbstractModel):
    """Scan to transfer, scan to order (its units) and scanned returns: the scan APIs that
    work on scanned units outside a dispatch.

    Mixed into stock.picking, whose dispatch rules (``_serial_dispatch_check_lot``, the
    scans' hold, the reservations) they apply to each scanned unit.
    """

    _name = "serial.scan.operations"
    _description = "Scan to transfer, to order and returns"

    # ------------------------------------------------------------------
    # Scanned units outside a dispatch (scan to transfer, scan to order)
    # ------------------------------------------------------------------
    @api.model
    def _serial_scan_units(self, codes, location):
        """Resolve scanned ``codes`` into units taken from ``location``.

        Returns ``{product: {lot or empty lot: quantity}}``. A serial (or a GS1 string holding
        one) is one unit of that serial: it must be in stock under ``location``, not held by
        an open dispatch, not scanned twice, and pass ``_serial_dispatch_check_lot``; a
        product barcode is one unit of a product without tracking. A serial Odoo reserved
        for an open transfer is refused too (moving it would leave that reservation on an
        empty quant, or reserve the unit twice). Raises one UserError
        listing every refused code, so that nothing is created from a partly wrong scan list.
        """
        units = defaultdict(lambda: defaultdict(float))
        errors, seen = [], set()
        for code in codes:
            try:
                resolved = self.env["serial.code.resolver"]._resolve(code)
                product, lot = resolved["product"], resolved["lot"]
                if resolved["lot_name"] and not lot:
                    raise UserError(_("Unknown serial %s.", resolved["lot_name"]))
                if not product:
                    raise UserError(_("Code %s names no product and no serial.", code))
                if lot:
                    if product.tracking == "serial":
                        if lot in seen:
                            raise UserError(_("Serial %s is scanned twice.", lot.name))
                        seen.add(lot)
                        holder = self._serial_dispatch_lot_holder(self.env.cr, lot.id)
                        if holder:
                            raise UserError(_("Serial %(serial)s is already scanned for "
                                              "%(picking)s.", serial=lot.name,
                                              picking=holder[1]))
                        self._serial_check_not_reserved(lot)
                    self._serial_dispatch_check_lot(lot)
                    self._serial_check_in_stock(lot, location)
                elif product.tracking != "none":
                    raise UserError(_("%s is tracked: scan the serial or lot of each unit, not "
                                      "the product barcode.", product.display_name))
                units[product][lot] += 1
            except UserError as error:
                errors.append(f"{code}: {error}")
        if not codes:
            errors.append(_("Nothing was scanned."))
        for product, lots in units.items():
            untracked = lots.get(self.env["stock.lot"], 0.0)
            if untracked and product.is_storable:
                available = self.env["stock.quant"]._get_available_quantity(product, location)
                if float_compare(available, untracked,
                                 precision_rounding=product.uom_id.rounding) < 0:
                    errors.append(_("Only %(available)s %(product)s available at %(location)s, "
                                    "%(scanned)s scanned.",
                                    available=format_quantity(available),
                                    product=product.display_name,
                                    location=location.display_name,
                                    scanned=format_quantity(untracked)))
        if errors:
            raise UserError("\n".join(errors))
        return units

    @api.model
    def serial_transfer_create(self, source_location_id, codes, destination_location_id):
        """Scan to transfer: move the scanned units from one location to another.

        Creates an internal transfer of the units (serials on their own lines), validates it
        with Odoo's standard validation and returns ``{picking_id, name, state}``.
        """
        check = self.env["serial.dispatch.input"]
        source_location_id = check._record_id(source_location_id, _("The source location"),
                                              required=False)
        destination_location_id = check._record_id(
            destination_location_id, _("The destination location"), required=False)
        codes = check._codes(codes)
        Location = self.env["stock.location"]
        source = Location.browse(source_location_id).exists()
        destination = Location.browse(destination_location_id).exists()
        if not source or not destination:
            raise UserError(_("Choose the source and the destination locations."))
        if source == destination:
            raise UserError(_("The source and the destination are the same location (%s).",
                              source.display_name))
        if source.usage != "internal" or destination.usage != "internal":
            raise UserError(_("A transfer moves units between internal locations."))
        units = self._serial_scan_units(codes, source)
        warehouse = source.warehouse_id
        # The warehouse's own internal type, archived while multi-step routes are off.
        picking_type = warehouse.int_type_id or self.env["stock.picking.type"].search([
            ("code", "=", "internal"),
            ("company_id", "=", source.company_id.id or self.env.company.id),
        ], limit=1)
        if not picking_type:
            raise UserError(_("No internal operation type in warehouse %s.",
                              warehouse.display_name))
        picking = self.create({
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": _("Scan to transfer"),
            "move_ids": [(0, 0, {
                "name": product.display_name,
                "product_id": product.id,
                "product_uom_qty": sum(lots.values()),
                "product_uom": product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
            }) for product, lots in units.items()],
        })
        picking.action_confirm()
        for move in picking.move_ids:
            lots = units[move.product_id]
            if move.product_id.tracking == "none":
                move.quantity = move.product_uom_qty
                move.picked = True
            else:
                move._serial_assign_lots({lot.id: qty for lot, qty in lots.items()})
        result = picking.with_context(skip_backorder=True,
                                      picking_ids_not_to_backorder=picking.ids).button_validate()
        if result is not True:
            return {"picking_id": picking.id, "name": picking.name, "state": picking.state,
                    "action": result}
        return {"picking_id": picking.id, "name": picking.name, "state": picking.state}

    # ------------------------------------------------------------------
    # Returns
    # ------------------------------------------------------------------
    @api.model
    def serial_return_lookup(self, code):
        """Scanning a returned unit: the delivery it left with and the customer it went to."""
        lot, move_line = self._serial_return_origin(code)
        picking = move_line.picking_id
        at_customer = self.env["stock.quant"].search_count([
            ("lot_id", "=", lot.id), ("location_id.usage", "=", "customer"),
            ("quantity", ">", 0)], limit=1)
        return {
            "serial": lot.name,
            "product_id": lot.product_id.id,
            "product_name": lot.product_id.display_name,
            "picking_id": picking.id,
            "picking_name": picking.name or move_line.reference,
            "partner_id": picking.partner_id.id,
            "partner_name": picking.partner_id.display_name or "",
            "date": fields.Datetime.to_string(move_line.date),
            "returnable": bool(at_customer),
        }

    @api.model
    def serial_return_create(self, code):
        """Create the return of the scanned unit from its delivery (Odoo's return wizard),
        with the serial on its line; returns ``{picking_id, name}`` of the return."""
        lot, move_line = self._serial_return_origin(code)
        if not self.serial_return_lookup(code)["returnable"]:
            raise UserError(_("Serial %s is not at a customer: there is nothing to return.",
                              lot.name))
        delivery = move_line.picking_id
        wizard = self.env["stock.return.picking"].with_context(
            active_id=delivery.id, active_model="stock.picking").create(
            {"picking_id": delivery.id})
        for line in wizard.product_return_moves:
            line.quantity = 1.0 if line.move_id == move_line.move_id else 0.0
        returned = wizard._create_return()
        return_move = returned.move_ids.filtered(
            lambda move: move.origin_returned_move_id == move_line.move_id)
        return_move._serial_assign_lots({lot.id: 1.0}, picked=False)
        return {"picking_id": returned.id, "name": returned.name}

    @api.model
    def _serial_return_origin(self, code):
        """(lot, last done move line that took it to a customer) of a scanned serial."""
        code = self.env["serial.dispatch.input"]._code(code)
        resolved = self.env["serial.code.resolver"]._resolve(code)
        lot = resolved["lot"]
        if not lot:
            raise UserError(_("%s is not a known serial.", code))
        move_line = self.env["stock.move.line"].search([
            ("lot_id", "=", lot.id),
            ("state", "=", "done"),
            ("location_dest_id.usage", "=", "customer"),
        ], order="date desc, id desc", limit=1)
        if not move_line:
            raise UserError(_("Serial %s was never delivered to a customer.", lot.name))
        return lot, move_line
