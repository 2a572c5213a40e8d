from . import test_scan_log
