from . import serial_dispatch_scan
from . import stock_picking
