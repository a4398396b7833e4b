"""TOTP and HOTP against the RFCs' test vectors (through pyotp), our step rules, and recovery codes."""

from __future__ import annotations

import base64
import hashlib
import re

import pyotp
import pytest

from companion.mfa import recovery, totp

SEEDS = {"sha1": b"12345678901234567890", "sha256": b"12345678901234567890123456789012",
         "sha512": b"1234567890123456789012345678901234567890123456789012345678901234"}
# RFC 6238 Appendix B: (time, SHA1, SHA256, SHA512), 8 digits.
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
# RFC 4226 Appendix D: HOTP values for counters 0..9 of the 20-byte secret, 6 digits.
RFC4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]


def b32(seed: bytes) -> str:
    return base64.b32encode(seed).decode()


@pytest.mark.parametrize("row", RFC6238, ids=[str(row[0]) for row in RFC6238])
@pytest.mark.parametrize("index, algorithm", [(1, "sha1"), (2, "sha256"), (3, "sha512")])
def test_rfc6238_appendix_b(row, index, algorithm):
    seed = SEEDS[algorithm]
    assert len(seed) == {"sha1": 20, "sha256": 32, "sha512": 64}[algorithm]
    generator = pyotp.TOTP(b32(seed), digits=8, digest=getattr(hashlib, algorithm), interval=30)
    assert generator.at(row[0]) == row[index]
    assert generator.verify(row[index], for_time=row[0])


def test_rfc6238_keeps_the_leading_zero():
    assert pyotp.TOTP(b32(SEEDS["sha1"]), digits=8).at(1111111109) == "07081804"


@pytest.mark.parametrize("counter, expected", list(enumerate(RFC4226)))
def test_rfc4226_appendix_d(counter, expected):
    assert pyotp.HOTP(b32(SEEDS["sha1"])).at(counter) == expected


def test_the_rfc4226_vectors_through_our_check():
    # Our TOTP is HOTP of the time step: step 3 is the counter 3 of Appendix D.
    secret = b32(SEEDS["sha1"])
    assert totp.check(secret, RFC4226[3], None, now=3 * 30 + 1) == (totp.Check.OK, 3)
    assert totp.check(secret, RFC4226[2], None, now=3 * 30 + 1) == (totp.Check.OK, 2)  # one step late
    assert totp.check(secret, RFC4226[4], None, now=3 * 30 + 1) == (totp.Check.OK, 4)  # one step early
    assert totp.check(secret, RFC4226[1], None, now=3 * 30 + 1) == (totp.Check.INVALID, None)
    assert totp.check(secret, RFC4226[5], None, now=3 * 30 + 1) == (totp.Check.INVALID, None)


def test_no_step_at_or_before_the_last_accepted_one():
    secret = b32(SEEDS["sha1"])
    now = 5 * 30 + 10
    assert totp.check(secret, RFC4226[5], 5, now) == (totp.Check.REUSED, 5)  # the same code again
    assert totp.check(secret, RFC4226[4], 5, now) == (totp.Check.REUSED, 4)  # an older one after a newer
    assert totp.check(secret, RFC4226[6], 5, now) == (totp.Check.OK, 6)
    assert totp.check(secret, " 254 676 ", 4, now) == (totp.Check.OK, 5)  # spaces are ignored
    for typed in ("", "12345", "1234567", "abcdef", None):
        assert totp.check(secret, typed, None, now) == (totp.Check.INVALID, None)


def test_secret_uri_and_qr_code():
    secret = totp.new_secret()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret) and len(base64.b32decode(secret)) * 8 >= 160
    assert totp.new_secret() != secret
    assert totp.grouped("ABCDEFGHIJKLMNOP") == "ABCD EFGH IJKL MNOP"
    uri = totp.provisioning_uri(secret, "ann", "Companion")
    assert uri.startswith("otpauth://totp/Companion:ann?")
    for part in (f"secret={secret}", "issuer=Companion", "algorithm=SHA1", "digits=6", "period=30"):
        assert part in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and "<path" in svg and "<image" not in svg


def test_recovery_codes_have_a_prefix_and_80_bits():
    codes = recovery.new_codes()
    assert len(codes) == recovery.COUNT == 8 and len(set(codes)) == 8
    for code in codes:
        assert recovery.PATTERN.fullmatch(code), code
        assert len(base64.b32decode(code[5:].replace("-", "").upper())) * 8 == 80
    code = codes[0]
    body = code[5:].replace("-", "")
    for typed in (code, code.upper(), body, f"  {body[:8]} {body[8:]} ", "cprc" + body):
        assert recovery.normalize(typed) == body
    for typed in ("", "cprc_", body[:-1], body + "a", "cprc_0000-0000-0000-0000"):
        assert recovery.normalize(typed) is None
    stored = recovery.hash_code(code)
    assert stored.startswith("$argon2id$") and body not in stored
    assert recovery.matches(stored, body) and not recovery.matches(stored, recovery.normalize(codes[1]))
