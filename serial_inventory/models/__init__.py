from . import (
    product_product,
    product_template,
    res_company,
    res_config_settings,
    serial_batch,
    serial_pattern,
    stock_lot,
    stock_move,
    stock_move_line,
    stock_picking,
)
