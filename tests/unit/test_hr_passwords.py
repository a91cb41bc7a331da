"""HR password hashes (salted scrypt), LEERPAD_HR_USERS parsing, and `leerpad hr hash-password`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from flows.cli import cli
from integrations.http.hr_passwords import (
    HrUsers,
    HrUsersError,
    PasswordHashError,
    hash_password,
    parse_hash,
    verify_password,
)

FAST = {"n": 2**10}  # small work factor: these tests check the format, not the cost
PASSWORD = "correct horse battery staple"


class TestHashes:
    def test_the_right_password_matches(self):
        assert verify_password(PASSWORD, hash_password(PASSWORD, **FAST))

    def test_a_wrong_password_does_not(self):
        stored = hash_password(PASSWORD, **FAST)
        assert not verify_password(PASSWORD + " ", stored)
        assert not verify_password("", stored)
        assert not verify_password("x" * 5000, stored)

    def test_a_hash_is_salted_and_self_describing(self):
        first, second = hash_password(PASSWORD), hash_password(PASSWORD)
        assert first != second
        assert first.startswith("scrypt$32768$8$1$")
        parsed = parse_hash(first)
        assert (parsed.n, parsed.r, parsed.p, len(parsed.salt), len(parsed.key)) == (
            32768, 8, 1, 16, 32
        )  # fmt: skip
        assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)

    def test_a_flipped_key_byte_no_longer_matches(self):
        stored = hash_password(PASSWORD, **FAST)
        head, key = stored.rsplit("$", 1)
        flipped = ("B" if key[0] == "A" else "A") + key[1:]
        assert not verify_password(PASSWORD, f"{head}${flipped}")

    @pytest.mark.parametrize(
        "stored",
        ["", "plaintext", "scrypt$1024$8$1$c2FsdA",
         "bcrypt$1024$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
         "scrypt$x$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
         "scrypt$1000$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",  # n not a power of two
         "scrypt$4194304$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",  # would cost 4 GiB
         "scrypt$1024$8$1$A$AAAAAAAAAAAAAAAAAAAAAA",  # salt too short
         "scrypt$1024$8$1$AAAAAAAAAAA$A!A"],
    )  # fmt: skip
    def test_a_malformed_hash_is_a_clean_error(self, stored):
        with pytest.raises(PasswordHashError):
            verify_password(PASSWORD, stored)

    def test_an_empty_password_cannot_be_hashed(self):
        with pytest.raises(ValueError, match="empty"):
            hash_password("")


class TestUsers:
    def test_pairs_are_read_and_checked(self):
        users = HrUsers.parse(f" anna:{hash_password('pw-anna-1234', **FAST)} ,"
                              f"bob:{hash_password('pw-bob-12345', **FAST)},")  # fmt: skip
        assert "anna" in users and "bob" in users and "carol" not in users
        assert users.check("anna", "pw-anna-1234")
        assert not users.check("anna", "pw-bob-12345")
        assert not users.check("carol", "pw-anna-1234")

    def test_nothing_configured_is_empty_not_open(self):
        assert not HrUsers.parse(None) and not HrUsers.parse(" , ")
        assert not HrUsers.parse(None).check("", "")

    @pytest.mark.parametrize("raw", ["anna", "anna:plain-secret", "an na:scrypt$1", ":x"])
    def test_a_bad_entry_names_its_position_and_never_its_value(self, raw):
        with pytest.raises(HrUsersError, match="entry 1") as caught:
            HrUsers.parse(raw)
        assert "plain-secret" not in str(caught.value)
        assert "leerpad hr hash-password" in str(caught.value)

    def test_a_name_twice_is_refused(self):
        stored = hash_password("pw-anna-1234", **FAST)
        with pytest.raises(HrUsersError, match="twice"):
            HrUsers.parse(f"anna:{stored},anna:{stored}")

    def test_the_repr_shows_no_hash(self):
        stored = hash_password("pw-anna-1234", **FAST)
        assert stored not in repr(HrUsers.parse(f"anna:{stored}"))


class TestCommand:
    def test_stdin_with_user_prints_a_pair_that_verifies(self):
        result = CliRunner().invoke(
            cli, ["hr", "hash-password", "--stdin", "--user", "anna"], input=PASSWORD + "\n"
        )
        assert result.exit_code == 0, result.output
        name, _, stored = result.output.strip().partition(":")
        assert name == "anna" and PASSWORD not in result.output
        assert HrUsers.parse(result.output.strip()).check("anna", PASSWORD)
        assert verify_password(PASSWORD, stored)

    def test_the_prompt_asks_twice_and_refuses_a_mismatch(self):
        ok = CliRunner().invoke(cli, ["hr", "hash-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
        assert ok.exit_code == 0 and verify_password(PASSWORD, ok.output.strip().splitlines()[-1])
        bad = CliRunner().invoke(
            cli, ["hr", "hash-password"], input=f"{PASSWORD}\nsomething else\n"
        )
        assert bad.exit_code != 0

    @pytest.mark.parametrize(
        "args, stdin",
        [(["--user", "an na"], PASSWORD), ([], ""), ([], "short"), ([], "x" * 2000)],
    )
    def test_bad_input_exits_2_with_what_to_do(self, args, stdin):
        result = CliRunner().invoke(cli, ["hr", "hash-password", "--stdin", *args], input=stdin)
        assert result.exit_code == 2
        assert "Error:" in result.output

    def test_the_command_does_not_import_prefect(self):
        code = (
            "import sys; from click.testing import CliRunner; from flows.cli import cli; "
            "r = CliRunner().invoke(cli, ['hr', 'hash-password', '--stdin'], input='a long pass "
            "phrase'); assert r.exit_code == 0, r.output; "
            "print(any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)  # fmt: skip
        assert out.stdout.strip() == "False"
