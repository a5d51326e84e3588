"""Public warning as the cell broadcast centre sends it towards the cells.

Framing: SBc-AP WRITE-REPLACE WARNING REQUEST (3GPP TS 29.168 section 4.3.4.3),
ASN.1 aligned PER (ITU-T X.691), in an SCTP DATA chunk with payload protocol
identifier 24 to port 29168, from the CBC to the MME. The MME relays it over
S1-AP to the eNodeBs of the listed tracking areas, which broadcast it (SIB12 for
CMAS / EU-Alert). Wireshark dissects SBc-AP natively (``sbcap``).

The warning text is the E-UTRAN "CB Data" of 3GPP TS 23.041 section 9.4.2.2.5:
a page count, then per page 82 octets of GSM 7-bit text and one length octet.
"""

from __future__ import annotations

from d2c.pws import language_of

from .layout import Layout, placeholder
from .sms import gsm7_septets
from . import wire

# Public-warning message identifiers, language copies and scope: d2c.pws.

#: SBc-AP procedure code and IE identifiers (3GPP TS 29.168 section 4.4.7).
PROC_WRITE_REPLACE_WARNING = 0
IE_DATA_CODING_SCHEME = 3
IE_MESSAGE_IDENTIFIER = 5
IE_NUMBER_OF_BROADCASTS_REQUESTED = 7
IE_REPETITION_PERIOD = 10
IE_SERIAL_NUMBER = 11
IE_WARNING_AREA_LIST = 15
IE_WARNING_MESSAGE_CONTENT = 16
#: Criticality ENUMERATED {reject, ignore, notify} (TS 29.168 section 4.4.6).
CRIT_REJECT = 0
CRIT_IGNORE = 1

#: Repeat every 60 s until told to stop: Number-of-Broadcasts-Requested = 0 with
#: a repetition period > 0 means "broadcast until further notice" for CMAS
#: (TS 29.168 section 4.4.5, Number-of-Broadcasts-Requested).
REPETITION_PERIOD_S = 60
NUMBER_OF_BROADCASTS = 0
#: CBS data coding scheme 0x0F: GSM 7-bit default alphabet, language unspecified;
#: 0x10: GSM 7-bit default alphabet, the message preceded by a language indication
#: (two letters of ISO 639 and a CR), as additional-language copies are sent
#: (3GPP TS 23.038 section 5).
CBS_DCS_GSM7 = 0x0F
CBS_DCS_GSM7_LANGUAGE = 0x10
#: One CBS page carries 82 octets = 93 GSM 7-bit characters (TS 23.041 section 9.4.2.2.5).
PAGE_OCTETS = 82
PAGE_CHARS = 93
MAX_PAGES = 15
#: Test PLMN 001/01 as a TBCD PLMN identity (3GPP TS 24.008 section 10.5.1.13).
PLMN_TBCD = bytes([0x00, 0xF1, 0x10])
#: Padding character for unused page characters: carriage return (TS 23.038 section 6.1.2.3.1).
PAD_CHAR = 0x0D


def serial_number(message_code: int, update: int = 0, scope: int = 0) -> int:
    """Serial number: GS (2 bits) | message code (10 bits) | update (4 bits)
    (TS 23.041 section 9.4.1.2.1). Scope: ``d2c.pws.SCOPE_*`` (0 = cell wide, immediate display).

    >>> hex(serial_number(5, scope=2))
    '0x8050'
    """
    return ((scope & 0x3) << 14) | ((message_code & 0x3FF) << 4) | (update & 0xF)


def data_coding_scheme(text: str) -> int:
    """0x10 for a text that starts with a language indication (``d2c.pws.with_language``), else 0x0F.

    >>> data_coding_scheme("en\\rEvacuate"), data_coding_scheme("Evacuate")
    (16, 15)
    """
    return CBS_DCS_GSM7 if language_of(text) is None else CBS_DCS_GSM7_LANGUAGE


def pages_needed(text: str) -> int:
    n = max(1, -(-len(gsm7_septets(text)) // PAGE_CHARS))
    if n > MAX_PAGES:
        raise ValueError(f"warning text needs {n} pages, more than {MAX_PAGES}")
    return n


def cb_data(text: str, pages: int | None = None) -> bytes:
    """CB Data IE content (TS 23.041 section 9.4.2.2.5) for one warning text."""
    septets = gsm7_septets(text)
    n = pages if pages is not None else pages_needed(text)
    out = bytearray([n])
    for p in range(n):
        chunk = septets[p * PAGE_CHARS:(p + 1) * PAGE_CHARS]
        used = wire.gsm7_pack_bytes(chunk)
        padded = chunk + bytes([PAD_CHAR]) * (PAGE_CHARS - len(chunk))
        out += wire.gsm7_pack_bytes(padded)[:PAGE_OCTETS]
        out.append(len(used))
    return bytes(out)


def _length(n: int) -> bytes:
    """X.691 section 11.9 unconstrained length determinant (aligned)."""
    if n < 128:
        return bytes([n])
    if n < 16384:
        return (0x8000 | n).to_bytes(2, "big")
    raise ValueError("SBc-AP message too long for a single length determinant")


def _ie(lay: Layout, ie_id: int, crit: int, value: Layout) -> None:
    """ProtocolIE-Field: id (2 octets), criticality (2 bits, padded), open type."""
    lay.binary(ie_id.to_bytes(2, "big") + bytes([crit << 6]) + _length(len(value.buf)))
    lay.extend(value)


def write_replace_warning_request(pages: int, values: dict | None = None) -> Layout:
    """SBC-AP-PDU initiatingMessage / Write-Replace-Warning-Request, aligned PER."""
    v = values or {}
    content_len = 1 + pages * (PAGE_OCTETS + 1)

    def f(name: str, width: int | None = None) -> Layout:
        return Layout().field(name, v.get(name, placeholder(name, width)))

    # Warning-Area-List CHOICE (extensible, 3 roots): ext bit 0, index 1
    # (tracking-Area-List-for-Warning) -> 0b001, then a 2-octet count-1 of TAIs;
    # each TAI is a SEQUENCE with one OPTIONAL -> 1 preamble bit, then PLMN (3) + TAC (2).
    area = Layout().binary(bytes([0x20, 0x00, 0x00, 0x00]) + PLMN_TBCD)
    area.extend(f("tac"))
    content = Layout().binary((content_len - 1).to_bytes(2, "big"))  # SIZE(1..9600): n-1
    content.extend(f("cb_data", content_len))

    ies = Layout()
    _ie(ies, IE_MESSAGE_IDENTIFIER, CRIT_REJECT, f("msg_id"))
    _ie(ies, IE_SERIAL_NUMBER, CRIT_REJECT, f("serial"))
    _ie(ies, IE_WARNING_AREA_LIST, CRIT_IGNORE, area)
    _ie(ies, IE_REPETITION_PERIOD, CRIT_REJECT, Layout().binary(REPETITION_PERIOD_S.to_bytes(2, "big")))
    _ie(ies, IE_NUMBER_OF_BROADCASTS_REQUESTED, CRIT_REJECT,
        Layout().binary(NUMBER_OF_BROADCASTS.to_bytes(2, "big")))
    _ie(ies, IE_DATA_CODING_SCHEME, CRIT_IGNORE, f("dcs"))
    _ie(ies, IE_WARNING_MESSAGE_CONTENT, CRIT_IGNORE, content)

    # Write-Replace-Warning-Request: ext bit + optional bit (padded), then the
    # IE count as a 2-octet constrained whole number (SIZE 0..65535).
    body = Layout().binary(bytes([0x00]) + (7).to_bytes(2, "big"))
    body.extend(ies)

    # SBC-AP-PDU CHOICE initiatingMessage (ext 0, index 0), procedureCode (1 octet),
    # criticality reject (2 bits, padded), open-type length, value.
    pdu = Layout().binary(bytes([0x00, PROC_WRITE_REPLACE_WARNING, CRIT_REJECT << 6])
                          + _length(len(body.buf)))
    pdu.extend(body)
    return pdu
