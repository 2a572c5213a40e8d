from . import serial_label_format
