"""Personal identifiers: validation, masking, keyed hashes and sealing. No database."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang.matters.identity import (
    IdentityError,
    Keyring,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
)

TODAY = date(2026, 3, 2)
KEY = "a-data-key-for-tests-only"


# --- ID numbers (GB 11643-1999) -------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "110101197003070012",
        "110101190010100011",  # born in 1900
        "44052419800101003X",  # check digit X
    ],
)
def test_a_valid_id_number_is_accepted_and_normalised(number):
    assert validate_id_number(number, today=TODAY) == number


def test_id_number_input_is_normalised_before_checking():
    assert normalize_id_number(" 4405 2419 8001 0100 3x ") == "44052419800101003X"
    assert validate_id_number("44052419800101003x", today=TODAY) == "44052419800101003X"


def test_each_single_digit_change_breaks_the_check_digit():
    good = "110101197003070012"
    for i in range(17):
        digit = str((int(good[i]) + 1) % 10)
        with pytest.raises(IdentityError, match="校验位"):
            validate_id_number(good[:i] + digit + good[i + 1 :], today=TODAY)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110101197003070013", "校验位"),
        ("110101197002300015", "出生日期"),  # 30 February, check digit right
        ("110101197013010013", "出生日期"),  # month 13
        ("110101203001010014", "出生日期"),  # born in 2030
        ("11010118991231001X", "出生日期"),  # born in 1899
        ("11010119700307001", "18位"),
        ("1101011970030700120", "18位"),
        ("11010119700307001Y", "18位"),
        ("", "18位"),
    ],
)
def test_an_invalid_id_number_is_refused_with_the_reason(number, reason):
    with pytest.raises(IdentityError, match=reason):
        validate_id_number(number, today=TODAY)


def test_a_birth_date_of_today_is_accepted_but_tomorrow_is_not():
    born_today = "110101202603020012"
    assert validate_id_number(born_today, today=TODAY) == born_today
    with pytest.raises(IdentityError, match="出生日期"):
        validate_id_number(born_today, today=date(2026, 3, 1))


# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("(0571) 8888-8888", "057188888888"),
        ("+852 2123 4567", "+85221234567"),
    ],
)
def test_phone_numbers_are_normalised(raw, normal):
    assert normalize_phone(raw) == normal


@pytest.mark.parametrize("raw", ["", "1234", "call me", "+++++", "138-0013-800a", "1" * 21])
def test_a_malformed_phone_is_refused(raw):
    with pytest.raises(IdentityError, match="电话号码"):
        normalize_phone(raw)


# --- masking --------------------------------------------------------------------------------


def test_an_id_number_is_masked_to_its_first_and_last_four():
    assert mask_id_number("110101197003070012") == "1101**********0012"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800138000", "138****8000"),
        ("057188888888", "057*****8888"),
        ("88888888", "****8888"),
        ("1234", "****"),
    ],
)
def test_a_phone_is_masked_to_its_last_four(phone, masked):
    assert mask_phone(phone) == masked
    assert len(mask_phone(phone)) == len(phone)


# --- keyed hashes and sealing ---------------------------------------------------------------


def test_the_matching_hash_is_stable_for_the_same_key_and_value():
    assert Keyring(KEY).match_hash("id", "110101197003070012") == Keyring(KEY).match_hash(
        "id", "110101197003070012"
    )


def test_the_matching_hash_depends_on_the_key_the_kind_and_the_value():
    ring = Keyring(KEY)
    base = ring.match_hash("id", "110101197003070012")
    assert len(base) == 64 and int(base, 16) >= 0
    assert Keyring(KEY + "x").match_hash("id", "110101197003070012") != base
    assert ring.match_hash("phone", "110101197003070012") != base
    assert ring.match_hash("id", "110101197003070020") != base
    # Not a plain hash of the value: without the key it cannot be recomputed.
    import hashlib

    assert hashlib.sha256(b"id:110101197003070012").hexdigest() != base


def test_sealing_round_trips_and_is_not_deterministic():
    ring = Keyring(KEY)
    a, b = ring.seal("13800138000"), ring.seal("13800138000")
    assert a != b  # a fresh IV each time: equal values are not recognisable in the table
    assert "13800138000" not in a
    assert ring.unseal(a) == ring.unseal(b) == "13800138000"


def test_unsealing_with_another_key_is_refused():
    token = Keyring(KEY).seal("110101197003070012")
    with pytest.raises(IdentityError, match="数据密钥"):
        Keyring("another-key").unseal(token)


def test_unsealing_a_damaged_token_is_refused():
    token = Keyring(KEY).seal("110101197003070012")
    with pytest.raises(IdentityError, match="无法解密"):
        Keyring(KEY).unseal(token[:-4] + "AAAA")
