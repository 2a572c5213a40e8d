from . import test_serial_generation
from . import test_serial_uniqueness
from . import test_check_characters
from . import test_unit_data
from . import test_barcodes_gs1
from . import test_bulk_equivalence
