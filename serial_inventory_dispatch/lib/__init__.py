"""Plain-Python helpers of the dispatch add-on (no Odoo import), unit-tested on their own.

- ``scan_input``: the checks every scan API applies to what a client sends (type, control
  characters, length, finite and sane quantities) before anything reaches the database.
"""
