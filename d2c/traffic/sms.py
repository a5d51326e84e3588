"""SMS over IP bodies: RP-DATA (3GPP TS 24.011) carrying an SMS-SUBMIT TPDU
(3GPP TS 23.040), text in the GSM 7-bit default alphabet (3GPP TS 23.038).

The body goes into a SIP MESSAGE with ``Content-Type: application/vnd.3gpp.sms``
(3GPP TS 24.341 section 5.3.1.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from . import wire
from .layout import Layout, placeholder

#: RP-DATA, mobile station to network (3GPP TS 24.011 section 8.2.2, table 8.3).
RP_DATA_MS_TO_NETWORK = 0x00
#: SMS-SUBMIT first octet: TP-MTI=01, TP-RD=0, TP-VPF=00, TP-SRR=0, TP-UDHI=0, TP-RP=0
#: (3GPP TS 23.040 section 9.2.2.2).
SMS_SUBMIT_FIRST_OCTET = 0x01
#: TP-PID 0: plain short message (TS 23.040 section 9.2.3.9).
TP_PID_DEFAULT = 0x00
#: TP-DCS 0: GSM 7-bit default alphabet, no class (TS 23.038 section 4).
TP_DCS_GSM7 = 0x00
#: Type-of-address octets (TS 24.008 section 10.5.4.7 / TS 23.040 section 9.1.2.5):
#: international E.164 = 0x91, unknown type E.164 plan = 0x81.
TOA_INTERNATIONAL = 0x91
TOA_UNKNOWN = 0x81
#: SMS centre address of the emulated network (fictional, inside +39 0000...).
SMSC_E164 = "390000000000"
#: Maximum characters in one GSM 7-bit SMS (TS 23.038 section 6.1.2.1: 140 octets).
MAX_SEPTETS = 160

# GSM 7-bit default alphabet (TS 23.038 section 6.2.1): characters whose code
# differs from ASCII, plus the Italian letters the default table carries.
_GSM7_SPECIAL = {
    "@": 0x00, "£": 0x01, "$": 0x02, "¥": 0x03, "è": 0x04, "é": 0x05, "ù": 0x06,
    "ì": 0x07, "ò": 0x08, "Ç": 0x09, "\n": 0x0A, "Ø": 0x0B, "ø": 0x0C, "\r": 0x0D,
    "Å": 0x0E, "å": 0x0F, "_": 0x11, "Æ": 0x1C, "æ": 0x1D, "ß": 0x1E, "É": 0x1F,
    "¤": 0x24, "¡": 0x40, "Ä": 0x5B, "Ö": 0x5C, "Ñ": 0x5D, "Ü": 0x5E, "§": 0x5F,
    "¿": 0x60, "ä": 0x7B, "ö": 0x7C, "ñ": 0x7D, "ü": 0x7E, "à": 0x7F,
}
_GSM7_SAME_AS_ASCII = set(" !\"#%&'()*+,-./0123456789:;<=>?"
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def gsm7_septets(text: str) -> bytes:
    """Map text to GSM default-alphabet septets; unsupported characters become '?'."""
    out = bytearray()
    for ch in text:
        if ch in _GSM7_SPECIAL:
            out.append(_GSM7_SPECIAL[ch])
        elif ch in _GSM7_SAME_AS_ASCII:
            out.append(ord(ch))
        else:
            out.append(ord("?"))
    return bytes(out)


def bcd_digits(digits: str) -> bytes:
    """Semi-octet (swapped nibble) BCD with 0xF filler (TS 23.040 section 9.1.2.3)."""
    if len(digits) % 2:
        digits += "F"
    return bytes(int(digits[i + 1], 16) << 4 | int(digits[i], 16) for i in range(0, len(digits), 2))


@dataclass(frozen=True)
class UserText:
    """The SMS text as septets with its own named fields (for stamping)."""

    septets: bytes
    offsets: dict[str, tuple[int, ...]]
    widths: dict[str, int]


def user_text(template: str, values: Mapping[str, bytes] | None = None) -> UserText:
    """Render the SMS text; field values are digits/signs, identical in ASCII and GSM 7-bit."""
    lay = Layout().text(template, values)
    text = lay.buf.decode("ascii")
    septets = gsm7_septets(text)
    if len(septets) > MAX_SEPTETS:
        raise ValueError(f"SMS text of {len(septets)} characters exceeds {MAX_SEPTETS}")
    return UserText(septets, {k: tuple(v) for k, v in lay.offsets.items()}, dict(lay.widths))


def rp_data(text: UserText, tp_da: str, tp_da_toa: int,
            values: Mapping[str, bytes] | None = None) -> tuple[Layout, int]:
    """RP-DATA (MS to network) with an SMS-SUBMIT; returns the layout and the
    offset of the packed user data inside it."""
    vals = values or {}
    ud = wire.gsm7_pack_bytes(text.septets)
    tpdu = Layout()
    tpdu.binary(bytes([SMS_SUBMIT_FIRST_OCTET]))
    tpdu.field("tp_mr", vals.get("tp_mr", placeholder("tp_mr")))
    tpdu.binary(bytes([len(tp_da), tp_da_toa]) + bcd_digits(tp_da))
    tpdu.binary(bytes([TP_PID_DEFAULT, TP_DCS_GSM7, len(text.septets)]))
    tpdu.field("ud", ud)

    smsc = bytes([TOA_INTERNATIONAL]) + bcd_digits(SMSC_E164)
    rp = Layout()
    rp.binary(bytes([RP_DATA_MS_TO_NETWORK]))
    rp.field("rp_mr", vals.get("rp_mr", placeholder("rp_mr")))
    rp.binary(bytes([0]))                      # RP-Originator Address: empty for MO
    rp.binary(bytes([len(smsc)]) + smsc)       # RP-Destination Address: the SMSC
    rp.binary(bytes([len(tpdu.buf)]))          # RP-User Data length
    rp.extend(tpdu)
    return rp, rp.offsets["ud"][0]


def stamp_user_text(text: UserText, columns: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """Stamp text fields into (n, k) septets and pack them: (n, ceil(7k/8))."""
    sep = np.broadcast_to(np.frombuffer(text.septets, dtype=np.uint8), (n, len(text.septets))).copy()
    for name, col in columns.items():
        w = text.widths[name]
        for off in text.offsets.get(name, ()):
            sep[:, off:off + w] = col
    return wire.gsm7_pack(sep)
