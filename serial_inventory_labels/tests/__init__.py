from . import test_label_format
