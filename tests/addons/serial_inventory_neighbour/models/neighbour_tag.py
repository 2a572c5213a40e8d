from odoo import fields, models


class NeighbourTag(models.Model):
    """Target of stock.lot.neighbour_tag_ids, a Many2many whose default is a data record.

    Its one record (``neighbour_tag_default``) is loaded from XML, so a lot created on any path
    must get it from the field's default.
    """

    _name = "neighbour.tag"
    _description = "Serial Inventory test neighbour: tag"
    _order = "id"

    name = fields.Char(required=True, help="Label of the tag.")
