"""Registry endpoints that can never work are told apart from usable ones before saving."""

import pytest

from serial_inventory.lib.endpoint import MAX_LENGTH, endpoint_problem

USABLE = [
    "http://127.0.0.1:8765/serial-registry",
    "https://registry.example.com/serial-registry",
    "HTTPS://Registry.Example.COM",
    "http://localhost/",
    "http://[::1]:8080/soap",
    "http://[fe80::1%25eth0]/soap",
    "https://registry.example.com:443/a%20b?x=1#top",
    "http://host:/path",  # an empty port is the scheme's default
    "https://régistre.exemple.fr/soap",
    "http://registry_1.internal.example.com.:65535/",
]


@pytest.mark.parametrize("url", USABLE)
def test_usable_addresses_pass(url):
    assert endpoint_problem(url) is None


@pytest.mark.parametrize(
    ("url", "code", "part"),
    [
        (None, "empty", ""),
        ("", "empty", ""),
        ("   ", "empty", ""),
        ("http://127.0.0.1:1/%%%", "percent", "%%%"),
        ("http://example.com/a%2", "percent", "%2"),
        ("http://example.com/a%zzb", "percent", "%zz"),
        ("ftp://x", "scheme", "ftp"),
        ("javascript:alert(1)", "scheme", "javascript"),
        ("file:///etc/passwd", "scheme", "file"),
        ("registry.example.com/soap", "scheme", "registry.example.com/soap"),
        ("http://[::1", "unparseable", "http://[::1"),
        ("http://[zz]/", "unparseable", "http://[zz]/"),
        ("http://[::1]x/", "host", "[::1]x"),
        ("http://127.0.0.1:99999/", "port", "99999"),
        ("http://127.0.0.1:0/", "port", "0"),
        ("http://127.0.0.1:8o/", "port", "8o"),
        ("http://127.0.0.1:-1/", "port", "-1"),
        ("http://127.0.0.1:٨٠/", "port", "٨٠"),
        ("http:///serial-registry", "host", ""),
        ("http://:8080/x", "host", ""),
        ("https://", "host", ""),
        ("http://a..b/", "host", "a..b"),
        ("http://-a.example.com/", "host", "-a.example.com"),
        ("http://a<b>.com/", "host", "a<b>.com"),
        ("http://999.1.1.1/", "host", "999.1.1.1"),
        ("http://user:pw@example.com/", "credentials", ""),
        ("http://exa mple.com/", "characters", " "),
        ("http://example.com/\x00", "characters", "\\x00"),
        ("http://example.com/\tx", "characters", "\\x09"),
        ("http://example.com/\u200bx", "characters", "\\u200b"),
        ("http://example.com/" + "a" * MAX_LENGTH, "too_long", str(MAX_LENGTH + 19)),
    ],
)
def test_addresses_that_can_never_work_are_named(url, code, part):
    problem = endpoint_problem(url)
    assert problem is not None, url
    assert (problem.code, problem.part) == (code, part)
