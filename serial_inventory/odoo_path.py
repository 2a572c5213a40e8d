"""The switch to Odoo's own code, and the context the fast paths run in.

Under the context key ``serial_odoo_path`` every fast path of the add-ons steps aside and
Odoo's code runs unchanged: validation moves quants line by line (no ..unit_moves), the
lots Odoo creates at validation get their chatter "created" message even when there are
many, and decimal precisions are read as Odoo reads them. Equivalence tests run the same
operation with and without the key and compare what the database holds; a support
engineer can set it to rule the fast paths out.
"""

ODOO_PATH_KEY = "serial_odoo_path"

# A PrecisionMemo in the context of a fast path (see fast_path_records).
PRECISION_MEMO_KEY = "serial_precision_memo"


class PrecisionMemo:
    """The digits of each decimal precision read during one operation. Not a dict: a
    context sent by a client (JSON) cannot pass for one and set the digits."""

    __slots__ = ("digits",)

    def __init__(self):
        self.digits = {}


def precision_memo(env):
    """The PrecisionMemo of ``env``'s operation, or None."""
    memo = env.context.get(PRECISION_MEMO_KEY)
    return memo if isinstance(memo, PrecisionMemo) else None


def uses_odoo_path(env):
    return bool(env.context.get(ODOO_PATH_KEY))


def fast_path_records(records):
    """``records`` in the context of a fast path: decimal precisions read once.

    Every float field with a named precision asks decimal.precision.precision_get for its
    digits each time a value is cached or written: a dozen times per quant or move line,
    each call a registry cache lookup (about a third of a validation's time on thousands
    of units). Within one operation they are read once (models/decimal_precision.py);
    a precision changed meanwhile empties the memo. On Odoo's path, records are unchanged.
    """
    if uses_odoo_path(records.env) or precision_memo(records.env):
        return records
    return records.with_context(**{PRECISION_MEMO_KEY: PrecisionMemo()})
