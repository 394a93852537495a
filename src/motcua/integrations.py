"""What every external-service adapter shares (SPEC §3 item 22): a registry of
implementations chosen by a setting, one exception shape for a peer that failed, and the
JSON-over-HTTP call with its failures mapped to that exception.

An adapter module declares its interface, a :class:`Registry` of implementations, an
exception derived from :class:`ServiceError`, and a production client that calls
:func:`fetch_json`; see :mod:`motcua.population.adapters`.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

# --- Registry ------------------------------------------------------------------------------


class Registry(Generic[T]):
    """Implementations of one interface by name, the one in use named by a setting:

    >>> register = Registry("population service", "MOTCUA_POPULATION_SERVICE", "fake")
    >>> @register("fake")
    ... class FakePopulationService(PopulationService): ...
    >>> register.get()()  # an instance of the configured implementation
    """

    def __init__(self, kind: str, setting: str, default: str):
        self.kind = kind
        self.setting = setting
        self.default = default
        self._classes: dict[str, type[T]] = {}

    def __call__(self, name: str) -> Callable[[type[T]], type[T]]:
        """Class decorator: register the class under ``name`` (once) and set its ``name``."""

        def decorator(cls: type[T]) -> type[T]:
            if name in self._classes:
                raise ValueError(f"Another {self.kind} is already registered as {name!r}.")
            cls.name = name
            self._classes[name] = cls
            return cls

        return decorator

    def __getitem__(self, name: str) -> type[T]:
        return self._classes[name]

    def __contains__(self, name: str) -> bool:
        return name in self._classes

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._classes))

    def configured_name(self) -> str:
        return getattr(settings, self.setting, self.default) or self.default

    def get(self, name: str | None = None) -> type[T]:
        """The implementation called ``name``, by default the one the setting names."""
        name = name or self.configured_name()
        if name not in self._classes:
            raise ImproperlyConfigured(
                f"Unknown {self.kind} {name!r} ({self.setting}); known: {', '.join(self)}."
            )
        return self._classes[name]


# --- Configuration -------------------------------------------------------------------------


def setting(value: Any, name: str, default: Any = "") -> Any:
    """``value`` when the caller gives one, otherwise ``settings.<name>`` or ``default``."""
    return value if value is not None else getattr(settings, name, default)


def service_url(value: str | None, name: str, *, https_only: bool = False) -> str:
    """The peer's base URL, given or read from ``settings.<name>``, without its trailing
    slash; :class:`ImproperlyConfigured` unless it is an https (or, allowed, http) URL."""
    url = (value or getattr(settings, name, "")).rstrip("/")
    schemes = {"https"} if https_only else {"https", "http"}
    if urllib.parse.urlsplit(url).scheme not in schemes:
        raise ImproperlyConfigured(f"{name} must be an {'https' if https_only else 'http(s)'} URL.")
    return url


# --- Failures ------------------------------------------------------------------------------


class ServiceError(Exception):
    """An external service did not do what was asked. ``reason`` is a stable short code:
    ``timeout``, ``unreachable``, ``unauthorised``, ``rate_limited``, ``peer_error``,
    ``rejected``, ``bad_response`` or one of the adapter's own. ``permanent`` says that the
    peer refused the request itself, so sending it again cannot help; otherwise a later
    attempt may succeed. ``status`` is the HTTP status the peer answered, if any."""

    #: Who failed, as the log names it.
    service = "External service"

    def __init__(
        self,
        reason: str = "unavailable",
        detail: object = "",
        *,
        permanent: bool = False,
        status: int | None = None,
    ):
        self.reason = reason
        self.detail = str(detail)
        self.permanent = permanent
        self.status = status
        super().__init__(f"{reason}: {self.detail}" if self.detail else reason)

    @classmethod
    def logged(cls, reason: str, detail: object = "", **flags):
        """The exception (``flags``: ``permanent``, ``status``), with a warning in the log of
        the adapter's module."""
        logging.getLogger(cls.__module__).warning("%s failed: %s (%s)", cls.service, reason, detail)
        return cls(reason, detail, **flags)


#: HTTP statuses by which a peer refuses the request on its merits.
PERMANENT_STATUSES = frozenset({400, 404, 409, 422})


def http_reason(status: int) -> str:
    """The stable reason code of an HTTP error status."""
    if status in (401, 403):
        return "unauthorised"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "peer_error"
    return "rejected"


# --- JSON over HTTP ------------------------------------------------------------------------


def fetch_json(
    method: str,
    url: str,
    *,
    error: type[ServiceError],
    timeout: float,
    headers: Mapping[str, str] | None = None,
    body: Any = None,
    absent: Collection[int] = (),
    urlopen: Callable | None = None,
) -> Any:
    """Send ``body`` (JSON-encoded, or bytes sent as they are) and return the parsed JSON
    answer: ``{}`` for an empty one, ``None`` for a status in ``absent`` (e.g. 404 for "no
    such record"). Every failure — an HTTP error status, a timeout, a refused connection, an
    unreadable answer — is ``error``, logged, with its reason code and ``permanent`` set for
    :data:`PERMANENT_STATUSES`. ``urlopen`` replaces :func:`urllib.request.urlopen`."""
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body, ensure_ascii=False).encode()
    headers = {
        "Accept": "application/json",
        **({"Content-Type": "application/json; charset=utf-8"} if body is not None else {}),
        **(headers or {}),
    }
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    urlopen = urlopen or urllib.request.urlopen
    try:
        with urlopen(request, timeout=timeout) as response:
            payload = response.read()
    except urllib.error.HTTPError as failure:
        text = failure.read()[:500].decode("utf-8", "replace")
        failure.close()
        if failure.code in absent:
            return None
        raise error.logged(
            http_reason(failure.code),
            f"HTTP {failure.code} {text}".strip(),
            permanent=failure.code in PERMANENT_STATUSES,
            status=failure.code,
        ) from failure
    except TimeoutError as failure:
        raise error.logged("timeout", f"no answer within {timeout:g} s") from failure
    except urllib.error.URLError as failure:
        reason = "timeout" if isinstance(failure.reason, TimeoutError) else "unreachable"
        raise error.logged(reason, failure.reason) from failure
    except OSError as failure:
        raise error.logged("unreachable", failure) from failure
    if not payload:
        return {}
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as failure:
        raise error.logged("bad_response", type(failure).__name__) from failure
