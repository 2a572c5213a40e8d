from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    serial_unique_scope = fields.Selection(
        related="company_id.serial_unique_scope", readonly=False, required=True
    )
    serial_pattern_id = fields.Many2one(
        related="company_id.serial_pattern_id", readonly=False
    )
    serial_max_length = fields.Integer(
        related="company_id.serial_max_length", readonly=False, required=True
    )
