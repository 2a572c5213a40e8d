from . import serial_scan
from . import serial_code_resolver
from . import serial_scan_operation
from . import serial_scan_operation_lookup
from . import serial_scan_count
from . import serial_scan_operation_count
