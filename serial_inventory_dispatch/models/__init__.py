from . import serial_dispatch_scan, stock_picking
