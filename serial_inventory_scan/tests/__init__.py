from . import test_scan_log
from . import test_scan_count
from . import test_scan_lookup
from . import test_scan_tours
from . import test_scan_rules
from . import test_scan_receive
from . import test_scan_transfer
from . import test_scan_return
