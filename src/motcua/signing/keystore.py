"""Private keys at rest: Fernet-encrypted with a key derived from ``SECRET_KEY``.

This keeps a database dump from leaking usable signing keys, and nothing more: whoever holds
both the dump and ``SECRET_KEY`` holds the keys. A production deployment should keep agency keys
in an HSM or behind a remote signing service (e.g. a CSC API), where they never leave the device;
:func:`motcua.signing.pki.signer_for` is the single place that would change.

Rotating ``SECRET_KEY`` keeps old keys readable as long as the previous secret stays in
``SECRET_KEY_FALLBACKS`` (Django's own rotation setting).
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_SALT = b"motcua.signing.keystore"
_INFO = b"fernet key for private signing keys"


def _fernet(secret: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _multi_fernet() -> MultiFernet:
    if not settings.SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY is needed to encrypt signing keys")
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def encrypt_private_key(private_key) -> str:
    """The Fernet token (text) of ``private_key``'s unencrypted PKCS#8 PEM."""
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _multi_fernet().encrypt(pem).decode("ascii")


def decrypt_private_key(token: str):
    """The private key object stored by :func:`encrypt_private_key`.

    Raises :class:`ValueError` when the token was made under another ``SECRET_KEY``.
    """
    try:
        pem = _multi_fernet().decrypt(token.encode("ascii"))
    except InvalidToken:
        raise ValueError("the signing key cannot be decrypted with this SECRET_KEY") from None
    return serialization.load_pem_private_key(pem, password=None)
