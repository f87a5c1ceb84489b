"""Personal identifiers: validation, masking, keyed hashing and sealing. No Django state here.

IdentityError messages are raised in Chinese, the source language, and only marked for
translation here; the Django side translates them where it shows them (services.registration).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import date

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1\d{10}$")
# Checked after normalize_phone has dropped spaces, dashes and brackets: digits, with an
# optional leading + for numbers outside the mainland.
_PHONE_RE = re.compile(r"^\+?\d{5,20}$")


def gettext_noop(message: str) -> str:
    """Marks a message for `xinfang makemessages` (which extracts gettext_noop calls) and
    returns it unchanged. Django's own gettext_noop would read the settings: this module
    works without them."""
    return message


class IdentityError(ValueError):
    """The identifier is not valid; the message says why, in plain words: a msgid, to be
    passed through gettext before it is shown."""


def normalize_id_number(raw: str) -> str:
    return raw.strip().replace(" ", "").upper()


def validate_id_number(raw: str, *, today: date) -> str:
    """Return the normalised 18-digit resident ID number or raise IdentityError.

    Checks the GB 11643-1999 check digit (ISO 7064 MOD 11-2) and that the birth date is a real
    date not in the future.
    """
    number = normalize_id_number(raw)
    if not _ID_RE.match(number):
        raise IdentityError(gettext_noop("身份证号码应为18位，前17位为数字，最后一位为数字或X。"))
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        raise IdentityError(gettext_noop("身份证号码校验位不正确，请核对后重新输入。"))
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdentityError(gettext_noop("身份证号码中的出生日期无效。")) from exc
    if born > today or born.year < 1900:
        raise IdentityError(gettext_noop("身份证号码中的出生日期无效。"))
    return number


def normalize_phone(raw: str) -> str:
    phone = re.sub(r"[\s\-()]", "", raw.strip())
    if phone.startswith("+86"):
        phone = phone[3:]
    if not (_MOBILE_RE.match(phone) or _PHONE_RE.match(phone)):
        raise IdentityError(gettext_noop("电话号码格式不正确。"))
    return phone


def mask_id_number(number: str) -> str:
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_phone(phone: str) -> str:
    if len(phone) <= 4:
        return "*" * len(phone)
    keep = 3 if len(phone) >= 11 else 0
    return f"{phone[:keep]}{'*' * (len(phone) - keep - 4)}{phone[-4:]}"


class Keyring:
    """Subkeys derived from the one data key: one for matching hashes, one for sealing."""

    def __init__(self, data_key: str) -> None:
        self._hash_key = self._derive(data_key, b"xinfang-match-v1")
        self._fernet = Fernet(base64.urlsafe_b64encode(self._derive(data_key, b"xinfang-seal-v1")))

    @staticmethod
    def _derive(data_key: str, info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
            data_key.encode()
        )

    def match_hash(self, kind: str, value: str) -> str:
        """Keyed hash used to find other submissions with the same identifier."""
        return hmac.new(self._hash_key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    def seal(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def unseal(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise IdentityError(gettext_noop("无法解密：数据密钥与加密时不一致。")) from exc
