"""The upload-scanning hook (SPEC §3 item 25; TN 11): every uploaded file goes through ClamAV's
daemon when ``MOTCUA_CLAMAV_ADDRESS`` is set ("unix:/run/clamav/clamd.ctl" or
"127.0.0.1:3310"); with it unset nothing is scanned. A file is accepted only on a clean
answer: an infected file, and any file the scanner could not look at, is refused."""

import logging
import socket
import struct

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.dossiers.errors import RuleViolation

logger = logging.getLogger(__name__)

#: Bytes sent per INSTREAM chunk (clamd's default StreamMaxLength is far larger in total).
CHUNK = 64 * 1024


class ScanUnavailable(Exception):
    """The scanner could not be reached or gave no verdict."""


class ClamdScanner:
    """A client of clamd's INSTREAM command: ``zINSTREAM\\0``, the file in chunks each
    preceded by its length (4 bytes, network order), a zero length, then one reply:
    ``stream: OK``, ``stream: <signature> FOUND`` or ``... ERROR``."""

    def __init__(self, address: str, timeout: float):
        self.address = address
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        if self.address.startswith("unix:"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            target = self.address.removeprefix("unix:")
        else:
            host, _sep, port = self.address.rpartition(":")
            sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
            target = (host.strip("[]"), int(port))
        sock.settimeout(self.timeout)
        try:
            sock.connect(target)
        except BaseException:
            sock.close()
            raise
        return sock

    def scan(self, content: bytes) -> str | None:
        """The name of the virus found, or None for a clean file."""
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                for start in range(0, len(content), CHUNK):
                    chunk = content[start : start + CHUNK]
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    data = sock.recv(4096)
                    if not data:
                        break
                    reply += data
        except (OSError, ValueError) as error:
            raise ScanUnavailable(f"clamd at {self.address}: {error}") from error
        answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
        verdict = answer.removeprefix("stream:").strip()
        if verdict == "OK":
            return None
        if verdict.endswith(" FOUND"):
            return verdict.removesuffix(" FOUND").strip()
        raise ScanUnavailable(f"clamd at {self.address}: {answer or 'no answer'}")


def scanner() -> ClamdScanner | None:
    """The configured scanner, or None when uploads are not scanned."""
    address = getattr(settings, "MOTCUA_CLAMAV_ADDRESS", "")
    if not address:
        return None
    return ClamdScanner(address, getattr(settings, "MOTCUA_CLAMAV_TIMEOUT", 30.0))


def check_clean(name: str, content: bytes, field: str) -> None:
    """Refuse a file the scanner finds infected (``infected``) or could not scan
    (``scan_unavailable``); do nothing when no scanner is configured."""
    clamd = scanner()
    if clamd is None:
        return
    try:
        signature = clamd.scan(content)
    except ScanUnavailable as error:
        logger.warning("upload not scanned", extra={"reason": str(error)})
        raise RuleViolation(
            _("%(name)s could not be checked for viruses now. Please try again later.")
            % {"name": name},
            code="scan_unavailable",
            fields={field: [_("Not checked for viruses.")]},
        ) from error
    if signature is not None:
        logger.warning("infected upload refused", extra={"signature": signature})
        raise RuleViolation(
            _("%(name)s contains a virus (%(signature)s) and was refused.")
            % {"name": name, "signature": signature},
            code="infected",
            fields={field: [_("Infected file.")]},
        )
