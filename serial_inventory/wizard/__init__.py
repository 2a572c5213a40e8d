from . import serial_lot_values_mixin
from . import serial_pregenerate
from . import receipt_serial_fill
from . import serial_valuation_wizard
