from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

OPEN_STATES = ("draft", "counting")


class SerialScanCount(models.Model):
    """A count of the serial units in a location (and its sub-locations), by scanning them.

    The scans are the count: expected units are the location's quants of serial products,
    found ones were scanned there, unexpected ones were scanned there but are elsewhere in
    stock, missing ones were not scanned. Applying is Odoo's inventory adjustment.
    """

    _name = "serial.scan.count"
    _description = "Serial count"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    location_id = fields.Many2one(
        "stock.location", required=True, check_company=True, index=True,
        domain="[('usage', '=', 'internal')]",
        help="The location counted, with its sub-locations.")
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", string="Counted by", required=True,
                              default=lambda self: self.env.user)
    state = fields.Selection(
        [("draft", "Draft"), ("counting", "Counting"), ("applied", "Applied"),
         ("cancelled", "Cancelled")], required=True, default="draft", readonly=True)
    applied_date = fields.Datetime(readonly=True)
    move_ids = fields.Many2many("stock.move", string="Inventory moves", readonly=True,
                                copy=False, help="The inventory adjustment that applied it.")
    scan_ids = fields.One2many("serial.scan", "res_id", string="Scans",
                               domain=[("res_model", "=", "serial.scan.count")])

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("serial.scan.count") or "/"
            if vals.get("location_id") and "company_id" not in vals:
                location = self.env["stock.location"].browse(vals["location_id"])
                vals["company_id"] = location.company_id.id or self.env.company.id
        return super().create(vals_list)

    def action_cancel(self):
        for count in self:
            if count.state not in OPEN_STATES:
                raise UserError(_("%s is over: it cannot be cancelled.", count.name))
        self.state = "cancelled"
        self.env["serial.scan"]._release(self)

    def action_open_scanner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "serial_inventory_scan.scanner",
            "name": _("Inventory Scanner"),
            "params": {"operation": "count", "record_id": self.id},
        }

    def _check_open(self):
        self.ensure_one()
        if self.state not in OPEN_STATES:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(_("Count %(count)s is %(state)s: start a new count.",
                              count=self.name, state=states[self.state].lower()))

    # ------------------------------------------------------------------
    # Reading the count (SQL reads: a location may hold many thousands of serials)
    # ------------------------------------------------------------------
    def _expected(self):
        """{lot id: (quant id, location id)} of the serial units in stock in the location."""
        self.ensure_one()
        self.env["stock.quant"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT quant.lot_id, quant.id, quant.location_id
                 FROM stock_quant quant
                 JOIN stock_location location ON location.id = quant.location_id
                 JOIN product_product product ON product.id = quant.product_id
                 JOIN product_template template ON template.id = product.product_tmpl_id
                WHERE location.parent_path LIKE %s AND quant.quantity > 0
                  AND quant.lot_id IS NOT NULL AND template.tracking = 'serial'
             ORDER BY quant.id""",
            f"{self.location_id.parent_path}%",
        ))
        return {lot_id: (quant_id, location_id)
                for lot_id, quant_id, location_id in self.env.cr.fetchall()}

    def _in_count(self, lot):
        """Whether serial ``lot`` is in stock in the counted location (one indexed query)."""
        self.ensure_one()
        self.env["stock.quant"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT 1 FROM stock_quant quant
                 JOIN stock_location location ON location.id = quant.location_id
                WHERE quant.lot_id = %s AND quant.quantity > 0
                  AND location.parent_path LIKE %s LIMIT 1""",
            lot.id, f"{self.location_id.parent_path}%",
        ))
        return bool(self.env.cr.fetchone())

    def _current_location(self):
        """Where units are being counted: the location of the last accepted location scan,
        the counted location at first."""
        self.ensure_one()
        self.env["serial.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT location_id FROM serial_scan
                WHERE res_model = %s AND res_id = %s AND result = 'accepted'
                  AND lot_id IS NULL AND location_id IS NOT NULL
             ORDER BY id DESC LIMIT 1""",
            self._name, self.id,
        ))
        row = self.env.cr.fetchone()
        return self.env["stock.location"].browse(row[0]) if row else self.location_id

    def _counted(self):
        """{lot id: location id scanned at} of the accepted unit scans, in scan order."""
        self.ensure_one()
        self.env["serial.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT lot_id, location_id FROM serial_scan
                WHERE res_model = %s AND res_id = %s AND result = 'accepted'
                  AND lot_id IS NOT NULL
             ORDER BY id""",
            self._name, self.id,
        ))
        return dict(self.env.cr.fetchall())

    def _elsewhere(self, lot_ids):
        """{lot id: [quant ids]} of the internal quants of ``lot_ids`` outside the count."""
        if not lot_ids:
            return {}
        self.env.cr.execute(SQL(
            """SELECT quant.lot_id, array_agg(quant.id ORDER BY quant.id)
                 FROM stock_quant quant
                 JOIN stock_location location ON location.id = quant.location_id
                WHERE quant.lot_id = ANY(%s) AND quant.quantity > 0
                  AND quant.company_id = %s
                  AND location.usage = 'internal' AND location.parent_path NOT LIKE %s
             GROUP BY quant.lot_id""",
            list(lot_ids), self.company_id.id, f"{self.location_id.parent_path}%",
        ))
        return dict(self.env.cr.fetchall())

    def _outcome(self):
        """(expected, counted, found lot ids, unexpected lot ids, missing lot ids)."""
        expected, counted = self._expected(), self._counted()
        found = [lot for lot in counted if lot in expected]
        unexpected = [lot for lot in counted if lot not in expected]
        missing = [lot for lot in expected if lot not in counted]
        return expected, counted, found, unexpected, missing

    # ------------------------------------------------------------------
    # Applying: Odoo's inventory adjustment
    # ------------------------------------------------------------------
    def _apply_count(self):
        """Set the counted quantities on the quants and apply them as Odoo's inventory
        adjustment: found units 1, missing units 0, an unexpected unit 1 at the location it
        was scanned at (and 0 where Odoo had it: a serial is one unit). Returns the moves."""
        self.ensure_one()
        self._check_open()
        if not self.env.user.has_group("stock.group_stock_manager"):
            raise UserError(_("Only an Inventory Administrator can apply count %s.",
                              self.name))
        expected, counted, found, unexpected, missing = self._outcome()
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        quants = Quant.browse([expected[lot][0] for lot in found])
        quants.inventory_quantity = 1
        gone = Quant.browse([expected[lot][0] for lot in missing])
        elsewhere = self._elsewhere(unexpected)
        gone |= Quant.browse([quant for lot in unexpected for quant in elsewhere.get(lot, [])])
        gone.inventory_quantity = 0
        quants |= gone
        lots = self.env["stock.lot"].browse(unexpected)
        for lot in lots:
            quants |= Quant.create({
                "product_id": lot.product_id.id, "lot_id": lot.id,
                "location_id": counted[lot.id] or self.location_id.id,
                "inventory_quantity": 1,
            })
        name = _("Count %s", self.name)
        self.env.cr.execute("SELECT COALESCE(max(id), 0) FROM stock_move")
        last_move_id = self.env.cr.fetchone()[0]
        if quants:
            result = quants.with_context(inventory_name=name).action_apply_inventory()
            if isinstance(result, dict):
                raise UserError(_("Odoo asks for a confirmation (%(what)s) before applying "
                                  "count %(count)s: apply it from Physical Inventory.",
                                  what=result.get("name"), count=self.name))
        moves = self.env["stock.move"].search(
            [("id", ">", last_move_id), ("is_inventory", "=", True)])
        self.write({"state": "applied", "applied_date": fields.Datetime.now(),
                    "move_ids": [Command.set(moves.ids)]})
        self.env["serial.scan"]._release(self)
        return moves
