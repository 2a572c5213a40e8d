from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_amount


class SerialValuationReport(models.Model):
    """Every serial on hand of the products valued by lot/serial, at a date.

    Built from the stock valuation layers alone (the accounting truth of stock_account):
    a row is a unit's layers summed up to the date, so the report's total is, to the cent,
    the layers' total for those products. Layers without a serial (none are expected for
    products valued by serial) get a row of their own, so that nothing is left out.

    "Received on" is the date of the first done move of the unit into an internal location
    of the company (its receipt, or the inventory adjustment that found it), not the date
    of its first layer: switching a product to valuation by lot/serial empties and refills
    its stock with new layers dated at the switch, which would make every unit new. It is
    not stock.quant.in_date either, which only tells the present, not a past date. A unit
    delivered and returned keeps its receipt date; internal transfers do not change it.

    "Under recall" shows units held by a recall open at that date: they keep their full
    cost here, since writing them down is the accountant's decision (a revaluation), not
    the report's.

    The date comes from the context (``serial_valuation_date``, set by the "value at date"
    dialog); without it the report shows the present. The record cache does not know that
    the rows depend on it: read one date per environment (as every web request does).
    """

    _name = "serial.valuation.report"
    _description = "Serial Valuation Report"
    _auto = False
    _order = "categ_id, product_id, lot_id"
    _rec_name = "lot_id"
    _depends = {
        "stock.valuation.layer": ["company_id", "product_id", "lot_id", "quantity", "value",
                                  "create_date"],
        "stock.move.line": ["lot_id", "state", "date", "location_dest_id"],
        "stock.location": ["usage", "company_id"],
        "stock.lot": ["serial_recall_id"],
        "serial.recall": ["date_open", "date_closed"],
        "serial.recall.line": ["lot_id", "recall_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["lot_valuated", "categ_id"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product category", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    unit_cost = fields.Monetary(readonly=True, aggregator=None)
    value = fields.Monetary(readonly=True)
    in_date = fields.Datetime(
        "Received on", readonly=True,
        help="When the unit first came into the company's stock (its receipt). A return "
        "from a customer and internal transfers keep this date.")
    age_days = fields.Integer("Age (days)", readonly=True, aggregator="avg",
                              help="Days from the receipt to the valuation date.")
    recall_id = fields.Many2one(
        "serial.recall", readonly=True,
        help="The recall that held the unit at the valuation date. The unit is still "
        "valued at its full cost: a write-down is a revaluation for the accountant to make.")
    under_recall = fields.Boolean(readonly=True)

    @api.model
    def _valuation_date(self):
        date = self.env.context.get("serial_valuation_date")
        return fields.Datetime.to_datetime(date) if date else None

    @api.model
    def _receipt_line(self, lot, company, at_date=None):
        """The done move line that brought ``lot`` into ``company``'s stock (SQL
        expressions): its first line into an internal location of the company, up to
        ``at_date``."""
        return SQL(
            """SELECT ml.id, ml.date, ml.move_id
                 FROM stock_move_line ml
                 JOIN stock_location destination ON destination.id = ml.location_dest_id
                WHERE ml.lot_id = %(lot)s AND ml.state = 'done'
                  AND destination.usage = 'internal'
                  AND destination.company_id = %(company)s %(line_filter)s
             ORDER BY ml.date, ml.id
                LIMIT 1""", lot=lot, company=company,
            line_filter=SQL("AND ml.date <= %s", at_date) if at_date else SQL())

    @api.model
    def _recall_at(self, at_date):
        """The recall holding ``layers.lot_id`` at ``at_date`` (now: the lot's own)."""
        if not at_date:
            return SQL("SELECT lot.serial_recall_id AS recall_id FROM stock_lot lot "
                       "WHERE lot.id = layers.lot_id")
        return SQL(
            """SELECT recall.id AS recall_id
                 FROM serial_recall_line line
                 JOIN serial_recall recall ON recall.id = line.recall_id
                WHERE line.lot_id = layers.lot_id
                  AND recall.date_open <= %(at)s
                  AND (recall.date_closed IS NULL OR recall.date_closed > %(at)s)
             ORDER BY recall.date_open, recall.id
                LIMIT 1""", at=at_date)

    @property
    def _table_query(self):
        at_date = self._valuation_date()
        date_filter = SQL("AND svl.create_date <= %s", at_date) if at_date else SQL()
        line_filter = SQL("AND ml.date <= %s", at_date) if at_date else SQL()
        reference = SQL("%s::timestamp", at_date) if at_date else SQL(
            "(statement_timestamp() AT TIME ZONE 'UTC')")
        return SQL(
            """
            SELECT CASE WHEN layers.lot_id IS NOT NULL THEN layers.lot_id
                        ELSE -layers.first_layer_id END AS id,
                   layers.company_id,
                   company.currency_id,
                   layers.product_id,
                   template.categ_id,
                   layers.lot_id,
                   place.location_dest_id AS location_id,
                   layers.quantity,
                   CASE WHEN layers.quantity <> 0
                        THEN ROUND(layers.value / layers.quantity, currency.decimal_places)
                        ELSE 0 END AS unit_cost,
                   layers.value,
                   COALESCE(receipt.date, layers.first_layer_date) AS in_date,
                   EXTRACT(DAY FROM %(reference)s
                           - COALESCE(receipt.date, layers.first_layer_date))::int AS age_days,
                   recall.recall_id,
                   recall.recall_id IS NOT NULL AS under_recall
              FROM (
                    SELECT svl.company_id, svl.product_id, svl.lot_id,
                           SUM(svl.quantity) AS quantity,
                           SUM(svl.value) AS value,
                           MIN(svl.create_date) FILTER (WHERE svl.quantity > 0)
                               AS first_layer_date,
                           MIN(svl.id) AS first_layer_id
                      FROM stock_valuation_layer svl
                      JOIN product_product product ON product.id = svl.product_id
                      JOIN product_template template ON template.id = product.product_tmpl_id
                     WHERE template.lot_valuated %(date_filter)s
                  GROUP BY svl.company_id, svl.product_id, svl.lot_id
                    HAVING SUM(svl.quantity) <> 0 OR SUM(svl.value) <> 0
                   ) AS layers
              JOIN product_product product ON product.id = layers.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN res_company company ON company.id = layers.company_id
              JOIN res_currency currency ON currency.id = company.currency_id
         LEFT JOIN LATERAL (
                    SELECT ml.location_dest_id
                      FROM stock_move_line ml
                     WHERE ml.lot_id = layers.lot_id AND ml.state = 'done' %(line_filter)s
                  ORDER BY ml.date DESC, ml.id DESC
                     LIMIT 1
                   ) AS place ON TRUE
         LEFT JOIN LATERAL (%(receipt)s) AS receipt ON TRUE
         LEFT JOIN LATERAL (%(recall)s) AS recall ON TRUE
            """,
            reference=reference, date_filter=date_filter, line_filter=line_filter,
            receipt=self._receipt_line(SQL("layers.lot_id"), SQL("layers.company_id"), at_date),
            recall=self._recall_at(at_date),
        )

    @api.model
    def _layers_total(self, companies=None):
        """The valuation layers' total of the products valued by serial, at the same date
        (what the report must add up to)."""
        domain = [("product_id.lot_valuated", "=", True)]
        if companies:
            domain.append(("company_id", "in", companies.ids))
        at_date = self._valuation_date()
        if at_date:
            domain.append(("create_date", "<=", at_date))
        [(value,)] = self.env["stock.valuation.layer"].sudo()._read_group(
            domain, [], ["value:sum"])
        return value or 0.0

    @api.model
    def _lot_valuation_notes(self, lots):
        """{lot id: note} for the units of storable products valued per product: Odoo gives
        them no value of their own (the lot form's Total Value reads 0.00), so the note says
        how they are valued and the unit cost of their receipt's valuation layers."""
        # Unit costs come from the valuation layers, which stock_account shows to inventory
        # managers only: the others get no note (and Odoo's own fields stay as they are).
        if not self.env.user.has_group("stock.group_stock_manager"):
            return {}
        lots = lots._origin.filtered(lambda lot: lot.product_id.is_storable
                                     and not lot.product_id.lot_valuated)
        if not lots:
            return {}
        company = self.env.company
        for model in ("stock.move.line", "stock.valuation.layer", "stock.location"):
            self.env[model].flush_model()
        self.env.cr.execute(SQL(
            """SELECT lot.id, SUM(svl.value) / NULLIF(SUM(svl.quantity), 0)
                 FROM stock_lot lot
                 JOIN LATERAL (%(receipt)s) AS receipt ON TRUE
                 JOIN stock_valuation_layer svl
                   ON svl.stock_move_id = receipt.move_id AND svl.quantity > 0
                  AND svl.company_id = %(company)s
                WHERE lot.id IN %(lots)s
             GROUP BY lot.id""",
            receipt=self._receipt_line(SQL("lot.id"), SQL("%s", company.id)),
            company=company.id, lots=tuple(lots.ids)))
        receipt_costs = dict(self.env.cr.fetchall())
        methods = dict(self.env["product.category"]._fields["property_cost_method"]
                       ._description_selection(self.env))
        notes = {}
        for lot in lots:
            method = methods.get(lot.product_id.cost_method, lot.product_id.cost_method)
            cost = receipt_costs.get(lot.id)
            if cost is None:
                notes[lot.id] = _("Valued per product (%(method)s), not per unit.",
                                  method=method)
            else:
                notes[lot.id] = _(
                    "Valued per product (%(method)s), not per unit: unit cost from its "
                    "receipt %(cost)s.", method=method,
                    cost=format_amount(self.env, cost, company.currency_id))
        return notes
