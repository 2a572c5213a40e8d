from . import serial_scan_wizard
