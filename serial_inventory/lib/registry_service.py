"""A small, real SOAP service implementing the shipped serial registry WSDL.

It stands in for the manufacturer's central registry in tests and demos. It serves the shipped
WSDL file itself (GET ``?wsdl``) and checks every request against that WSDL's schema, so the
contract it speaks cannot drift from the one the client is built on. State is kept in SQLite,
so a restarted service still knows what it was told.

It only ever listens on the loopback interface: it is a test double, not a production service.

Run it with::

    python serial_inventory/lib/registry_service.py --host 127.0.0.1 --port 8765 \\
        --db /path/state.sqlite3 --user demo --password demo

(``python -m serial_inventory.lib.registry_service`` works too where the ``serial_inventory``
package imports without Odoo; its ``__init__`` imports the Odoo models.) The file needs only
the standard library and lxml, so it runs by its path anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import hmac
import ipaddress
import logging
import os
import socket
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

_logger = logging.getLogger(__name__)

SHIPPED_WSDL_PATH = (
    Path(__file__).resolve().parent.parent / "static" / "wsdl" / "serial_registry.wsdl"
)
REGISTRY_NS = "urn:serial-inventory:registry:v1"
SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT_TYPE = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordText"
)

SERVICE_PATH = "/serial-registry"
# 1000 units (the WSDL's cap) of generous size fit well within this.
MAX_REQUEST_BYTES = 2 * 1024 * 1024
MAX_FIELD_LENGTH = 64
# A unit made "tomorrow" by the clock of a company in another time zone is still plausible.
FUTURE_DATE_TOLERANCE = datetime.timedelta(days=1)

_SAFE_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


class SoapFault(Exception):
    """A SOAP 1.1 fault to send back; ``detail_code`` is None for faults about the header."""

    def __init__(self, fault_code: tuple[str, str], message: str, detail_code: str | None):
        super().__init__(message)
        self.fault_code = fault_code
        self.message = message
        self.detail_code = detail_code


def _client_fault(message: str) -> SoapFault:
    return SoapFault((SOAP_ENV_NS, "Client"), message, "malformedRequest")


def _authentication_fault() -> SoapFault:
    # Same answer for an unknown user and a wrong password, so callers cannot probe user names.
    return SoapFault(
        (WSSE_NS, "FailedAuthentication"),
        "Authentication failed: unknown user name or wrong password.",
        None,
    )


# -- state -----------------------------------------------------------------------------------


class RegistryStore:
    """The registry's memory, in one SQLite file.

    The verification status is not stored: it is derived from the stolen and recalled flags,
    so the two can never disagree.
    """

    def __init__(self, db_path: str | os.PathLike):
        self.db_path = str(db_path)
        with self._transaction() as connection:
            connection.execute(
                """
                CREATE TABLE IF NOT EXISTS registered_unit (
                    serial TEXT PRIMARY KEY,
                    product_reference TEXT NOT NULL,
                    manufacture_date TEXT,
                    batch TEXT,
                    registered_by TEXT NOT NULL,
                    registered_at TEXT NOT NULL,
                    stolen INTEGER NOT NULL DEFAULT 0,
                    stolen_note TEXT,
                    stolen_at TEXT,
                    recalled INTEGER NOT NULL DEFAULT 0,
                    recall_reason TEXT,
                    recalled_at TEXT
                )
                """
            )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # One connection per request: sqlite3 connections must not be shared between the
        # server's request threads, and opening one is cheap.
        connection = sqlite3.connect(self.db_path, timeout=10)
        try:
            with connection:
                yield connection
        finally:
            connection.close()

    @staticmethod
    def _now() -> str:
        return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")

    def register(self, units: list[dict], registered_by: str) -> list[tuple[str, str, str]]:
        """Return (serial, status, message) for each unit, in the order given."""
        results = []
        with self._transaction() as connection:
            for unit in units:
                serial = unit["serial"]
                problem = _registration_problem(unit)
                if problem:
                    results.append((serial, "rejected", problem))
                    continue
                # Insert-or-keep in one statement, so two concurrent registrations of the same
                # serial cannot both believe they were first.
                inserted = connection.execute(
                    """
                    INSERT INTO registered_unit (
                        serial, product_reference, manufacture_date, batch,
                        registered_by, registered_at
                    ) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (serial) DO NOTHING
                    """,
                    (
                        serial,
                        unit["product_reference"],
                        unit["manufacture_date"],
                        unit["batch"],
                        registered_by,
                        self._now(),
                    ),
                ).rowcount
                if inserted:
                    results.append((serial, "accepted", "Registered."))
                    continue
                (known_product,) = connection.execute(
                    "SELECT product_reference FROM registered_unit WHERE serial = ?", (serial,)
                ).fetchone()
                if known_product == unit["product_reference"]:
                    results.append((serial, "accepted", "Already registered for this product."))
                else:
                    results.append((serial, "duplicate", "Already registered for another product."))
        return results

    def verify(self, serial: str) -> dict | None:
        with self._transaction() as connection:
            row = connection.execute(
                """
                SELECT product_reference, manufacture_date, batch, stolen, recalled, recall_reason
                FROM registered_unit WHERE serial = ?
                """,
                (serial,),
            ).fetchone()
        if row is None:
            return None
        product_reference, manufacture_date, batch, stolen, recalled, recall_reason = row
        if stolen:
            # Stolen wins: the unit must not change hands, whatever else is true of it.
            status = "stolen"
        elif recalled:
            status = "recalled"
        else:
            status = "genuine"
        return {
            "status": status,
            "product_reference": product_reference,
            "manufacture_date": manufacture_date,
            "batch": batch,
            "recall_reason": recall_reason if recalled else None,
        }

    def report_stolen(self, serial: str, note: str | None) -> bool:
        with self._transaction() as connection:
            updated = connection.execute(
                """
                UPDATE registered_unit SET stolen = 1, stolen_note = ?, stolen_at = ?
                WHERE serial = ?
                """,
                (note, self._now(), serial),
            ).rowcount
        return bool(updated)

    def report_recall(self, serials: list[str], reason: str) -> int:
        recalled_at = self._now()
        with self._transaction() as connection:
            # Each serial counted once, even if the caller listed it twice.
            return sum(
                connection.execute(
                    """
                    UPDATE registered_unit SET recalled = 1, recall_reason = ?, recalled_at = ?
                    WHERE serial = ?
                    """,
                    (reason, recalled_at, serial),
                ).rowcount
                for serial in dict.fromkeys(serials)
            )


def _registration_problem(unit: dict) -> str | None:
    """Why the registry refuses this unit, in plain English, or None when it is acceptable."""
    serial = unit["serial"]
    if not serial:
        return "The serial is empty."
    if len(serial) > MAX_FIELD_LENGTH:
        return f"The serial is longer than {MAX_FIELD_LENGTH} characters."
    if any(character.isspace() or not character.isprintable() for character in serial):
        return "The serial contains spaces or control characters."
    if not unit["product_reference"].strip():
        return "The product reference is empty."
    if len(unit["product_reference"]) > MAX_FIELD_LENGTH:
        return f"The product reference is longer than {MAX_FIELD_LENGTH} characters."
    if unit["batch"] is not None and len(unit["batch"]) > MAX_FIELD_LENGTH:
        return f"The batch is longer than {MAX_FIELD_LENGTH} characters."
    if unit["manufacture_date"] is not None:
        try:
            manufacture_date = datetime.date.fromisoformat(unit["manufacture_date"])
        except ValueError:
            return "The manufacture date is not a calendar date between years 1 and 9999."
        if manufacture_date > datetime.date.today() + FUTURE_DATE_TOLERANCE:
            return "The manufacture date is in the future."
    return None


# -- SOAP ------------------------------------------------------------------------------------


def _schema_from_wsdl(wsdl_document: etree._ElementTree) -> etree.XMLSchema:
    schema_element = wsdl_document.find(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
    # The schema's type references (tns:Unit...) rely on prefixes declared on the WSDL root,
    # so the copy gets a root that declares all of them.
    standalone = etree.Element(
        schema_element.tag, attrib=dict(schema_element.attrib), nsmap=schema_element.nsmap
    )
    for child in schema_element:
        standalone.append(copy.deepcopy(child))
    return etree.XMLSchema(etree.ElementTree(standalone))


def _registry_element(name: str, parent: etree._Element | None = None, text=None):
    tag = f"{{{REGISTRY_NS}}}{name}"
    if parent is None:
        element = etree.Element(tag, nsmap={"reg": REGISTRY_NS})
    else:
        element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _child_text(element: etree._Element, name: str) -> str | None:
    child = element.find(f"{{{REGISTRY_NS}}}{name}")
    return None if child is None else (child.text or "")


def _envelope(body_content: etree._Element, extra_nsmap: dict | None = None) -> bytes:
    envelope = etree.Element(
        f"{{{SOAP_ENV_NS}}}Envelope", nsmap={"soapenv": SOAP_ENV_NS, **(extra_nsmap or {})}
    )
    etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Body").append(body_content)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def _fault_envelope(fault: SoapFault) -> bytes:
    code_namespace, code_name = fault.fault_code
    # The fault code is a QName in element text, so its prefix must be declared in scope.
    code_prefix = "soapenv" if code_namespace == SOAP_ENV_NS else "wsse"
    fault_element = etree.Element(f"{{{SOAP_ENV_NS}}}Fault")
    # SOAP 1.1 leaves faultcode, faultstring and detail unqualified.
    etree.SubElement(fault_element, "faultcode").text = f"{code_prefix}:{code_name}"
    etree.SubElement(fault_element, "faultstring").text = fault.message
    if fault.detail_code is not None:
        detail = etree.SubElement(fault_element, "detail")
        registry_fault = _registry_element("registryFault")
        _registry_element("code", registry_fault, fault.detail_code)
        _registry_element("message", registry_fault, fault.message)
        detail.append(registry_fault)
    extra_nsmap = {"wsse": WSSE_NS} if code_prefix == "wsse" else None
    return _envelope(fault_element, extra_nsmap)


class RegistryServer(ThreadingHTTPServer):
    """The HTTP server; ``make_server`` builds it, ``start_in_thread``/``stop`` run it."""

    # A request still sleeping in a test delay must not keep shutdown waiting.
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        store: RegistryStore,
        username: str,
        password: str,
        wsdl_path: Path,
        delay_seconds: float,
    ):
        # The class default is IPv4; ::1 needs the IPv6 family before the socket is made.
        if ipaddress.ip_address(address[0]).version == 6:
            self.address_family = socket.AF_INET6
        super().__init__(address, _RegistryRequestHandler)
        self.store = store
        self.username = username
        self.password = password
        self.delay_seconds = delay_seconds
        self.stopping = threading.Event()
        self._serving_thread: threading.Thread | None = None
        self._wsdl_document = etree.parse(str(wsdl_path), _SAFE_XML_PARSER)
        self.request_schema = _schema_from_wsdl(self._wsdl_document)
        self.wsdl_bytes = self._wsdl_with_own_address()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}{SERVICE_PATH}"

    def _wsdl_with_own_address(self) -> bytes:
        # Only the placeholder address changes, so that a client that does read the served
        # WSDL posts back here; the contract itself is served as shipped.
        served = copy.deepcopy(self._wsdl_document)
        for address in served.iter(f"{{{WSDL_SOAP_NS}}}address"):
            address.set("location", self.url)
        return etree.tostring(served, xml_declaration=True, encoding="utf-8")

    def start_in_thread(self) -> threading.Thread:
        self._serving_thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"serial-registry-{self.server_address[1]}",
            daemon=True,
        )
        self._serving_thread.start()
        return self._serving_thread

    def stop(self) -> None:
        """Stop answering and free the port; in-flight delayed requests are cut short."""
        self.stopping.set()
        if self._serving_thread is not None:
            self.shutdown()
            self._serving_thread.join()
            self._serving_thread = None
        self.server_close()

    def handle_error(self, request, client_address) -> None:
        # A client that gave up (timeout) closes its end while we still write: expected.
        _logger.debug("Request from %s ended with an error", client_address, exc_info=True)


class _RegistryRequestHandler(BaseHTTPRequestHandler):
    server: RegistryServer
    server_version = "SerialRegistryDemo/1"
    # HTTP/1.0 closes the connection after each answer, so a stopped server really stops:
    # no kept-alive connection lingers in a handler thread to answer one more request.
    protocol_version = "HTTP/1.0"
    # Bounds how long a silent client can hold a handler thread.
    timeout = 30

    def log_message(self, format, *args) -> None:
        _logger.info("%s %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes, content_type: str = "text/xml; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        query = urlsplit(self.path).query
        if query.lower() == "wsdl":
            self._send(200, self.server.wsdl_bytes)
        else:
            self._send(404, b"Ask for the WSDL with ?wsdl\n", "text/plain; charset=utf-8")

    def do_POST(self) -> None:
        # Only the advertised path answers, so a misconfigured endpoint fails here as it would
        # against the real registry instead of working by accident.
        if urlsplit(self.path).path != SERVICE_PATH:
            self._send(404, b"No SOAP service at this path\n", "text/plain; charset=utf-8")
            return
        try:
            body_length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._send(411, b"Content-Length required\n", "text/plain; charset=utf-8")
            return
        if body_length < 0 or body_length > MAX_REQUEST_BYTES:
            self._send(413, b"Request too large\n", "text/plain; charset=utf-8")
            return
        request_bytes = self.rfile.read(body_length)

        if self.server.delay_seconds and self.server.stopping.wait(self.server.delay_seconds):
            # Stopped while sleeping: the caller has most likely given up already.
            return
        try:
            answer = _envelope(self._answer(request_bytes))
            status = 200
        except SoapFault as fault:
            answer = _fault_envelope(fault)
            status = 500
        except Exception:
            _logger.exception("Serial registry failed to handle a request")
            answer = _fault_envelope(
                SoapFault(
                    (SOAP_ENV_NS, "Server"),
                    "The registry failed to handle the request; try again later.",
                    "internalError",
                )
            )
            status = 500
        self._send(status, answer)

    def _answer(self, request_bytes: bytes) -> etree._Element:
        try:
            envelope = etree.fromstring(request_bytes, _SAFE_XML_PARSER)
        except etree.XMLSyntaxError as error:
            raise _client_fault(f"The request is not well-formed XML: {error}") from None
        if envelope.getroottree().docinfo.doctype:
            raise _client_fault("Document type declarations are not accepted.")
        if envelope.tag != f"{{{SOAP_ENV_NS}}}Envelope":
            raise _client_fault("The request is not a SOAP 1.1 envelope.")

        # Credentials first, so that an unauthenticated caller learns nothing about the body.
        username = self._authenticated_username(envelope)

        body = envelope.find(f"{{{SOAP_ENV_NS}}}Body")
        # Comments and processing instructions have non-string tags and are not operations.
        operations = [] if body is None else [child for child in body if isinstance(child.tag, str)]
        if len(operations) != 1:
            raise _client_fault("The SOAP body must hold exactly one operation element.")
        operation = operations[0]
        handler = _OPERATION_HANDLERS.get(operation.tag)
        if handler is None:
            raise _client_fault(f"Unknown operation {etree.QName(operation).localname!r}.")
        schema = self.server.request_schema
        if not schema.validate(etree.ElementTree(copy.deepcopy(operation))):
            raise _client_fault(
                f"The {etree.QName(operation).localname} request does not match the WSDL: "
                f"{schema.error_log.last_error.message}"
            )
        return handler(self.server.store, operation, username)

    def _authenticated_username(self, envelope: etree._Element) -> str:
        token = envelope.find(
            f"{{{SOAP_ENV_NS}}}Header/{{{WSSE_NS}}}Security/{{{WSSE_NS}}}UsernameToken"
        )
        if token is None:
            raise _authentication_fault()
        username_element = token.find(f"{{{WSSE_NS}}}Username")
        password_element = token.find(f"{{{WSSE_NS}}}Password")
        if username_element is None or password_element is None:
            raise _authentication_fault()
        # The profile makes PasswordText the default when Type is left out.
        if password_element.get("Type", PASSWORD_TEXT_TYPE) != PASSWORD_TEXT_TYPE:
            raise SoapFault(
                (WSSE_NS, "UnsupportedSecurityToken"),
                "Only WS-Security UsernameToken passwords of type PasswordText are supported.",
                None,
            )
        username = (username_element.text or "").strip()
        password = password_element.text or ""
        # Both compared in constant time, and both always compared, so timing reveals nothing.
        username_matches = hmac.compare_digest(
            username.encode("utf-8"), self.server.username.encode("utf-8")
        )
        password_matches = hmac.compare_digest(
            password.encode("utf-8"), self.server.password.encode("utf-8")
        )
        if not (username_matches and password_matches):
            raise _authentication_fault()
        return username


def _date_without_time_zone(xsd_date: str | None) -> str | None:
    # xsd:date may carry a zone ("2024-05-01Z", "2024-05-01+02:00"); a manufacture date is a
    # calendar day, so only the day is kept.
    if xsd_date is None:
        return None
    return xsd_date[:10]


def _handle_register_serials(store: RegistryStore, request, username: str) -> etree._Element:
    units = [
        {
            "serial": _child_text(unit, "serial"),
            "product_reference": _child_text(unit, "productReference"),
            "manufacture_date": _date_without_time_zone(_child_text(unit, "manufactureDate")),
            "batch": _child_text(unit, "batch"),
        }
        for unit in request.iterfind(f"{{{REGISTRY_NS}}}unit")
    ]
    response = _registry_element("registerSerialsResponse")
    for serial, status, message in store.register(units, registered_by=username):
        result = _registry_element("result", response)
        _registry_element("serial", result, serial)
        _registry_element("status", result, status)
        _registry_element("message", result, message)
    return response


def _handle_verify_serial(store: RegistryStore, request, username: str) -> etree._Element:
    serial = _child_text(request, "serial")
    response = _registry_element("verifySerialResponse")
    _registry_element("serial", response, serial)
    known = store.verify(serial)
    if known is None:
        _registry_element("status", response, "unknown")
        return response
    _registry_element("status", response, known["status"])
    _registry_element("productReference", response, known["product_reference"])
    # Optional elements are left out rather than sent empty: an empty xsd:date is invalid.
    for element_name, key in (
        ("manufactureDate", "manufacture_date"),
        ("batch", "batch"),
        ("recallReason", "recall_reason"),
    ):
        if known[key] is not None:
            _registry_element(element_name, response, known[key])
    return response


def _handle_report_stolen(store: RegistryStore, request, username: str) -> etree._Element:
    acknowledged = store.report_stolen(_child_text(request, "serial"), _child_text(request, "note"))
    response = _registry_element("reportStolenResponse")
    _registry_element("acknowledged", response, "true" if acknowledged else "false")
    return response


def _handle_report_recall(store: RegistryStore, request, username: str) -> etree._Element:
    reason = _child_text(request, "reason").strip()
    if not reason:
        raise _client_fault("A recall needs a reason.")
    serials = [element.text or "" for element in request.iterfind(f"{{{REGISTRY_NS}}}serial")]
    response = _registry_element("reportRecallResponse")
    _registry_element("recalledCount", response, str(store.report_recall(serials, reason)))
    return response


_OPERATION_HANDLERS = {
    f"{{{REGISTRY_NS}}}registerSerials": _handle_register_serials,
    f"{{{REGISTRY_NS}}}verifySerial": _handle_verify_serial,
    f"{{{REGISTRY_NS}}}reportStolen": _handle_report_stolen,
    f"{{{REGISTRY_NS}}}reportRecall": _handle_report_recall,
}


def _loopback_host(host: str) -> str:
    if host == "localhost":
        return "127.0.0.1"
    try:
        is_loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise ValueError(
            f"Refusing to listen on {host!r}: the demo registry only listens on the loopback "
            "interface (127.0.0.1 or ::1)."
        )
    return host


def make_server(
    host: str,
    port: int,
    db_path: str | os.PathLike,
    user: str,
    password: str,
    *,
    delay_seconds: float = 0.0,
    wsdl_path: str | os.PathLike = SHIPPED_WSDL_PATH,
) -> RegistryServer:
    """Bind a registry service to a loopback address (port 0 picks a free port).

    The returned server is bound but idle: call ``start_in_thread()`` (or ``serve_forever()``)
    and later ``stop()``. ``delay_seconds`` holds every SOAP answer back that long, to test
    client timeouts.
    """
    if not user:
        raise ValueError("The demo registry needs a user name to check requests against.")
    return RegistryServer(
        (_loopback_host(host), port),
        RegistryStore(db_path),
        username=user,
        password=password,
        wsdl_path=Path(wsdl_path),
        delay_seconds=delay_seconds,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Demo serial authenticity registry (SOAP), listening on loopback only."
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="loopback address to bind (default %(default)s)"
    )
    parser.add_argument("--port", type=int, default=8765, help="TCP port (default %(default)s)")
    parser.add_argument("--db", required=True, help="SQLite file holding the registry's state")
    parser.add_argument("--user", required=True, help="user name callers must present")
    parser.add_argument(
        "--password",
        default=os.environ.get("SERIAL_REGISTRY_PASSWORD"),
        help="password callers must present (default: $SERIAL_REGISTRY_PASSWORD)",
    )
    parser.add_argument(
        "--delay-seconds",
        type=float,
        default=0.0,
        help="hold every answer back this long, to try client timeouts (default 0)",
    )
    arguments = parser.parse_args(argv)
    if arguments.password is None:
        parser.error("give --password or set SERIAL_REGISTRY_PASSWORD")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    server = make_server(
        arguments.host,
        arguments.port,
        arguments.db,
        arguments.user,
        arguments.password,
        delay_seconds=arguments.delay_seconds,
    )
    _logger.info("Serial registry listening on %s (WSDL at %s?wsdl)", server.url, server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        _logger.info("Stopping on request")
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
