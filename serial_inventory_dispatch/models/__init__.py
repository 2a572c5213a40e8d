from . import serial_dispatch_scan
from . import sale_order
from . import stock_move
from . import stock_picking
