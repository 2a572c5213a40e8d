from . import serial_scan_input
from . import serial_dispatch_scan
from . import serial_dispatch_reservation
from . import serial_scan_operations
from . import sale_order
from . import stock_move
from . import stock_picking
