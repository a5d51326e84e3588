"""Public-warning identifiers, language copies and geographic scope of a cell-broadcast warning.

Message identifiers are those 3GPP TS 23.041 (section 9.4.1.2.2, Release 18)
sets aside for public warning, named as ETSI TS 102 900 (V1.3.1) names them for
EU-Alert, which Italy's IT-Alert implements. Each alert identifier has a twin
for *additional-language* copies of the same warning; EU-Info (6400) has one
identifier, its copies differ only by their language indication.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EU_INFO", "LANGUAGE_COPY", "NAMES", "VALID", "DEFAULT_ID", "language_copy", "is_valid",
           "geographic_scope", "with_language", "language_of", "SCOPE_CELL_IMMEDIATE", "SCOPE_PLMN", "SCOPE_TRACKING_AREA", "SCOPE_CELL"]

# primary identifier -> identifier of its additional-language copies (TS 23.041 sec. 9.4.1.2.2)
LANGUAGE_COPY: dict[int, int] = {
    4370: 4383,  # EU-Alert level 1 (presidential level in CMAS)
    4371: 4384, 4372: 4385,  # EU-Alert level 2 (extreme)
    4373: 4386, 4374: 4387, 4375: 4388, 4376: 4389, 4377: 4390, 4378: 4391,  # EU-Alert level 3 (severe)
    4379: 4392,  # EU-Amber (child abduction)
    4380: 4393,  # EU-Monthly test
    4381: 4394,  # EU-Exercise
    4382: 4395,  # EU-Reserved (operator defined use)
    4396: 4397,  # EU-Alert level 4 (public safety)
    4398: 4399,  # EU-Test (state/local test)
}
EU_INFO = 6400  # EU-Info (ETSI TS 102 900); one identifier, copies told apart by their language
DEFAULT_ID = 4371  # an extreme-threat alert: what civil protection sends for an earthquake or a flood
VALID = frozenset(LANGUAGE_COPY) | frozenset(LANGUAGE_COPY.values()) | {EU_INFO}

NAMES = {4370: "EU-Alert level 1", 4379: "EU-Amber", 4380: "EU-Monthly test", 4381: "EU-Exercise",
         4382: "EU-Reserved", 4396: "EU-Alert level 4", 4398: "EU-Test", EU_INFO: "EU-Info",
         **{i: "EU-Alert level 2" for i in (4371, 4372)},
         **{i: "EU-Alert level 3" for i in range(4373, 4379)}}

# Geographical Scope, the two top bits of the serial number (TS 23.041 sec. 9.4.1.2.1)
SCOPE_CELL_IMMEDIATE = 0  # cell wide, immediate display
SCOPE_PLMN = 1  # PLMN wide
SCOPE_TRACKING_AREA = 2  # location / service / tracking area wide
SCOPE_CELL = 3  # cell wide, normal display


def is_valid(message_id: int) -> bool:
    """Whether ``message_id`` is a public-warning identifier (EU-Alert 4370-4399, EU-Info 6400).

    >>> is_valid(4399), is_valid(4400), is_valid(6400)
    (True, False, True)
    """
    return int(message_id) in VALID


def language_copy(message_id: int) -> int:
    """The identifier that carries the additional-language copies of a warning sent as ``message_id``.

    >>> language_copy(4370), language_copy(4396), language_copy(6400)
    (4383, 4397, 6400)
    """
    message_id = int(message_id)
    if message_id in LANGUAGE_COPY:
        return LANGUAGE_COPY[message_id]
    if message_id in VALID:  # already a language copy, or EU-Info
        return message_id
    raise ValueError(f"{message_id} is not a public-warning message identifier (3GPP TS 23.041)")


def geographic_scope(area_mask) -> int:
    """The serial number's scope for a warning sent to these areas: the whole network, or its tracking areas.

    TS 23.041's codes: 1 PLMN wide, 2 location / service / tracking area wide.

    >>> geographic_scope([True, True]), geographic_scope([True, False])
    (1, 2)
    """
    return SCOPE_PLMN if bool(np.all(area_mask)) else SCOPE_TRACKING_AREA


def with_language(language: str, text: str) -> str:
    """An additional-language copy's text: the language indication first, as the data coding
    scheme 0x10 of 3GPP TS 23.038 (section 5) asks: two letters of ISO 639 and a CR.

    >>> with_language("en", "Evacuate the valley")
    'en\\rEvacuate the valley'
    """
    if len(language) != 2 or not language.isascii() or not language.isalpha() or not language.islower():
        raise ValueError(f"a two-letter ISO 639-1 language code such as en or de, got {language!r}")
    return f"{language}\r{text}"


def language_of(text: str) -> str | None:
    """The language a text announces with ``with_language``, or None.

    >>> language_of(with_language("de", "Tal räumen")), language_of("Evacuate the valley")
    ('de', None)
    """
    head = text[:3]
    if len(head) == 3 and head[2] == "\r" and head[:2].isascii() and head[:2].isalpha() and head[:2].islower():
        return head[:2]
    return None
