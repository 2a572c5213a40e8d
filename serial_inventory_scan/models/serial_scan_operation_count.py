from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# The lists the screen shows after each scan are cut here (the numbers are whole): a
# location may hold thousands of serials.
LIST_LIMIT = 100


class SerialScanOperationCount(models.AbstractModel):
    """Count: scan a location, then its units; apply as Odoo's inventory adjustment."""

    _name = "serial.scan.operation.count"
    _inherit = "serial.scan.operation"
    _description = "Count"
    _operation = "count"
    _scan_model = "serial.scan.count"
    _hold = "count"
    # Counting a unit does not stop it from being moved or delivered meanwhile.
    _hold_exclusive = False
    _sequence = 60
    _icon = "fa-list-ol"

    @api.model
    def _scan_expect(self, record):
        if not record:
            return ("location",)
        return ("serial", "location", "product", "lot")

    @api.model
    def _scan_target(self, record, resolved):
        if record or resolved["kind"] != "location":
            return record
        location = resolved["location"]
        self._check_countable(location)
        return self.env["serial.scan.count"].create({"location_id": location.id,
                                                     "state": "counting"})

    @api.model
    def _scan_evaluate(self, record, resolved):
        record._check_open()
        kind = resolved["kind"]
        if kind == "location":
            return self._evaluate_location(record, resolved["location"])
        lot, product = resolved["lot"], resolved["product"]
        if kind != "serial":
            raise UserError(_(
                "A count is made of serials: scan the serial of each unit of %s, not its "
                "product or lot code.", product.display_name))
        if not lot:
            raise UserError(_("Serial %(serial)s of %(product)s is not known: it cannot be "
                              "in stock.", serial=resolved["lot_name"],
                              product=product.display_name or _("an unknown product")))
        holder = self.env["serial.scan"]._holder(self.env.cr, lot.id, self._hold)
        if holder:
            raise UserError(self._scan_held_message(record, lot, holder))
        location = record._current_location()
        if record._in_count(lot):
            message = _("%(serial)s found (%(product)s).", serial=lot.name,
                        product=product.display_name)
        else:
            message = _("%(serial)s is unexpected here: %(where)s.", serial=lot.name,
                        where=self._where(lot))
        return {"message": message, "product_id": product.id, "lot_id": lot.id,
                "location_id": location.id, "quantity": 1.0, "open": True,
                "hold": self._hold}

    @api.model
    def _evaluate_location(self, record, location):
        if location == record.location_id:
            return {"message": _("Counting %s.", location.display_name),
                    "location_id": location.id}
        if location.parent_path.startswith(record.location_id.parent_path):
            return {"message": _("Now counting in %s.", location.display_name),
                    "location_id": location.id}
        raise UserError(_(
            "%(location)s is not part of %(counted)s, counted by %(count)s: finish this count "
            "to count another location.", location=location.display_name,
            counted=record.location_id.display_name, count=record.name))

    @api.model
    def _check_countable(self, location):
        if location.usage != "internal":
            raise UserError(_("%s is not a stock location: only internal locations are "
                              "counted.", location.display_name))

    @api.model
    def _where(self, lot):
        quants = lot.quant_ids.filtered(lambda quant: quant.quantity > 0)
        internal = quants.filtered(lambda quant: quant.location_id.usage == "internal")
        if internal:
            return _("in stock at %s", ", ".join(internal.location_id.mapped("display_name")))
        if quants:
            return _("not in stock (at %s)", ", ".join(quants.location_id.mapped(
                "display_name")))
        return _("not in stock")

    @api.model
    def _scan_held_message(self, record, lot, holder):
        if holder == record:
            return _("Serial %s is already counted: it counts once.", lot.name)
        if not self.env["serial.scan"]._visible_to_user(holder.sudo()):
            return _("Serial %s is already scanned elsewhere.", lot.name)
        return _("Serial %(serial)s is being counted by %(count)s.", serial=lot.name,
                 count=holder.sudo().display_name)

    @api.model
    def _scan_state(self, record):
        if not record:
            counts = self.env["serial.scan.count"].search(
                [("state", "in", ("draft", "counting"))], limit=20)
            return {"record_id": False, "prompt": _("Scan the location to count."),
                    "open_counts": [{"id": count.id, "name": count.name,
                                     "location": count.location_id.display_name}
                                    for count in counts]}
        expected, counted, found, unexpected, missing = record._outcome()
        lots = self.env["stock.lot"]
        newest_unexpected = unexpected[::-1][:LIST_LIMIT]
        elsewhere = {lot: self._where(lots.browse(lot)) for lot in newest_unexpected}
        current = record._current_location().display_name

        def units(lot_ids, where=None):
            rows = self._unit_rows(lot_ids[:LIST_LIMIT])
            return [dict(row, where=where.get(row["lot_id"], "") if where else "")
                    for row in rows]

        open_ = record.state in ("draft", "counting")
        states = dict(record._fields["state"]._description_selection(self.env))
        return {
            "record_id": record.id,
            "name": record.name,
            "location": record.location_id.display_name,
            "current_location": current,
            "state": record.state,
            "state_label": states[record.state],
            "can_scan": open_,
            "can_apply": open_ and self.env.user.has_group("stock.group_stock_manager"),
            "prompt": _("Scan the units in %s.", current)
            if open_ else _("Count %(count)s is %(state)s.", count=record.name,
                            state=states[record.state].lower()),
            "counts": {"expected": len(expected), "found": len(found),
                       "unexpected": len(unexpected), "missing": len(missing)},
            "found": units(found[::-1]),
            "unexpected": units(newest_unexpected, elsewhere),
            "missing": units(missing),
            "recent": self._scan_recent(record),
        }

    @api.model
    def _unit_rows(self, lot_ids):
        """{lot_id, serial, product} of ``lot_ids``, in that order: read by SQL, as the lists
        are sent after every scan."""
        if not lot_ids:
            return []
        self.env.cr.execute(SQL(
            "SELECT id, name, product_id FROM stock_lot WHERE id = ANY(%s)", list(lot_ids)))
        found = {lot_id: (name, product_id) for lot_id, name, product_id in self.env.cr.fetchall()}
        products = self.env["product.product"].browse({found[lot][1] for lot in found})
        names = {product.id: product.display_name for product in products}
        return [{"lot_id": lot, "serial": found[lot][0], "product": names[found[lot][1]]}
                for lot in lot_ids if lot in found]

    @api.model
    def _scan_apply(self, record):
        record.check_access("write")
        moves = record._apply_count()
        state = self._scan_state(record)
        state["applied_moves"] = len(moves)
        return state
