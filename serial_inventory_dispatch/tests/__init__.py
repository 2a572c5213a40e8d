from . import test_scan_log
from . import test_dispatch_scan
from . import test_dispatch_concurrency
from . import test_scan_to_order_transfer
from . import test_dispatch_ui
from . import test_dispatch_reservation
from . import test_scan_input
from . import test_dispatch_state
