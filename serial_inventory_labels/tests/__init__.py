from . import test_label_format
from . import test_label_pdf
from . import test_label_zpl
from . import test_print_flows
from . import test_delivery_slip
