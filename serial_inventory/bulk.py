"""Set-wise row copies for per-unit records (lots, move lines) of one kind.

The ORM creates one prototype record, computing every stored field as it always does; the
other units are copies of its row in which only the per-unit columns differ (a serial's
name, the lot of a move line). One INSERT ... SELECT replaces N ORM creates, and the
database ends up holding what N ORM creates would have written.
"""

from odoo.tools import SQL

# PostgreSQL array types for the per-unit columns the callers vary.
ARRAY_TYPES = {"varchar": "varchar[]", "int4": "int4[]"}


def _table_columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s
         ORDER BY ordinal_position""",
        (table,),
    )
    return [name for (name,) in cr.fetchall()]


def _depends_on_varying(field, model, varying, differing):
    """Whether ``field`` of a copied row may differ from the prototype's value."""
    for path in field.get_depends(model)[0]:
        head, _dot, rest = path.partition(".")
        if head not in varying:
            continue
        if rest and head in differing and rest.split(".")[0] not in differing[head]:
            continue  # reads a field in which the referenced records do not differ
        return True
    return False


def copy_prototype_rows(records_model, prototype, varying, differing=None):
    """Insert one copy of ``prototype``'s row per element of the ``varying`` columns.

    :param records_model: the model (empty recordset) the rows belong to
    :param prototype: a record of that model
    :param varying: {column: (pg scalar type, [values])}, all lists of the same length;
        every stored field whose value differs per unit must be given here
    :param differing: {many2one column: set of field names}: the records the column points
        to differ from the prototype's only in those fields (e.g. lots that differ only by
        their name); fields reading other fields through the column keep their value
    :return: list of (id,) rows in insertion order
    """
    differing = differing or {}
    lengths = {len(values) for _type, values in varying.values()}
    if lengths == {0}:
        return []
    if len(lengths) != 1:
        raise ValueError("varying columns must have the same number of values")
    records_model.env.flush_all()
    table = records_model._table
    cr = records_model.env.cr
    copied = [column for column in _table_columns(cr, table)
              if column != "id" and column not in varying]
    names = list(varying)
    query = SQL(
        "INSERT INTO %(table)s (%(columns)s) SELECT %(values)s FROM %(table)s AS prototype, "
        "unnest(%(arrays)s) AS unit(%(unit_columns)s) WHERE prototype.id = %(prototype_id)s "
        "RETURNING id",
        table=SQL.identifier(table),
        columns=SQL(", ").join(SQL.identifier(column) for column in copied + names),
        values=SQL(", ").join(
            [SQL.identifier("prototype", column) for column in copied]
            + [SQL.identifier("unit", name) for name in names]
        ),
        arrays=SQL(", ").join(
            SQL("%s::" + ARRAY_TYPES[pg_type], values) for pg_type, values in varying.values()
        ),
        unit_columns=SQL(", ").join(SQL.identifier(name) for name in names),
        prototype_id=prototype.id,
    )
    cr.execute(query)
    rows = cr.fetchall()
    created = records_model.browse([row[0] for row in rows])
    # What an ORM create does after its INSERT, done without walking N records where one
    # stands for all: caches (a move's lines) are invalidated; the records depending on the
    # copies through columns they share with the prototype are the prototype's own
    # dependents, marked again; only the varying columns are followed for every copy.
    records_model.env.invalidate_all()
    shared = [name for name, field in records_model._fields.items()
              if field.store and name not in varying]
    prototype.modified(shared)
    created.modified(list(varying), create=True)
    # The prototype's own stored fields are final (some, like an expiry, were given rather
    # than computed), and the copies already hold the same values: only the copies' fields
    # that read a varying column are computed again.
    tocompute = records_model.env.transaction.tocompute
    for field in records_model._fields.values():
        if field not in tocompute:
            continue
        tocompute[field].discard(prototype.id)
        if field.name in varying or not _depends_on_varying(
                field, records_model, varying, differing):
            tocompute[field].difference_update(created._ids)
    return rows


def assign_like_prototype(records, column, values, differing=None):
    """Set ``column`` of each of ``records`` to the matching value, set-wise.

    The first record is written through the ORM and becomes the prototype: stored fields
    computed from ``column`` take its freshly computed value on every record, or are
    computed again where they read fields in which the targets differ (see
    copy_prototype_rows' ``differing``). One UPDATE replaces N ORM writes.
    """
    if not records:
        return
    if len(records) != len(values):
        raise ValueError("one value per record is needed")
    model = records.browse()
    prototype = records[0]
    prototype.write({column: values[0]})
    model.env.flush_all()
    differing = differing or {}
    varying = {column: None}
    dependent = [
        field for field in model._fields.values()
        if field.store and field.compute and field.name != column
        and any(path.partition(".")[0] == column for path in field.get_depends(model)[0])
    ]
    uniform = [field.name for field in dependent
               if not _depends_on_varying(field, model, varying, differing)]
    others = records[1:]
    copied = [*uniform, "write_uid", "write_date"]
    model.env.cr.execute(SQL(
        "UPDATE %(table)s AS target SET %(column)s = unit.value, %(assignments)s "
        "FROM unnest(%(ids)s::int4[], %(values)s::int4[]) AS unit(id, value), "
        "%(table)s AS prototype WHERE target.id = unit.id AND prototype.id = %(prototype_id)s",
        table=SQL.identifier(model._table),
        column=SQL.identifier(column),
        assignments=SQL(", ").join(
            SQL("%s = %s", SQL.identifier(name), SQL.identifier("prototype", name))
            for name in copied),
        ids=list(others._ids),
        values=list(values[1:]),
        prototype_id=prototype.id,
    ))
    model.env.invalidate_all()
    prototype.modified([column])
    recompute = [field for field in dependent if field.name not in uniform]
    for field in recompute:
        model.env.add_to_compute(field, others)


def fields_read_through(model, column):
    """Names of the fields that ``model``'s stored computed fields read through ``column``."""
    names = set()
    for field in model._fields.values():
        if field.store and field.compute:
            for path in field.get_depends(model)[0]:
                head, _dot, rest = path.partition(".")
                if head == column and rest:
                    names.add(rest.split(".")[0])
    return names


def differing_fields(records, field_names):
    """Those of ``field_names`` whose stored value is not the same on all ``records``."""
    stored = [name for name in field_names
              if name in records._fields and records._fields[name].store
              and records._fields[name].column_type]
    if not records or not stored:
        return set()
    records.flush_recordset(stored)
    records.env.cr.execute(SQL(
        "SELECT %s FROM %s WHERE id = ANY(%s)",
        SQL(", ").join(SQL("count(DISTINCT %s) > 1", SQL.identifier(name)) for name in stored),
        SQL.identifier(records._table),
        list(records._ids),
    ))
    return {name for name, differs in zip(stored, records.env.cr.fetchone(), strict=True)
            if differs}
