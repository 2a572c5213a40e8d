from . import lot_label_layout
from . import product_label_layout
from . import serial_pregenerate
