from odoo import _, api, fields, models


class SerialLotValuesMixin(models.AbstractModel):
    """Unit data a user sets once for many serials: batch, manufacture and expiry dates."""

    _name = "serial.lot.values.mixin"
    _description = "Unit data for many serials"

    serial_batch_id = fields.Many2one("serial.batch", string="Batch")
    new_batch_name = fields.Char(
        "New batch number", help="Creates this batch when no existing batch is chosen.")
    manufacture_date = fields.Date()
    expiration_date = fields.Datetime()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["serial.batch"]._serial_clean_batch_name(vals, "new_batch_name")
        return super().create(vals_list)

    def write(self, vals):
        self.env["serial.batch"]._serial_clean_batch_name(vals, "new_batch_name")
        return super().write(vals)

    def _lot_values(self, product=None):
        self.ensure_one()
        batch = self.serial_batch_id
        if not batch and self.new_batch_name:
            batch = self.env["serial.batch"].create(self._new_batch_values(product))
        values = {}
        if batch:
            values["serial_batch_id"] = batch.id
            # A batch always has a company; lots of a product shared by all companies
            # would otherwise get none, which the batch's company check refuses.
            values["company_id"] = batch.company_id.id
        if self.manufacture_date or batch.manufacture_date:
            values["manufacture_date"] = self.manufacture_date or batch.manufacture_date
        if self.expiration_date or batch.expiration_date:
            values["expiration_date"] = self.expiration_date or batch.expiration_date
        return values

    def _new_batch_values(self, product=None):
        """Values of the batch created from ``new_batch_name``."""
        return {
            "name": self.new_batch_name,
            "product_id": product.id if product else False,
            "manufacture_date": self.manufacture_date,
            "expiration_date": self.expiration_date,
        }

    def _lots_action(self, lots, title=None):
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_production_lot_form")
        action.update({
            "name": title or _("Serials"),
            "domain": [("id", "in", lots.ids)],
            "context": {"search_default_group_by_product": 0},
        })
        return action
