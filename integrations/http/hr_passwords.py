"""HR users from LEERPAD_HR_USERS: salted scrypt hashes, checked in constant time (stdlib only).

A hash is the self-describing string `scrypt$<n>$<r>$<p>$<salt>$<key>` (salt and key base64url
without padding); `leerpad hr hash-password --user NAME` prints a `name:hash` pair.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode
from binascii import Error as Base64Error
from dataclasses import dataclass, field

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # about 32 MiB and 50-100 ms per check
KEY_BYTES, SALT_BYTES = 32, 16
_MAX_N, _MAX_R, _MAX_P = 2**20, 32, 16  # a malformed hash must not cost gigabytes
NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MAX_PASSWORD = 1024


class PasswordHashError(ValueError):
    """A stored hash is not in the `scrypt$n$r$p$salt$key` format (its value is never shown)."""


class HrUsersError(ValueError):
    """LEERPAD_HR_USERS cannot be read; the message says which entry, never its hash."""


def _b64(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (Base64Error, ValueError):
        raise PasswordHashError("the salt or key is not base64url") from None


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, size: int) -> bytes:
    maxmem = 128 * r * (n + p + 2) + 1024 * 1024
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=size)


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """A new salted scrypt hash of a password, as `scrypt$n$r$p$salt$key`."""
    if not password:
        raise ValueError("the password is empty")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"the password is longer than {MAX_PASSWORD} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, n, r, p, KEY_BYTES)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(key)}"


@dataclass(frozen=True)
class ParsedHash:
    """The parameters, salt and key of one stored hash."""

    n: int
    r: int
    p: int
    salt: bytes = field(repr=False)
    key: bytes = field(repr=False)


def parse_hash(stored: str) -> ParsedHash:
    """Split a stored hash into its parts; PasswordHashError when it is malformed."""
    parts = stored.strip().split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise PasswordHashError("a hash must look like scrypt$n$r$p$salt$key")
    try:
        n, r, p = (int(x) for x in parts[1:4])
    except ValueError:
        raise PasswordHashError("n, r and p of a hash must be whole numbers") from None
    if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= _MAX_R and 1 <= p <= _MAX_P):
        raise PasswordHashError("the scrypt parameters of a hash are out of range")
    salt, key = _unb64(parts[4]), _unb64(parts[5])
    if len(salt) < 8 or len(key) < 16:
        raise PasswordHashError("the salt or key of a hash is too short")
    return ParsedHash(n=n, r=r, p=p, salt=salt, key=key)


def verify_password(password: str, stored: str) -> bool:
    """Tell whether a password matches a stored hash, comparing in constant time.

    Raises PasswordHashError when the stored hash is malformed.
    """
    parsed = parse_hash(stored)
    if len(password) > MAX_PASSWORD:
        return False
    given = _scrypt(password, parsed.salt, parsed.n, parsed.r, parsed.p, len(parsed.key))
    return hmac.compare_digest(given, parsed.key)


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
    return _DUMMY[0]


@dataclass(frozen=True)
class HrUsers:
    """The configured HR users: name → stored hash (never in a repr or a log line)."""

    hashes: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, raw: str | None) -> HrUsers:
        """Read `name:hash,name:hash`; HrUsersError names the bad entry by position only."""
        hashes: dict[str, str] = {}
        for position, entry in enumerate((raw or "").split(","), start=1):
            if not entry.strip():
                continue
            name, sep, stored = entry.strip().partition(":")
            if not sep or not NAME.match(name):
                raise HrUsersError(
                    f"LEERPAD_HR_USERS entry {position} is not name:hash (names use letters, "
                    "digits and ._@-); make one with `leerpad hr hash-password --user NAME`"
                )
            try:
                parse_hash(stored)
            except PasswordHashError as exc:
                raise HrUsersError(
                    f"LEERPAD_HR_USERS entry {position} ({name}): {exc}; make a new one with "
                    "`leerpad hr hash-password --user NAME`"
                ) from None
            if name in hashes:
                raise HrUsersError(f"LEERPAD_HR_USERS names {name} twice")
            hashes[name] = stored.strip()
        return cls(hashes=hashes)

    def __bool__(self) -> bool:
        return bool(self.hashes)

    def __contains__(self, name: object) -> bool:
        return name in self.hashes

    def check(self, name: str, password: str) -> bool:
        """Tell whether name and password match; an unknown name costs the same time."""
        stored = self.hashes.get(name)
        if stored is None:
            verify_password(password, _dummy_hash())
            return False
        return verify_password(password, stored)
