"""Deterministic addresses, ports and identities for emulated flows.

Only private (RFC 1918), documentation (RFC 5737) and administratively scoped
multicast (RFC 2365) IPv4 ranges are used, and only test-network identities
(MCC 001 / MNC 01, ITU-T E.212). Every address is a pure function of the area
index and the flow index, so a capture regenerated later is byte-identical.

Handset addresses are ``10.o2.o3.o4`` with every octet in 100..255, so the
dotted text that SIP and SDP carry always has the same width (14 characters)
and can be stamped in place.
"""

from __future__ import annotations

import numpy as np

#: Octet values with three decimal digits: 100..255 (156 values).
_OCTET_BASE = 100
_OCTET_SPAN = 156

#: RFC 1918 private range for handsets: 10.0.0.0/8.
UE_NET = 10 << 24

#: RFC 5737 TEST-NET-1: the IMS core (P-CSCF/E-CSCF and IP-SM-GW/SMSC).
PCSCF_IP = (192 << 24) | (0 << 16) | (2 << 8) | 10
SMSC_IP = (192 << 24) | (0 << 16) | (2 << 8) | 20
#: RFC 5737 TEST-NET-2: the 112 answering point (PSAP) media and SIP.
PSAP_IP = (198 << 24) | (51 << 16) | (100 << 8) | 10
#: RFC 5737 TEST-NET-3: cell broadcast centre, MME, background server.
CBC_IP = (203 << 24) | (0 << 16) | (113 << 8) | 10
MME_IP = (203 << 24) | (0 << 16) | (113 << 8) | 20
BULK_SERVER_IP = (203 << 24) | (0 << 16) | (113 << 8) | 80
#: RFC 2365 section 6.2 organization-local scope 239.192.0.0/14: PTT groups.
PTT_GROUP_NET = (239 << 24) | (192 << 16)

#: SIP over UDP default port (RFC 3261 section 18.1.1).
SIP_PORT = 5060
#: SBc-AP SCTP port (3GPP TS 29.168 section 7; IANA "sbcap").
SBCAP_PORT = 29168
#: SCTP payload protocol identifier for SBc-AP (3GPP TS 29.168 section 7; IANA).
SBCAP_PPID = 24
#: Background bulk data: UDP uploads to 443 (QUIC, RFC 9000) and TCP downloads
#: from 80 (HTTP, RFC 9110), example choices.
BULK_PORT = 443
BULK_TCP_PORT = 80

#: RTP uses even ports, RTCP the next odd one (RFC 3550 section 11).
UE_RTP_BASE = 10000
PSAP_RTP_BASE = 20000
PTT_RTP_BASE = 30000
_UE_PORT_SLOTS = (65534 - UE_RTP_BASE) // 2 + 1
_PSAP_PORT_SLOTS = (65534 - PSAP_RTP_BASE) // 2 + 1
_PTT_PORT_SLOTS = (65534 - PTT_RTP_BASE) // 2 + 1

#: Test PLMN (ITU-T E.212 MCC 001, MNC 01) and its IMS home domain (3GPP TS 23.003 section 13.2).
TEST_MCC = "001"
TEST_MNC = "01"
IMS_DOMAIN = "ims.mnc001.mcc001.3gppnetwork.org"
#: IMSI = MCC + MNC + 10-digit MSIN (3GPP TS 23.003 section 2.2): 15 digits.
IMSI_PREFIX = 1_01 * 10**10


def ue_ip(area_idx, flow_idx) -> np.ndarray:
    """Handset IPv4 (uint32): area picks octets 2-3, flow picks octet 4.

    Octets count from 100 in steps of 156 values, so area 157 is 1 x 156 + 1:

    >>> ip_text(int(ue_ip(0, 0))), ip_text(int(ue_ip(157, 5)))
    ('10.100.100.100', '10.101.101.105')
    """
    a = np.asarray(area_idx, dtype=np.int64) % (_OCTET_SPAN * _OCTET_SPAN)
    f = np.asarray(flow_idx, dtype=np.int64) % _OCTET_SPAN
    o2 = _OCTET_BASE + a // _OCTET_SPAN
    o3 = _OCTET_BASE + a % _OCTET_SPAN
    o4 = _OCTET_BASE + f
    return (np.uint32(UE_NET) | (o2.astype(np.uint32) << 16) | (o3.astype(np.uint32) << 8)
            | o4.astype(np.uint32))


def ue_rtp_port(flow_idx) -> np.ndarray:
    """Even RTP port at the handset, 10000..65534 (five digits).

    The 156 flows that share a port differ by their address (:func:`ue_ip`):

    >>> ue_rtp_port([0, 155, 156]).tolist()
    [10000, 10000, 10002]
    """
    f = np.asarray(flow_idx, dtype=np.int64) // _OCTET_SPAN
    return (UE_RTP_BASE + 2 * (f % _UE_PORT_SLOTS)).astype(np.int64)


def psap_rtp_port(serial) -> np.ndarray:
    """Even RTP port at the answering point, 20000..65534 (five digits).

    There are (65534 - 20000) / 2 + 1 = 22768 even ports; the next serial starts over:

    >>> psap_rtp_port([0, 1, 22767, 22768]).tolist()
    [20000, 20002, 65534, 20000]
    """
    s = np.asarray(serial, dtype=np.int64)
    return (PSAP_RTP_BASE + 2 * (s % _PSAP_PORT_SLOTS)).astype(np.int64)


def ptt_group_ip(area_idx) -> np.ndarray:
    """One responders' talk group per area, in 239.192.0.0/14.

    Octets 3 and 4 stay in 100..255 (and octet 2 is 192..195), so the dotted
    text the group's SDP carries is always 15 characters wide.

    >>> ip_text(int(ptt_group_ip(0))), ip_text(int(ptt_group_ip(157)))
    ('239.192.100.100', '239.192.101.101')
    """
    a = np.asarray(area_idx, dtype=np.int64) % (4 * _OCTET_SPAN * _OCTET_SPAN)
    block = a // (_OCTET_SPAN * _OCTET_SPAN)          # adds 0..3 to octet 2 (192..195)
    rest = a % (_OCTET_SPAN * _OCTET_SPAN)
    o3 = _OCTET_BASE + rest // _OCTET_SPAN
    o4 = _OCTET_BASE + rest % _OCTET_SPAN
    return (np.uint32(PTT_GROUP_NET) + (block.astype(np.uint32) << 16) + (o3.astype(np.uint32) << 8)
            + o4.astype(np.uint32)).astype(np.uint32)


def ptt_group_port(area_idx) -> np.ndarray:
    """Even RTP port of the area's talk group, 30000..65534.

    >>> ptt_group_port([0, 1]).tolist()
    [30000, 30002]
    """
    a = np.asarray(area_idx, dtype=np.int64)
    return (PTT_RTP_BASE + 2 * (a % _PTT_PORT_SLOTS)).astype(np.int64)


def imsi(area_idx, flow_idx) -> np.ndarray:
    """15-digit test-network IMSI: 001 01 + MSIN(area 5 digits, flow 5 digits).

    >>> f"{int(imsi(1, 2)):015d}"
    '001010000100002'
    """
    a = np.asarray(area_idx, dtype=np.int64) % 100000
    f = np.asarray(flow_idx, dtype=np.int64) % 100000
    return (IMSI_PREFIX + a * 100000 + f).astype(np.uint64)


def imei(key) -> np.ndarray:
    """15-digit device identity derived from the flow key (a made-up TAC 35).

    >>> str(int(imei(42)))
    '350000000000042'
    """
    k = np.asarray(key, dtype=np.uint64) % np.uint64(10**13)
    return (np.uint64(35 * 10**13) + k).astype(np.uint64)


def ip_text(ip: int) -> str:
    """Dotted-quad text of one uint32 address.

    >>> ip_text(PCSCF_IP), ip_text(0xC0000201)
    ('192.0.2.10', '192.0.2.1')
    """
    ip = int(ip)
    return ".".join(str((ip >> s) & 0xFF) for s in (24, 16, 8, 0))
