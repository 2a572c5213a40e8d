from odoo import api, fields, models


class NeighbourEvent(models.Model):
    """One row per record a neighbour ``create()`` or ``write()`` override saw.

    The overrides on stock.lot, stock.quant and stock.move.line append one event per record
    they receive, so a test can prove that each override ran once for each record, whichever
    path (Odoo's own or a batched one) created or changed it.
    """

    _name = "neighbour.event"
    _description = "Serial Inventory test neighbour: create/write event"
    _order = "id"

    model = fields.Char(
        required=True, index=True,
        help="Model of the record the override saw (stock.lot, stock.quant, stock.move.line).")
    res_id = fields.Integer(
        string="Record ID", required=True, index=True,
        help="ID of the record the override saw.")
    method = fields.Selection(
        [("create", "create"), ("write", "write")], required=True,
        help="Which override logged the event.")
    field_names = fields.Char(
        help="Sorted, comma-separated keys of the values given to create() or write() for "
        "this record, as the override received them (before calling super).")

    @api.model
    def _log_records(self, records, method, keys_list):
        """Log one event per record of ``records``, in a single batched create.

        ``keys_list`` holds one list of field names per record; when its length does not match
        (stock.quant's inventory mode may return an existing quant instead of a new one),
        every record gets the union of the keys.
        """
        if not records:
            return self.browse()
        if len(keys_list) != len(records):
            union = sorted({key for keys in keys_list for key in keys})
            keys_list = [union] * len(records)
        return self.sudo().create([
            {
                "model": records._name,
                "res_id": record.id,
                "method": method,
                "field_names": ",".join(sorted(keys)),
            }
            for record, keys in zip(records, keys_list, strict=True)
        ])
