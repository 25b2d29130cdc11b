"""avatar.scrub: personal data out, ordinary numbers and the creator's own handle left alone."""

from __future__ import annotations

import pytest

from avatar.scrub import Scrubber, is_phone


@pytest.mark.parametrize("text, expected, counts", [
    ("mail ana.b+fans@example.co.uk today", "mail [email] today", {"emails": 1}),
    ("call +44 113 496 0000 or +46 31 123 45 67", "call [phone] or [phone]", {"phones": 2}),
    ("ring 07700 900123, 07700900123 or 0113 496 0000", "ring [phone], [phone] or [phone]", {"phones": 3}),
    ("US: (555) 123-4567, 555-123-4567, 555.123.4567", "US: [phone], [phone], [phone]", {"phones": 3}),
    ("Swedish mobile 070-123 45 67", "Swedish mobile [phone]", {"phones": 1}),
    ("send it to 14 Acacia Avenue, Leeds LS6 2AB please", "send it to [address] please", {"addresses": 1}),
    ("we met at 221B Baker Street", "we met at [address]", {"addresses": 1}),
    ("bor på Storgatan 12 i Göteborg", "bor på [address] i Göteborg", {"addresses": 1}),
    ("postcode LS1 4AP", "postcode [address]", {"addresses": 1}),
])
def test_personal_data_is_replaced_and_counted(text, expected, counts):
    scrubbed, found = Scrubber().scrub(text)
    assert scrubbed == expected
    assert dict(found) == counts


@pytest.mark.parametrize("text", [
    "godot v4.2.1 and build 10.0.19045.2965",          # versions
    "the programme is £1,299.99 or $45.00 or 45 EUR",  # prices
    "Form Friday at 19:00, doors 7pm",                 # times
    "on 2024-03-12, 12/03/2024 and 12.03.2024",        # dates
    "lifting 2015-2018, then 2019 2020 2021",          # years
    "sets of 100 120 140 kg, 3x5 @ 80%",               # numbers that are not phones
    "tweet 1700000000000000001 and order 12345678901", # ids
    "week 6 of 12, 3 sessions, 45 minutes",
    "see https://example.com/call/0113-496-0000 for details",   # inside a link
])
def test_ordinary_numbers_are_not_phones(text):
    scrubbed, found = Scrubber().scrub(text)
    assert scrubbed == text and not found


@pytest.mark.parametrize("candidate, phone", [
    ("+44 113 496 0000", True), ("0800 123 456", True), ("555-123-4567", True),
    ("555-123-456", False), ("123 456 7890 1", False), ("0.19045", False), ("2024 03 12", False),
])
def test_phone_rules(candidate, phone):
    assert is_phone(candidate) is phone


def test_handles_only_when_asked_and_never_the_creators_own():
    text = "thanks @pixelfan_88 and @mara.lifts, cc @Steam"
    assert Scrubber().scrub(text) == (text, {})
    scrubbed, found = Scrubber(handles=True, keep_handles=["@mara.lifts", "steam"]).scrub(text)
    assert scrubbed == "thanks @[user] and @mara.lifts, cc @Steam"
    assert dict(found) == {"handles": 1}


def test_email_is_not_mistaken_for_a_handle():
    scrubbed, found = Scrubber(handles=True).scrub("write to coach@example.com")
    assert scrubbed == "write to [email]" and dict(found) == {"emails": 1}
