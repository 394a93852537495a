"""The QR code printed on every dossier sheet: the dossier's public lookup page (BN 14.6,
HG 8; SPEC §3 item 4)."""

from io import BytesIO
from urllib.parse import quote

import segno

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def lookup_url(dossier, base_url: str = DEFAULT_BASE_URL) -> str:
    """``{base_url}/tra-cuu/{dossier code}/``."""
    if not dossier.code:
        raise ValueError("A dossier without a code (a draft) has no lookup page.")
    return f"{base_url.rstrip('/')}/tra-cuu/{quote(dossier.code, safe='')}/"


def qr_png(content: str, *, scale: int = 8) -> bytes:
    """A PNG of ``content`` as a QR code, medium error correction, two-module quiet zone."""
    buffer = BytesIO()
    segno.make(content, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
