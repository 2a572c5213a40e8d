from . import serial_label_format
from . import ir_actions_report
from . import stock_lot
from . import stock_move
from . import stock_picking
