"""Thin SOAP client for the central serial authenticity registry.

The contract is the WSDL shipped in ``static/wsdl/serial_registry.wsdl``. The client reads that
local file rather than asking the registry for its WSDL, so that a registry that is down or
slow cannot block the parsing step, and so that the contract we code against is the one under
version control. Only the service address is taken from the company's configuration.

Every failure is raised as one of two exceptions, chosen by what the caller should do next:

* ``RegistryUnavailable``: the registry could not be reached or failed on its side (refused
  connection, timeout, HTTP 5xx, SOAP Server fault). Trying again later may succeed.
* ``RegistryRejected``: the registry answered and refused the request (bad credentials,
  malformed request, contract mismatch). Sending the same request again will fail again.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests
import zeep
import zeep.exceptions
import zeep.wsdl
from zeep.wsse.username import UsernameToken

from .endpoint import endpoint_problem

_logger = logging.getLogger(__name__)

REGISTRY_NAMESPACE = "urn:serial-inventory:registry:v1"
BINDING_NAME = f"{{{REGISTRY_NAMESPACE}}}SerialRegistryBinding"
SHIPPED_WSDL_PATH = (
    Path(__file__).resolve().parent.parent / "static" / "wsdl" / "serial_registry.wsdl"
)
# The WSDL caps each list at 1000 entries; larger lists are sent in several calls.
MAX_SERIALS_PER_CALL = 1000

REGISTRATION_STATUSES = ("accepted", "duplicate", "rejected")
VERIFICATION_STATUSES = ("genuine", "unknown", "recalled", "stolen")

# HTTP statuses after which a later retry can succeed (besides every 5xx).
_RETRYABLE_HTTP_STATUSES = (408, 429)


class RegistryError(Exception):
    """Base of the registry errors; carries the endpoint and, when one is concerned, the serial."""

    def __init__(self, message: str, endpoint_url: str, serial: str | None = None):
        super().__init__(message)
        self.endpoint_url = endpoint_url
        self.serial = serial


class RegistryUnavailable(RegistryError):
    """The registry could not be reached or failed on its side; a retry later may succeed."""


class RegistryRejected(RegistryError):
    """The registry refused the request; resending it unchanged will not help."""


# Parsing a WSDL with zeep takes tens of milliseconds and the parsed document is only read
# afterwards, so one parsed copy per location is shared by every client of the process.
_parsed_wsdl_by_location: dict[str, zeep.wsdl.Document] = {}
_parsed_wsdl_lock = threading.Lock()


def _parsed_wsdl(location: str, load_timeout: float) -> zeep.wsdl.Document:
    with _parsed_wsdl_lock:
        document = _parsed_wsdl_by_location.get(location)
        if document is None:
            # A transport of its own: the cached document outlives the client that parsed it.
            loading_transport = zeep.Transport(timeout=load_timeout)
            document = zeep.wsdl.Document(location, loading_transport)
            _parsed_wsdl_by_location[location] = document
        return document


def _normalised_wsdl_location(wsdl_path_or_url: str | Path) -> str:
    location = str(wsdl_path_or_url)
    if urlparse(location).scheme in ("http", "https", "file"):
        return location
    # Resolved so that two spellings of the same file share one cache entry.
    return str(Path(location).expanduser().resolve())


def _as_date(value: Any, serial: str) -> datetime.date | None:
    if value in (None, False, ""):
        # Odoo gives False for an empty date field.
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(
            f"Manufacture date {value!r} of serial {serial} is not a date (expected YYYY-MM-DD)."
        ) from None


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RegistryClient:
    """Talks to one registry endpoint with one set of credentials.

    Cheap to create: the zeep client is only built on the first call, and the WSDL it uses is
    parsed once per process.
    """

    def __init__(
        self,
        wsdl_path_or_url: str | Path,
        endpoint_url: str,
        username: str,
        password: str,
        timeout: float = 5.0,
    ):
        problem = endpoint_problem(endpoint_url)
        if problem:
            # The same address would fail on every call: refused here, not sent.
            raise ValueError(
                f"Registry endpoint {endpoint_url!r} cannot be used ({problem.code}"
                f"{': ' + problem.part if problem.part else ''})."
            )
        if timeout <= 0:
            raise ValueError(f"Registry timeout must be positive, not {timeout!r} seconds.")
        self.wsdl_location = _normalised_wsdl_location(wsdl_path_or_url)
        self.endpoint_url = endpoint_url
        self.username = username
        self._password = password
        self.timeout = float(timeout)
        self._service_proxy = None
        self._http_session: requests.Session | None = None

    def __repr__(self) -> str:
        # The password is left out on purpose: clients end up in logs and tracebacks.
        return f"RegistryClient(endpoint_url={self.endpoint_url!r}, username={self.username!r})"

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Release the pooled HTTP connections; the client rebuilds them if used again."""
        if self._http_session is not None:
            self._http_session.close()
        self._http_session = None
        self._service_proxy = None

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _service(self):
        if self._service_proxy is None:
            document = _parsed_wsdl(self.wsdl_location, load_timeout=self.timeout)
            self._http_session = requests.Session()
            # The same limit for connecting and for each wait on the answer: zeep passes
            # operation_timeout to requests, while timeout only bounds loading WSDL imports.
            transport = zeep.Transport(
                session=self._http_session,
                timeout=self.timeout,
                operation_timeout=self.timeout,
            )
            zeep_client = zeep.Client(
                document,
                transport=transport,
                wsse=UsernameToken(self.username, self._password),
            )
            self._service_proxy = zeep_client.create_service(BINDING_NAME, self.endpoint_url)
        return self._service_proxy

    # -- operations --------------------------------------------------------------------------

    def register_serials(self, units: Iterable[dict]) -> dict[str, str]:
        """Register units and return each serial's status: accepted, duplicate or rejected.

        Each unit is a dict with ``serial``, ``product_reference`` (GTIN or manufacturer's
        reference) and optionally ``manufacture_date`` (date or ISO string) and ``batch``.
        Registering a serial again for the same product is accepted, so a batch interrupted by
        an error can simply be sent again.
        """
        soap_units = []
        for unit in units:
            serial = unit["serial"]
            soap_unit = {"serial": serial, "productReference": unit["product_reference"]}
            manufacture_date = _as_date(unit.get("manufacture_date"), serial)
            if manufacture_date is not None:
                soap_unit["manufactureDate"] = manufacture_date
            if unit.get("batch"):
                soap_unit["batch"] = unit["batch"]
            soap_units.append(soap_unit)

        status_by_serial: dict[str, str] = {}
        for chunk in _chunks(soap_units, MAX_SERIALS_PER_CALL):
            action = f"register {len(chunk)} serial(s) starting with {chunk[0]['serial']}"
            with self._translated_errors(action):
                results = self._service().registerSerials(unit=chunk)
            for result in results or []:
                status_by_serial[result.serial] = result.status
                if result.status != "accepted":
                    _logger.info(
                        "Registry %s answered %s for serial %s: %s",
                        self.endpoint_url,
                        result.status,
                        result.serial,
                        result.message or "no reason given",
                    )
        return status_by_serial

    def verify_serial(self, serial: str) -> dict:
        """Ask the registry about one serial.

        Returns a dict with ``serial``, ``status`` (genuine, unknown, recalled or stolen),
        ``product_reference``, ``manufacture_date`` (a date), ``batch`` and ``recall_reason``;
        the last four are None when the registry does not know the serial.
        """
        with self._translated_errors(f"verify serial {serial}", serial=serial):
            answer = self._service().verifySerial(serial=serial)
        return {
            "serial": answer.serial,
            "status": answer.status,
            "product_reference": answer.productReference,
            "manufacture_date": answer.manufactureDate,
            "batch": answer.batch,
            "recall_reason": answer.recallReason,
        }

    def report_stolen(self, serial: str, note: str | None = None) -> bool:
        """Report a unit stolen; False means the registry does not know the serial."""
        with self._translated_errors(f"report serial {serial} stolen", serial=serial):
            acknowledged = self._service().reportStolen(serial=serial, note=note or None)
        return bool(acknowledged)

    def report_recall(self, serials: Iterable[str], reason: str) -> int:
        """Report serials recalled; returns how many of them the registry knows."""
        serials = list(serials)
        if not serials:
            return 0
        recalled_count = 0
        for chunk in _chunks(serials, MAX_SERIALS_PER_CALL):
            action = f"report {len(chunk)} serial(s) recalled starting with {chunk[0]}"
            with self._translated_errors(action, serial=chunk[0] if len(chunk) == 1 else None):
                recalled_count += int(self._service().reportRecall(serial=chunk, reason=reason))
        return recalled_count

    # -- error translation -------------------------------------------------------------------

    @contextlib.contextmanager
    def _translated_errors(self, action: str, serial: str | None = None) -> Iterator[None]:
        endpoint = self.endpoint_url

        def unavailable(reason: str) -> RegistryUnavailable:
            return RegistryUnavailable(
                f"Could not {action}: the registry at {endpoint} {reason}.", endpoint, serial
            )

        def rejected(reason: str) -> RegistryRejected:
            return RegistryRejected(
                f"Could not {action}: the registry at {endpoint} {reason}.", endpoint, serial
            )

        try:
            yield
        # Timeout before ConnectionError: requests' ConnectTimeout is both.
        except requests.exceptions.Timeout as error:
            raise unavailable(f"did not answer within {self.timeout:g} seconds") from error
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.InvalidSchema,
            requests.exceptions.MissingSchema,
        ) as error:
            # Checked by endpoint_problem beforehand; should requests still find the address
            # unusable, resending it will not help either.
            raise rejected(f"has an address that cannot be used ({error})") from error
        except requests.exceptions.ConnectionError as error:
            raise unavailable(
                "could not be reached (connection refused, name not resolved or network down)"
            ) from error
        except requests.exceptions.RequestException as error:
            raise unavailable(f"could not be reached ({error})") from error
        except zeep.exceptions.Fault as fault:
            fault_code = (fault.code or "").rpartition(":")[2]
            # The registry's sentence loses its full stop: ours ends the combined message.
            reason = (fault.message or "no reason given").strip().rstrip(".")
            description = f"{reason} (SOAP fault {fault.code})"
            if fault_code.startswith("Server"):
                raise unavailable(f"failed on its side: {description}") from fault
            raise rejected(f"refused the request: {description}") from fault
        except zeep.exceptions.TransportError as error:
            status = error.status_code
            if status >= 500 or status in _RETRYABLE_HTTP_STATUSES:
                raise unavailable(f"answered with HTTP error {status}") from error
            if status == 200:
                # Something answered that is not a SOAP service (a proxy's error page, say).
                raise unavailable("answered with something that is not SOAP") from error
            raise rejected(f"answered with HTTP error {status}") from error
        except zeep.exceptions.ValidationError as error:
            raise RegistryRejected(
                f"Could not {action}: the request was not sent to {endpoint} because it does "
                f"not fit the registry's contract ({error.message}).",
                endpoint,
                serial,
            ) from error
        except zeep.exceptions.Error as error:
            raise rejected(
                f"answered in a way that does not match the registry's contract ({error.message})"
            ) from error
