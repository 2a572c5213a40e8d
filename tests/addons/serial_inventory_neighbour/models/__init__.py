from . import neighbour_event
from . import neighbour_tag
from . import stock_lot
from . import stock_quant
from . import stock_move_line
