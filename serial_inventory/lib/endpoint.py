"""Whether a registry endpoint URL can ever be used, decided before anything is sent.

A company's registry endpoint is typed by a person. An address that cannot work (another
scheme, no host, a port out of range, brackets left open, a stray ``%``) must be refused when
it is saved: once stored, every call would fail the same way, and a failure that looks like an
outage is retried forever. ``endpoint_problem`` names what is wrong, as a code and the piece
of the address concerned, so that the caller words the message in the user's language.

Standard library only: the Odoo model and the registry client both use it.
"""

from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple
from urllib.parse import urlsplit

from .untrusted_text import first_invisible

SCHEMES = ("http", "https")
# Longer than any sensible address; keeps a pasted document out of the settings.
MAX_LENGTH = 2048
MAX_PORT = 65535
# A host name label: letters (any script, for internationalised names), digits, "-" and
# "_", at most 63, not beginning nor ending with "-".
_HOST_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class EndpointProblem(NamedTuple):
    """What is wrong with an endpoint: ``code`` (see ``endpoint_problem``) and ``part``,
    the piece of the address concerned (printable: control characters are escaped)."""

    code: str
    part: str


def endpoint_problem(url: str | None) -> EndpointProblem | None:
    """None when ``url`` is a usable http(s) address, else the first problem found.

    Codes: ``empty``; ``too_long`` (part: the length); ``characters`` (a space or a control
    character; part: it, escaped); ``unparseable`` (e.g. an unclosed ``[``; part: the
    address); ``scheme`` (part: the scheme found, or the whole address when it has
    none); ``credentials`` (a user name or password inside the address); ``host`` (no host,
    or one that is not a host name nor an IP address; part: the host); ``port`` (not a
    number, or not within 1-65535; part: the port as typed); ``percent`` (a ``%`` not followed
    by two hexadecimal digits; part: from the ``%`` on, a few characters).
    """
    if not url or not url.strip():
        return EndpointProblem("empty", "")
    if len(url) > MAX_LENGTH:
        return EndpointProblem("too_long", str(len(url)))
    if " " in url:
        return EndpointProblem("characters", " ")
    found = first_invisible(url)
    if found:
        return EndpointProblem("characters", found[1])
    try:
        parts = urlsplit(url)
    except ValueError:
        return EndpointProblem("unparseable", url)
    if parts.scheme.lower() not in SCHEMES:
        return EndpointProblem("scheme", parts.scheme or url)
    authority = parts.netloc
    if "@" in authority:
        return EndpointProblem("credentials", "")
    host_port = authority
    if host_port.startswith("["):
        host, _bracket, after = host_port.partition("]")
        host = host[1:]
        port_text = after[1:] if after.startswith(":") else None
        if after and not after.startswith(":"):
            return EndpointProblem("host", host_port)
    else:
        host, colon, port_text = host_port.rpartition(":")
        if not colon:
            host, port_text = host_port, None
    problem = _host_problem(host, bracketed=host_port.startswith("["))
    if problem:
        return problem
    if port_text:
        if not port_text.isascii() or not port_text.isdigit() or not (
                1 <= int(port_text) <= MAX_PORT):
            return EndpointProblem("port", port_text)
    match = _PERCENT.search(url)
    if match:
        return EndpointProblem("percent", url[match.start():match.start() + 3])
    return None


def _host_problem(host: str, bracketed: bool) -> EndpointProblem | None:
    if not host:
        return EndpointProblem("host", "")
    if bracketed:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return EndpointProblem("host", f"[{host}]")
        return None
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if len(name) > 253 or not all(_HOST_LABEL.match(label) for label in labels):
        return EndpointProblem("host", host)
    if labels[-1].isdigit() and not _is_ipv4(name):
        # All-digit last label: meant as an IPv4 address, and not one (999.1.1.1, 10.1).
        return EndpointProblem("host", host)
    return None


def _is_ipv4(name: str) -> bool:
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        return False
    return True
