from . import test_scan_log
from . import test_scan_count
from . import test_scan_lookup
from . import test_scan_tours
