import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import split_every
from odoo.tools.sql import create_index

from ..lib import serial_name

# Lots per ORM create call when many serials are created at once.
BULK_CREATE_CHUNK = 1000

SERIAL_STATES = [
    ("new", "Not received"),
    ("in_stock", "In stock"),
    ("reserved", "Reserved"),
    ("recalled", "Recalled (blocked)"),
    ("delivered", "Delivered"),
    ("returned", "Returned"),
    ("scrapped", "Scrapped"),
    ("elsewhere", "Elsewhere"),
]


class StockLot(models.Model):
    _inherit = "stock.lot"

    # Not check_company: a serial of no company (of a product shared by all companies, as
    # Odoo leaves it) joins the batch of the company that made or bought it;
    # _check_serial_batch_company keeps a company's serial out of other companies' batches.
    serial_batch_id = fields.Many2one(
        "serial.batch", string="Batch", index="btree_not_null", tracking=True,
        domain="[('company_id', '=', company_id)] if company_id else []",
        help="The production or supplier lot this unit belongs to.",
    )
    manufacture_date = fields.Date(tracking=True)
    serial_state = fields.Selection(
        SERIAL_STATES, string="Status", compute="_compute_serial_state", store=True,
        index=True, help="Where the unit is, computed from its quants and moves.",
    )
    serial_customer_id = fields.Many2one(
        "res.partner", string="Delivered to", compute="_compute_serial_state", store=True,
        index="btree_not_null",
    )
    serial_delivery_date = fields.Datetime(
        string="Delivered on", compute="_compute_serial_state", store=True
    )
    serial_unique_key = fields.Char(
        compute="_compute_serial_unique_key", store=True, copy=False,
        help="Technical: the serial's key within its uniqueness scope; a database unique "
        "constraint on it keeps concurrent transactions from storing a duplicate.",
    )
    # Serial names (see serial.lot.naming and lib/serial_name.py)
    serial_name_key = fields.Char(
        compute="_compute_serial_name_key", store=True, copy=False, index="btree_not_null",
        help="Technical: what the serial is compared and found by (upper case, without "
        "spaces and the separators - / . _); empty for lots of lot-tracked products.",
    )
    serial_name_conflict = fields.Boolean(
        string="Name conflict", readonly=True, copy=False,
        help="Stored before the naming rule, this serial's name is the same serial as "
        "another one's (case, spaces and separators aside): rename one of them.",
    )
    serial_name_conflict_with = fields.Char(
        string="Same serial as", compute="_compute_serial_name_conflict_with")
    serial_name_preview = fields.Char(
        compute="_compute_serial_name_preview", readonly=False,
        help="Technical: the serial the New serial form proposed; kept on save, it is "
        "numbered for good then.",
    )

    _sql_constraints = [
        (
            "serial_unique_key_uniq",
            "unique(serial_unique_key)",
            "This serial number is already used within its uniqueness scope "
            "(see Inventory settings: Serial uniqueness).",
        ),
    ]

    def init(self):
        res = super().init()
        # Odoo indexes the name for fragment search (trigram GIN); scans look serials up by
        # exact name, which a B-tree answers in a fraction of the time on millions of lots.
        create_index(self.env.cr, "stock_lot_name_exact_index", self._table, ["name"])
        return res

    @api.model
    def _serial_unique_key(self, company, product, name):
        """The key the database keeps unique: the serial's key within its company, per
        product or across the company's products (its scope). A serial of no company (of
        a product shared by all companies, as Odoo leaves it) has the key of its product
        among the serials of no company; that it also clashes with its product's serials
        in every company, and with every product's serials of a company unique across its
        products, is checked by ``serial.lot.naming._check_unique`` (as Odoo checks its
        own rule for lots of no company): one key cannot hold scopes that overlap."""
        if not (name and product):
            return False
        if product.tracking != "serial":
            return f"c{company.id or 0}:p{product.id}:{name}"
        key = serial_name.loose_key(name)
        if company.serial_unique_scope == "company":
            return f"c{company.id}:{key}"
        return f"c{company.id or 0}:p{product.id}:{key}"

    @api.depends("name", "product_id.tracking", "company_id.serial_unique_scope",
                 "serial_name_conflict")
    def _compute_serial_unique_key(self):
        for lot in self:
            # Serials flagged by the upgrade to the naming rule hold no key until renamed.
            lot.serial_unique_key = not lot.serial_name_conflict and self._serial_unique_key(
                lot.company_id, lot.product_id, lot.name)

    @api.depends("name", "product_id.tracking")
    def _compute_serial_name_key(self):
        for lot in self:
            lot.serial_name_key = (lot.name and lot.product_id.tracking == "serial"
                                   and serial_name.loose_key(lot.name))

    @api.depends("serial_name_conflict", "serial_name_key")
    def _compute_serial_name_conflict_with(self):
        naming = self.env["serial.lot.naming"]
        for lot in self:
            lot.serial_name_conflict_with = ", ".join(
                f"{other.name} ({other.product_id.display_name})"
                for other in naming._same_serial_as(lot))

    def _compute_serial_name_preview(self):
        self.serial_name_preview = False

    def _serial_acting_company(self):
        """The company acting on this serial: its own, or for a serial of no company (of a
        product shared by all companies, as Odoo leaves it) the current company, whose
        registry registers, verifies and reports it."""
        self.ensure_one()
        return self.company_id or self.env.company

    def _serial_acting_companies(self):
        """The companies acting on these serials (see ``_serial_acting_company``)."""
        if any(not lot.company_id for lot in self):
            return self.company_id | self.env.company
        return self.company_id

    def _serial_grouped_by_company(self):
        """{company: serials} by ``_serial_acting_company``."""
        return self.grouped(lambda lot: lot._serial_acting_company())

    @api.model
    def _serial_find(self, code, products=None, company=None):
        """The lots a scanned or typed ``code`` names: the serials whose key is the code's
        (whatever its case, spaces and separators - / . _), and the lots of lot-tracked
        products named exactly ``code``. ``products``, ``company``: only theirs (with the
        lots of no company). A code with a control character inside raises UserError; any
        other code that can be no serial finds nothing."""
        return self.env["serial.lot.naming"]._find(code, products=products, company=company)

    @api.constrains("name", "product_id", "company_id")
    def _check_unique_lot(self):
        """Extend Odoo's per-product check: serials are compared by their key (case,
        spaces and separators aside), per product or across the company's products.

        The unique constraint on serial_unique_key is the guarantee; this check only gives
        the user a message naming the serial and the product that already holds it.
        """
        self.env["serial.lot.naming"]._check_unique(self)
        return super()._check_unique_lot()

    @api.constrains("serial_batch_id", "company_id")
    def _check_serial_batch_company(self):
        for lot in self:
            batch = lot.sudo().serial_batch_id
            if lot.company_id and batch and batch.company_id != lot.company_id:
                raise ValidationError(_(
                    "Serial %(serial)s belongs to %(company)s: it cannot join batch "
                    "%(batch)s of another company.", serial=lot.name,
                    company=lot.company_id.display_name, batch=batch.name))

    @api.constrains("name", "product_id")
    def _check_serial_check_character(self):
        for product, lots in self.grouped("product_id").items():
            pattern = product._get_serial_pattern()
            if pattern and pattern.check_algorithm != "none":
                for lot in lots:
                    pattern._validate_serial(lot.name)

    @api.depends(
        "quant_ids.quantity", "quant_ids.reserved_quantity", "quant_ids.location_id",
        "serial_recall_id",
    )
    def _compute_serial_state(self):
        where = self._serial_quant_summary()
        last_moves = self._serial_last_done_moves()
        for lot in self:
            place = where.get(lot.id, {})
            last = last_moves.get(lot.id)
            customer = date = False
            if place.get("internal"):
                if lot.serial_recall_id:
                    # In stock but held by an open recall: not a unit to pick.
                    state = "recalled"
                elif place.get("reserved"):
                    state = "reserved"
                elif last and last["is_return"]:
                    state = "returned"
                else:
                    state = "in_stock"
            elif place.get("customer"):
                state = "delivered"
                if last:
                    customer, date = last["partner_id"], last["date"]
            elif place.get("scrap"):
                state = "scrapped"
            elif place or last:
                state = "elsewhere"
            else:
                state = "new"
            lot.serial_state = state
            lot.serial_customer_id = customer
            lot.serial_delivery_date = date

    def _serial_quant_summary(self):
        """Where each lot has units, from its quants, in one query (validating a receipt
        recomputes the status of every received serial)."""
        lot_ids = [lot_id for lot_id in self.ids if lot_id]
        if not lot_ids:
            return {}
        self.env["stock.quant"].flush_model(
            ["lot_id", "location_id", "quantity", "reserved_quantity"])
        self.env["stock.location"].flush_model(["usage", "scrap_location"])
        self.env.cr.execute(
            """
            SELECT quant.lot_id,
                   bool_or(location.usage IN ('internal', 'transit')),
                   bool_or(location.usage IN ('internal', 'transit')
                           AND quant.reserved_quantity > 0),
                   bool_or(location.usage = 'customer'),
                   bool_or(location.scrap_location)
              FROM stock_quant quant
              JOIN stock_location location ON location.id = quant.location_id
             WHERE quant.lot_id = ANY(%s) AND quant.quantity > 0
          GROUP BY quant.lot_id
            """,
            (lot_ids,),
        )
        return {
            lot_id: {"internal": internal, "reserved": reserved, "customer": customer,
                     "scrap": scrap}
            for lot_id, internal, reserved, customer, scrap in self.env.cr.fetchall()
        }

    def _serial_last_done_moves(self):
        """The last done move line of each lot, in one query."""
        lot_ids = [lot_id for lot_id in self.ids if lot_id]
        if not lot_ids:
            return {}
        self.env["stock.move.line"].flush_model(
            ["lot_id", "state", "date", "move_id", "picking_id", "location_dest_id"]
        )
        self.env["stock.move"].flush_model(["origin_returned_move_id"])
        self.env["stock.picking"].flush_model(["partner_id"])
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (ml.lot_id)
                   ml.lot_id, ml.date, move.origin_returned_move_id IS NOT NULL,
                   picking.partner_id
              FROM stock_move_line ml
              JOIN stock_move move ON move.id = ml.move_id
         LEFT JOIN stock_picking picking ON picking.id = ml.picking_id
             WHERE ml.lot_id = ANY(%s) AND ml.state = 'done'
          ORDER BY ml.lot_id, ml.date DESC, ml.id DESC
            """,
            (lot_ids,),
        )
        return {
            lot_id: {"date": date, "is_return": is_return, "partner_id": partner_id}
            for lot_id, date, is_return, partner_id in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------------
    # Many serials at once
    # ------------------------------------------------------------------
    @api.model
    def _serial_bulk_create(self, product, names, values=None, from_pattern=False,
                            company=None):
        """Create the lots ``names`` of ``product``, all with the same unit data ``values``.

        Through the ORM's batched ``create``, in chunks (Odoo 18 recurses too deep when
        one ``create`` computes the company of 100,000 lots), without a chatter creation
        message per generated unit (noise), and with one registry queue entry for all.
        ``from_pattern``: the names were just rendered by the product's pattern, so their
        check characters need no second verification. ``company``: the company creating
        them (default: the current one); the lots get it as Odoo gives a receipt's new lots
        a company (``_serial_new_lot_company``): the lots of a product shared by all
        companies have none.
        """
        if not names:
            return self.browse()
        company = company or self.env.company
        if product.tracking == "serial":
            naming = self.env["serial.lot.naming"]
            max_length = naming._max_length(company)
            names = [naming._clean(name, max_length) for name in names]
        self._serial_check_new_names(product, names, check_characters=not from_pattern)
        common = {"product_id": product.id,
                  "company_id": self._serial_new_lot_company(product, company).id,
                  **(values or {})}
        Lot = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True,
                                serial_defer_registration=True)
        lots = self.browse()
        try:
            with self.env.cr.savepoint():
                for chunk in split_every(BULK_CREATE_CHUNK, names):
                    lots |= Lot.create([{**common, "name": name} for name in chunk])
                self.env.flush_all()
        except psycopg2.errors.UniqueViolation:
            self._serial_raise_existing(product, common["company_id"], names)
            raise
        # Serials of no company are registered by the company creating them.
        self.env["serial.registry.queue"].with_company(company)._enqueue_registration(
            lots.with_company(company))
        return lots

    @api.model
    def _serial_new_lot_company(self, product, company):
        """The company of a new lot of ``product`` created by ``company``, by Odoo's rule
        for the lots a receipt creates (stock.move.line._prepare_new_lot_vals): ``company``
        when the product belongs to it or to its parent company, else the product's
        company, which is none for a product shared by all companies."""
        product_company = product.company_id
        if product_company and company in product_company | product_company.all_child_ids:
            return company
        return product_company

    @api.model
    def _serial_check_new_names(self, product, names, check_characters=True):
        """Refuse serials repeated in ``names`` (compared by their key: ``AB-1`` and
        ``ab1`` are one serial), or with a wrong check character."""
        if product.tracking == "serial":
            self.env["serial.lot.naming"]._check_repeated(names)
        elif len(set(names)) != len(names):
            seen, repeated = set(), set()
            for name in names:
                (repeated if name in seen else seen).add(name)
            raise ValidationError(_("These serials appear more than once: %s",
                                    ", ".join(sorted(repeated)[:10])))
        pattern = product._get_serial_pattern()
        if check_characters and pattern and pattern.check_algorithm != "none":
            for name in names:
                pattern._validate_serial(name)

    @api.model
    def _serial_raise_existing(self, product, company_id, names):
        """Name the serials that already exist (after the unique constraint refused them)."""
        company = self.env["res.company"].browse(company_id)
        keys = [self._serial_unique_key(company, product, name) for name in names]
        self.env.cr.execute(
            "SELECT name, product_id FROM stock_lot WHERE serial_unique_key = ANY(%s) "
            "ORDER BY id LIMIT 10",
            (keys,),
        )
        clashes = self.env.cr.fetchall()
        if clashes:
            products = self.env["product.product"].browse({pid for _name, pid in clashes})
            raise ValidationError(_(
                "These serials already exist:\n%s",
                "\n".join(f" - {name} ({products.browse(pid).display_name})"
                          for name, pid in clashes)))

    # ------------------------------------------------------------------
    # Serial generation: Odoo's entry points, routed to the product's pattern
    # ------------------------------------------------------------------
    @api.model
    def default_get(self, fields_list):
        """The New serial form proposes the pattern's next serial without taking its
        number (opening a form must not use up serials): ``serial_name_preview`` carries
        the proposal, and ``create`` numbers it for good when it was kept."""
        product_id = "name" in fields_list and self.env.context.get("default_product_id")
        product = product_id and self.env["product.product"].browse(product_id).exists()
        preview = product and self.env["serial.lot.naming"]._preview_name(product)
        if not preview:
            return super().default_get(fields_list)
        # Without "name": Odoo's default would take a number of its own sequence.
        values = super().default_get([name for name in fields_list if name != "name"])
        values["name"] = preview
        if "serial_name_preview" in fields_list:
            values["serial_name_preview"] = preview
        return values

    @api.model
    def generate_lot_names(self, first_lot, count):
        """Follow the product's pattern when the caller names the product in context.

        A first serial that does not have the pattern's shape means the user chose their
        own numbering for this batch: Odoo's standard increment is kept then.
        """
        product_id = self.env.context.get("serial_pattern_product_id")
        product = self.env["product.product"].browse(product_id) if product_id else None
        pattern = product._get_serial_pattern() if product else None
        if pattern and (not first_lot or pattern._parsed().matches(first_lot)):
            return [{"lot_name": name} for name in pattern._generate(count, product)]
        return super().generate_lot_names(first_lot, count)

    @api.model
    def _get_next_serial(self, company, product):
        pattern = product._get_serial_pattern() if product else None
        if pattern:
            return pattern._generate(1, product)[0]
        return super()._get_next_serial(company, product)

    # ------------------------------------------------------------------
    # Authenticity: recalls, stolen units, verifications, central registry
    # (models serial.recall, serial.verification, serial.registry.queue)
    # ------------------------------------------------------------------
    serial_recall_id = fields.Many2one(
        "serial.recall", string="Under recall", readonly=True, copy=False,
        index="btree_not_null",
        help="The open recall that keeps this unit from being reserved or delivered.",
    )
    serial_recall_line_ids = fields.One2many("serial.recall.line", "lot_id", string="Recalls")
    serial_stolen = fields.Boolean(string="Reported stolen", readonly=True, copy=False)
    serial_stolen_note = fields.Char(string="Theft note", readonly=True, copy=False)
    serial_registry_state = fields.Selection(
        [("not_registered", "Not registered"), ("pending", "Pending"),
         ("registered", "Registered"), ("rejected", "Rejected")],
        string="Registry", default="not_registered", readonly=True, copy=False,
        help="Registration of the serial with the central registry: pending serials wait in "
        "the registry queue until the registry answers.",
    )
    serial_registry_queue_id = fields.Many2one(
        "serial.registry.queue", string="Registry queue entry", readonly=True, copy=False,
        index="btree_not_null", ondelete="set null",
    )
    serial_registry_message = fields.Char(string="Registry answer", readonly=True, copy=False)
    serial_verification_ids = fields.One2many(
        "serial.verification", "lot_id", string="Verifications")

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = self.env["serial.lot.naming"]._prepare_create(vals_list)
        lots = super().create(vals_list)
        # One queue entry per call; _serial_bulk_create queues its chunks at once.
        if not self.env.context.get("serial_defer_registration"):
            self.env["serial.registry.queue"]._enqueue_registration(lots)
        return lots

    def write(self, vals):
        if "name" not in vals:
            return super().write(vals)
        naming = self.env["serial.lot.naming"]
        renamed_conflicts = set(self.filtered("serial_name_conflict").mapped("serial_name_key"))
        for lots, lot_vals in naming._split_write(self, vals):
            super(StockLot, lots).write(lot_vals)
        if renamed_conflicts:
            # The serials they clashed with may be alone with their name now.
            naming._flag_name_conflicts(renamed_conflicts | set(self.mapped("serial_name_key")))
        return True

    def action_serial_verify(self):
        """Open the verification screen on this serial."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "serial_inventory.verify_serial",
            "name": _("Verify a serial"),
            "params": {"serial": self.name, "product_id": self.product_id.id},
        }

    def action_serial_recall(self):
        """Open a draft recall of the selected serials."""
        if not self:
            raise UserError(_("Select the serials to recall."))
        if len(self.company_id) > 1:
            raise UserError(_("Recall the serials of one company at a time."))
        recall = self.env["serial.recall"].create({
            "company_id": (self.company_id or self.env.company).id,
            "reason": _("To be completed"),
            "product_id": self.product_id.id if len(self.product_id) == 1 else False,
            "line_ids": [(0, 0, {"lot_id": lot_id}) for lot_id in self.ids],
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": "serial.recall",
            "res_id": recall.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_serial_open_recalls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory.action_serial_recall")
        action["domain"] = [("line_ids.lot_id", "=", self.id)]
        return action

    def action_serial_traceability(self):
        """Odoo's traceability report (stock.traceability.report) of this serial."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("stock.action_stock_report")
        action["context"] = {
            "active_id": self.id,
            "active_model": "stock.lot",
            "url": "/stock/output_format/stock?active_id=:active_id&active_model=:active_model",
        }
        return action

    def action_serial_report_stolen(self):
        """Flag the units stolen and tell the registry (through its queue)."""
        note = self.env.context.get("serial_stolen_note") or ""
        lots = self.filtered(lambda lot: not lot.serial_stolen)
        lots.write({"serial_stolen": True, "serial_stolen_note": note})
        if lots:
            lots._message_log_batch(dict.fromkeys(lots.ids, _("Reported stolen.")))
            self.env["serial.registry.queue"]._enqueue_stolen(lots, note)
        return True

    def action_serial_report_found(self):
        lots = self.filtered("serial_stolen")
        lots.write({"serial_stolen": False, "serial_stolen_note": False})
        if lots:
            lots._message_log_batch(dict.fromkeys(lots.ids, _("No longer reported stolen.")))
        return True

    def action_serial_register(self):
        """Queue the registration of serials that are not registered (or were rejected)."""
        lots = self.filtered(
            lambda lot: lot.serial_registry_state not in ("pending", "registered"))
        self.env["serial.registry.queue"]._enqueue_registration(lots, force=True)
        return True

    def action_serial_open_verifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory.action_serial_verification")
        action["domain"] = [("lot_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Valuation on the form (views/stock_lot_valuation_views.xml)
    # ------------------------------------------------------------------
    serial_valuation_note = fields.Char(
        "Valuation", compute="_compute_serial_valuation_note",
        help="Why a unit of a product valued per product has no value of its own, and its "
        "cost from its receipt.")

    def _compute_serial_valuation_note(self):
        notes = self.env["serial.valuation.report"]._lot_valuation_notes(self)
        for lot in self:
            lot.serial_valuation_note = notes.get(lot._origin.id, False)
