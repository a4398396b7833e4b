"""TOTP (RFC 6238) with pyotp: SHA1, 6 digits, 30 s steps, ±1 step tolerance, no step twice.

A code is checked against the steps before, at and after now; the newest matching step that is
*after* the last accepted one is accepted. A code matching only steps at or before the last
accepted one is a reuse (a replayed or delayed code), reported as such and refused.
"""

from __future__ import annotations

import base64
import enum
import hmac
import re
import secrets
import time

import pyotp

DIGITS = 6
PERIOD = 30
TOLERANCE = 1  # steps either side of now
SECRET_BYTES = 20  # 160 bits, RFC 4226's recommended length
_CODE = re.compile(rf"\d{{{DIGITS}}}")


class Check(enum.StrEnum):
    OK = "ok"
    INVALID = "invalid_code"
    REUSED = "reused_code"


def new_secret() -> str:
    """A fresh base32 secret (32 characters, 160 bits) from ``secrets``."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def grouped(secret: str) -> str:
    """The key as a person types it: groups of four."""
    return " ".join(secret[index:index + 4] for index in range(0, len(secret), 4))


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """``otpauth://totp/Issuer:account?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30``."""
    uri = pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD).provisioning_uri(name=account, issuer_name=issuer)
    return f"{uri}&algorithm=SHA1&digits={DIGITS}&period={PERIOD}"


def qr_svg(uri: str) -> str:
    """The URI as an SVG QR code (qrcode's SVG factory: no Pillow), white background."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    return image.to_string(encoding="unicode")


def normalize(typed: str | None) -> str | None:
    """The digits typed, spaces removed; None when that is not a 6-digit code."""
    code = re.sub(r"\s+", "", typed or "")
    return code if _CODE.fullmatch(code) else None


def clock() -> float:
    return time.time()  # one place, so tests can hold the time still


def current_step(now: float | None = None) -> int:
    return int((clock() if now is None else now) // PERIOD)


def check(secret: str, typed: str | None, last_step: int | None, now: float | None = None) -> tuple[Check, int | None]:
    """(result, matched step): OK with the step to store, REUSED, or INVALID."""
    code = normalize(typed)
    if code is None:
        return Check.INVALID, None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD)
    here = current_step(now)
    matched = [step for step in range(here - TOLERANCE, here + TOLERANCE + 1)
               if hmac.compare_digest(totp.generate_otp(step), code)]
    fresh = [step for step in matched if last_step is None or step > last_step]
    if fresh:
        return Check.OK, max(fresh)
    if matched:
        return Check.REUSED, max(matched)
    return Check.INVALID, None

