from odoo import models
from odoo.exceptions import UserError

TAKEOVER_GROUP = "serial_inventory_dispatch.group_serial_takeover"


class SerialDispatchReservation(models.AbstractModel):
    """Serials reserved by Odoo for another open transfer, and their explicit takeover.

    Mixed into stock.picking (``self`` is the delivery being dispatched). A serial reserved
    for another transfer is refused, naming it; a user of the group "Take over reserved
    serials" may take it over: Odoo's own unreserve (unlinking the other transfer's line)
    and ``_action_assign`` on the other move give that transfer another unit or leave it
    short, and both transfers get a chatter note by that user.
    """

    _name = "serial.dispatch.reservation"
    _description = "Dispatch: serials reserved for other transfers"

    def _serial_reserved_elsewhere(self, lot):
        """The open move lines reserving serial ``lot`` outside this transfer (anywhere,
        called on no transfer).

        Read as superuser: a reservation binds the unit whoever may read that transfer.
        """
        domain = [
            ("lot_id", "=", lot.id),
            ("state", "not in", ("done", "cancel")),
            ("quantity", ">", 0),
            ("move_id", "!=", False),
        ]
        if self:
            domain.append(("picking_id", "!=", self.id))
        return self.env["stock.move.line"].sudo().search(domain, order="id")

    def _serial_check_not_reserved(self, lot):
        """Refuse serial ``lot`` when it is reserved for an open transfer (other than this
        one): scan to transfer and scan to order, which take no unit over."""
        lines = self._serial_reserved_elsewhere(lot)
        if lines:
            raise UserError(self.env._("Serial %(serial)s is reserved for %(transfer)s.",
                                       serial=lot.name,
                                       transfer=self._serial_transfer_names(lines)))

    def _serial_transfer_names(self, lines):
        return ", ".join(dict.fromkeys(
            line.picking_id.name or line.move_id.reference or line.move_id.display_name
            for line in lines))

    def _serial_dispatch_reserved_lots(self, lots):
        """{lot id: "serial (reserved for transfer)"} of the serials of ``lots`` Odoo
        reserved for another transfer since they were scanned: Dispatch does not write them
        (the unit would be reserved twice); a takeover scan moves such a reservation."""
        reserved = {}
        for lot in lots.filtered(lambda lot: lot.product_id.tracking == "serial"):
            lines = self._serial_reserved_elsewhere(lot)
            if lines:
                reserved[lot.id] = self.env._(
                    "%(serial)s (reserved for %(transfer)s)", serial=lot.name,
                    transfer=self._serial_transfer_names(lines))
        return reserved

    def _serial_can_take_over(self):
        return self.env.user.has_group(TAKEOVER_GROUP)

    def _serial_takeover_possible(self, lot):
        """Whether this user could take serial ``lot`` over for this transfer now."""
        if lot.product_id.tracking != "serial" or not self._serial_can_take_over():
            return False
        lines = self._serial_reserved_elsewhere(lot)
        return bool(lines) and not lines.filtered("picked") \
            and not self._serial_dispatch_lot_holder(self.env.cr, lot.id)

    def _serial_check_reservation(self, lot, values, takeover):
        """Refuse serial ``lot`` when it is reserved for another open transfer, unless
        ``takeover`` is asked by a user allowed to; return the lines to take it from.

        ``values`` (the scan's) learns whether the refusal can be overcome by a takeover,
        so that the dialog offers it.
        """
        _ = self.env._
        lines = self._serial_reserved_elsewhere(lot)
        if not lines:
            return lines
        transfers = self._serial_transfer_names(lines)
        # Taking over runs as superuser on the other transfers: only within this user's
        # companies.
        allowed = self._serial_can_take_over() and not (
            lines.company_id - self.env.user.company_ids)
        picked = lines.filtered("picked")
        if picked:
            raise UserError(_("Serial %(serial)s is reserved for %(transfer)s and already "
                              "picked there: it cannot be taken over.",
                              serial=lot.name, transfer=self._serial_transfer_names(picked)))
        if not takeover:
            values["takeover"] = allowed
            if allowed:
                raise UserError(_("Serial %(serial)s is reserved for %(transfer)s. Take it "
                                  "over to dispatch it on %(picking)s.", serial=lot.name,
                                  transfer=transfers, picking=self.name))
            raise UserError(_("Serial %(serial)s is reserved for %(transfer)s.",
                              serial=lot.name, transfer=transfers))
        if not allowed:
            group = self.env.ref(TAKEOVER_GROUP)
            raise UserError(_("Serial %(serial)s is reserved for %(transfer)s; only the users "
                              "of the group “%(group)s” may take it over.", serial=lot.name,
                              transfer=transfers, group=group.name))
        return lines

    def _serial_take_over(self, lot, move, lines):
        """Move serial ``lot``'s reservation from ``lines`` (other transfers) to ``move``.

        Called once the scan holding ``lot`` is stored: the unique index on open scans has
        already refused a concurrent takeover of the same serial.
        """
        _ = self.env._
        lines = lines.exists().filtered(
            lambda line: line.lot_id == lot and line.state not in ("done", "cancel"))
        others = lines.move_id
        transfers = self._serial_transfer_names(lines)
        reserved_before = {other: other.move_line_ids.lot_id for other in others}
        lines.unlink()  # Odoo's unreserve: the quant gives the unit back
        self._serial_reserve_lot(move, lot)
        others._action_assign()
        user = self.env.user
        for other in others:
            replacement = other.move_line_ids.lot_id - reserved_before[other]
            picking = other.picking_id
            if replacement:
                outcome = _("%(picking)s now has %(serials)s reserved instead.",
                            picking=picking.name or other.reference,
                            serials=", ".join(replacement.mapped("name")))
            else:
                outcome = _("No other unit of %(product)s is available: %(picking)s is short "
                            "of it.", product=other.product_id.display_name,
                            picking=picking.name or other.reference)
            if picking:
                picking.sudo().message_post(
                    body=_("Serial %(serial)s was taken over for %(target)s by %(user)s. "
                           "%(outcome)s", serial=lot.name, target=self.name,
                           user=user.name, outcome=outcome),
                    author_id=user.partner_id.id, subtype_xmlid="mail.mt_note")
        self.message_post(
            body=_("Serial %(serial)s was taken over from %(transfer)s by %(user)s.",
                   serial=lot.name, transfer=transfers, user=user.name),
            author_id=user.partner_id.id, subtype_xmlid="mail.mt_note")

    def _serial_reserve_lot(self, move, lot):
        """Reserve serial ``lot`` on ``move``: on a reserved line of a serial this dispatch
        did not scan (Odoo moves the reservation, freeing that serial), else on a new line."""
        quant = self.env["stock.quant"].search([
            ("lot_id", "=", lot.id), ("location_id", "child_of", move.location_id.id),
            ("quantity", ">", 0)], order="quantity desc, id", limit=1)
        if not quant or lot in move.move_line_ids.lot_id:
            return
        scanned = self.env["stock.lot"].browse(
            lot_id for lot_id in self._serial_dispatch_wanted(move).get(move.id, {}) if lot_id)
        spare = move.move_line_ids.filtered(
            lambda line: not line.picked and line.lot_id not in scanned).sorted("id")
        values = {"lot_id": lot.id, "location_id": quant.location_id.id,
                  "package_id": quant.package_id.id, "owner_id": quant.owner_id.id,
                  "quantity": 1.0}
        if spare:
            spare[0].write(values)
        else:
            self.env["stock.move.line"].create({
                **move._prepare_move_line_vals(quantity=1.0, reserved_quant=quant),
                "quantity": 1.0, "picked": False})
