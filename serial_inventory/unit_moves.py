"""Quant updates of many one-unit serial move lines, in batches.

Validating a receipt or a delivery of N serials, Odoo's ``stock.move.line._action_done``
calls ``_synchronize_quant`` three times per line, and each call searches, locks and writes
or creates one quant: per unit, two ``stock.quant.create`` or ``write`` calls and their
recomputations, about 7 ms a unit. For a line that moves one unit of a serial, without
package or owner, the outcome of those calls is known before they run, from the quants of
its lot at its source and destination:

- at the source, no quant of the lot and a location that bypasses reservation (a vendor,
  production, an inventory loss): Odoo creates a quant of -1 with ``in_date`` now; or the
  lot's one quant of 1 unit: Odoo takes the reservation off it (internal sources) and sets
  its quantity to 0, with ``in_date`` kept (internal) or now (bypassing sources);
- at the destination, a new quant of +1 with that ``in_date``, or +1 on the lot's one quant
  there (the quant left at 0 when the unit went, the -1 of a vendor).

``UnitMoves.plan`` keeps the lines for which that holds. Everything else goes through
Odoo's code unchanged: a product with any line Odoo must handle itself (Odoo's handling can
reserve that product again in the middle of its loop, and creates its quants in an order
that later removal strategies read), and every line when a module other than Odoo's stock
and ours changes how quants are moved. During Odoo's loop the planned lines'
``_synchronize_quant`` calls return what Odoo's would return without touching quants;
``apply`` then makes the same changes through the ORM: one ``create`` of every new quant and
one ``write`` per group of equal values, so every module's quant defaults,
``create``/``write`` overrides and computed fields see every quant.

Two differences remain, both deliberate: ``in_date`` "now" is read once per validation
(Odoo reads the clock per line), and the lots Odoo creates at validation get no chatter
"created" message when there are many (see stock.move.line._create_and_assign_production_lot).
"""

from collections import Counter, defaultdict

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import float_compare

# The modules whose code the prediction reproduces. A method of this list overridden by any
# other module may change what validation does to quants: the fast path then steps aside.
PREDICTED_METHODS = {
    "stock.move.line": ("_action_done", "_synchronize_quant", "_free_reservation"),
    "stock.quant": ("_update_available_quantity", "_update_reserved_quantity",
                    "_get_available_quantity", "_gather"),
}
KNOWN_MODULES = {"stock", "stock_account", "serial_inventory"}


def overridden_elsewhere(env):
    """Whether a module outside KNOWN_MODULES overrides one of PREDICTED_METHODS."""
    for model_name, methods in PREDICTED_METHODS.items():
        for cls in type(env[model_name]).__mro__:
            parts = cls.__module__.split(".")
            if parts[:2] != ["odoo", "addons"] or parts[2] in KNOWN_MODULES:
                continue
            if any(method in vars(cls) for method in methods):
                return True
    return False


class UnitMoves:
    """The predicted quant changes of a set of one-unit serial move lines."""

    def __init__(self, env, plans):
        self.env = env
        # line id -> {"source_quant": id or None, "bypass": bool, "in_date": datetime,
        #             "dest_quant": id or None, "dest_in_date", "dest_quantity"}
        self.plans = plans

    def __contains__(self, line_id):
        return line_id in self.plans

    def __len__(self):
        return len(self.plans)

    # ------------------------------------------------------------------
    @classmethod
    def plan(cls, lines):
        """The UnitMoves of those ``lines`` whose quant changes are predictable, or None."""
        env = lines.env
        if overridden_elsewhere(env):
            return None
        lot_counts = Counter(line.lot_id.id for line in lines if line.lot_id)
        candidates = lines.filtered(
            lambda line: cls._is_candidate(line) and lot_counts[line.lot_id.id] == 1)
        if len(candidates) < 2:
            return None
        lot_quants, untracked = cls._read_quants(candidates)
        now = fields.Datetime.now()
        bypass = {}
        plans = {}
        for line in candidates:
            source, dest = line.location_id, line.location_dest_id
            for location in (source, dest):
                if location not in bypass:
                    bypass[location] = location.should_bypass_reservation()
            plan = cls._plan_source(line, lot_quants, untracked, bypass[source], now)
            if plan:
                plan = cls._plan_destination(
                    plan, lot_quants.get((line.lot_id.id, dest.id), []), bypass[dest])
            if plan:
                plans[line.id] = plan
        cls._lock_quants(env, plans)
        cls._keep_whole_products(lines, plans)
        return cls(env, plans) if len(plans) > 1 else None

    @staticmethod
    def _is_candidate(line):
        return (
            line.move_id and line.lot_id and line.tracking == "serial"
            and line.location_id != line.location_dest_id
            and line.product_id.is_storable
            and line.product_uom_id == line.product_id.uom_id
            and float_compare(line.quantity, 1,
                              precision_rounding=line.product_uom_id.rounding) == 0
            and not (line.package_id or line.result_package_id or line.owner_id)
        )

    @staticmethod
    def _read_quants(lines):
        """({(lot id, location id): [quant rows without package or owner]},
        {(product id, location id) holding untracked quants without package or owner})."""
        env = lines.env
        env["stock.quant"].flush_model()
        env.cr.execute(
            """SELECT id, lot_id, location_id, COALESCE(quantity, 0),
                      COALESCE(reserved_quantity, 0), in_date
                 FROM stock_quant
                WHERE lot_id = ANY(%s) AND package_id IS NULL AND owner_id IS NULL""",
            (lines.lot_id.ids,),
        )
        lot_quants = defaultdict(list)
        for quant_id, lot_id, location_id, quantity, reserved, in_date in env.cr.fetchall():
            lot_quants[lot_id, location_id].append(
                {"id": quant_id, "quantity": quantity, "reserved": reserved,
                 "in_date": in_date})
        env.cr.execute(
            """SELECT DISTINCT product_id, location_id FROM stock_quant
                WHERE lot_id IS NULL AND package_id IS NULL AND owner_id IS NULL
                  AND product_id = ANY(%s) AND location_id = ANY(%s)""",
            (lines.product_id.ids, (lines.location_id | lines.location_dest_id).ids),
        )
        return lot_quants, set(env.cr.fetchall())

    @staticmethod
    def _plan_source(line, lot_quants, untracked, bypass_source, now):
        """What Odoo's calls at the source of ``line`` would do, or None."""
        source = line.location_id
        if (line.product_id.id, source.id) in untracked:
            return None  # Odoo would count (and may draw on) the untracked units
        quants = lot_quants.get((line.lot_id.id, source.id), [])
        if not quants:
            if not bypass_source:
                return None
            return {"source_quant": None, "bypass": True, "in_date": now}
        if len(quants) > 1 or quants[0]["quantity"] != 1:
            return None
        quant = quants[0]
        if bypass_source:
            if quant["reserved"]:
                return None
            return {"source_quant": quant["id"], "bypass": True, "in_date": now}
        if quant["reserved"] not in (0, 1):
            return None
        return {"source_quant": quant["id"], "bypass": False, "in_date": quant["in_date"]}

    @staticmethod
    def _plan_destination(plan, quants, bypass_destination):
        """Complete ``plan`` with Odoo's update at the destination: a new quant of +1, or
        +1 on the lot's one quant there (a unit coming back: the quant left at 0 when it
        went, or the -1 of a vendor). Not when the lot stays short there (reserved beyond
        its quantity): Odoo would then draw on untracked units."""
        if not quants:
            return {**plan, "dest_quant": None}
        if len(quants) > 1:
            return None
        quant = quants[0]
        if quant["quantity"] + 1 - quant["reserved"] < 0:
            return None
        in_date = plan["in_date"]
        if not bypass_destination and quant["quantity"] > 0:
            in_date = min(in_date, quant["in_date"])
        return {**plan, "dest_quant": quant["id"], "dest_in_date": in_date,
                "dest_quantity": quant["quantity"] + 1}

    @staticmethod
    def _lock_quants(env, plans):
        """Lock the quants to update as Odoo does; a quant locked by another transaction
        is left to Odoo's code (which would use or create another quant)."""
        quant_ids = [quant_id for plan in plans.values()
                     for quant_id in (plan["source_quant"], plan["dest_quant"]) if quant_id]
        if not quant_ids:
            return
        env.cr.execute(
            "SELECT id FROM stock_quant WHERE id = ANY(%s) FOR NO KEY UPDATE SKIP LOCKED",
            (quant_ids,),
        )
        locked = {quant_id for (quant_id,) in env.cr.fetchall()}
        for line_id, plan in list(plans.items()):
            if any(quant_id and quant_id not in locked
                   for quant_id in (plan["source_quant"], plan["dest_quant"])):
                del plans[line_id]

    @staticmethod
    def _keep_whole_products(lines, plans):
        """Drop the plans of every product that has a line Odoo handles itself."""
        left_to_odoo = {
            line.product_id.id for line in lines
            if line.id not in plans and line.product_id.is_storable
        }
        for line in lines:
            if line.id in plans and line.product_id.id in left_to_odoo:
                del plans[line.id]

    # ------------------------------------------------------------------
    def synchronize(self, line, quantity, location, action):
        """What Odoo's ``line._synchronize_quant(quantity, location, action)`` returns.

        Odoo computes the available quantity over the quants cache of the validation: the
        moved quant at 0, and no quant for a lot new at that location (Odoo's fresh quant
        is not in the cache): 0, so Odoo frees no other reservation.
        """
        plan = self.plans[line.id]
        if action == "available" and quantity < 0 and location == line.location_id:
            return 0, plan["in_date"]
        return 0, False

    def apply(self):
        """Make the predicted quant changes through the ORM, in batches."""
        Quant = self.env["stock.quant"].sudo()
        lines = self.env["stock.move.line"].browse(list(self.plans))
        self._refuse_recalled(lines)
        reserved_groups = defaultdict(list)
        quantity_groups = defaultdict(list)
        vals_list = []
        for line in lines:
            plan = self.plans[line.id]
            base = {"product_id": line.product_id.id, "lot_id": line.lot_id.id,
                    "package_id": False, "owner_id": False, "in_date": plan["in_date"]}
            if plan["source_quant"]:
                if not plan["bypass"]:
                    reserved_groups[plan["in_date"]].append(plan["source_quant"])
                quantity_groups[plan["in_date"], 0].append(plan["source_quant"])
            else:
                vals_list.append({**base, "location_id": line.location_id.id, "quantity": -1})
            if plan["dest_quant"]:
                quantity_groups[plan["dest_in_date"], plan["dest_quantity"]].append(
                    plan["dest_quant"])
            else:
                vals_list.append(
                    {**base, "location_id": line.location_dest_id.id, "quantity": 1})
        # Two writes, as Odoo makes them (the reservation, then the quantity): a module's
        # write() override sees the same calls.
        for in_date, quant_ids in reserved_groups.items():
            Quant.browse(quant_ids).write({"in_date": in_date, "reserved_quantity": 0})
        for (in_date, quantity), quant_ids in quantity_groups.items():
            Quant.browse(quant_ids).write({"in_date": in_date, "quantity": quantity})
        Quant.with_context(serial_batched_quants=True).create(vals_list)

    def _refuse_recalled(self, lines):
        """What serial_inventory's _update_available_quantity refuses, refused here too."""
        delivered = lines.filtered(lambda line: line.location_dest_id.usage == "customer")
        recalled = delivered.lot_id.sudo().filtered("serial_recall_id")
        if recalled:
            raise UserError(self.env["stock.quant"]._serial_recall_refusal(recalled))


class DeferredUnitMoves:
    """The UnitMoves of a validation, planned when Odoo reads the quants for its loop.

    ``stock.move.line._action_done`` checks the lines, deletes the empty ones, creates the
    lots named on the lines (Odoo's "Generate Serials", typed or scanned names), then reads
    the quants it is about to move (``stock.quant._get_quants_by_products_locations``):
    planning there covers exactly the lines whose quants Odoo's loop then moves.
    """

    def __init__(self, lines):
        self.lines = lines
        self.planned = False
        self.unit_moves = None  # None: nothing to batch (yet)

    def plan(self):
        if not self.planned:
            self.planned = True
            self.unit_moves = UnitMoves.plan(self.lines.exists())
