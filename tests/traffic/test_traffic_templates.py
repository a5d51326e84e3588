"""Templates: built once with scapy, stamped with numpy, byte-identical to
building each packet with scapy; checksums valid (RFC 791, RFC 768, RFC 793,
RFC 4960 Appendix B)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.sctp import SCTP

from d2c.traffic import addressing as A
from d2c.traffic import cbs, wire
from d2c.traffic.templates import KINDS, SIP_KINDS, build_with_scapy, get_template

N = 5


def _flow_values(kind: str) -> dict:
    """A handful of flows with extreme and ordinary values for every field."""
    area = np.array([0, 1, 155, 11853, 24335])
    flow = np.array([0, 1, 155, 70000, 4_000_000])
    key = np.array([0, 1, 2**63 + 12345, 18446744073709551615, 9876543210123456789], dtype=np.uint64)
    ue = A.ue_ip(area, flow)
    v = {
        "ip_id": np.array([0, 1, 4660, 65534, 65535]),
        "ip_src": ue, "ip_dst": np.full(N, A.PCSCF_IP, dtype=np.uint32),
        "sport": np.array([5060, 5060, 10000, 65534, 1]),
        "dport": np.array([5060, 5061, 20000, 30000, 65535]),
        "ue_ip": ue, "imsi": A.imsi(area, flow), "imei": A.imei(key), "call_id": key,
        "ftag": np.array([0, 1, 123456789, 4294967295, 9999999999]),
        "ttag": np.array([9999999999, 5, 6, 7, 0]),
        "br": np.array([0, 1, 10**15, 9999999999999999, 42]),
        "sess": np.array([0, 1, 2, 3, 9999999999]), "cseq": np.array([10000, 10001, 55555, 99998, 99999]),
        "ue_port": A.ue_rtp_port(flow), "psap_port": A.psap_rtp_port(flow),
        "pidf_lat": np.array([42.628611, -33.4489, 0.0, 89.9999999, -0.0000004]),
        "pidf_lon": np.array([13.288889, -70.6693, 179.9999994, -179.5, 0.0]),
        "ts": np.array([1472002560.0, 0.0, 1e9 + 0.999, 2**31 - 1.0, 1700000000.25]),
        "top": np.array([1472002560.0, 0.0, 1e9 + 0.999, 2**31 - 1.0, 1700000000.25]),
        "aml_lat": np.array([42.628611, -33.4489, 0.0, 89.9999999, -0.0000004]),
        "aml_lon": np.array([13.288889, -70.6693, 179.9999994, -179.5, 0.0]),
        "rp_mr": np.array([0, 1, 127, 128, 255]), "tp_mr": np.array([255, 0, 1, 2, 3]),
    }
    if kind == "rtp":
        v = {k: v[k] for k in ("ip_id", "ip_src", "ip_dst", "sport", "dport")}
        v.update(rtp_mpt=np.array([97 | 0x80, 97, 97, 97, 97]), rtp_seq=np.array([0, 1, 2, 65535, 65534]),
                 rtp_ts=np.array([0, 320, 640, 2**32 - 1, 2**32 - 320]),
                 rtp_ssrc=np.array([0, 1, 0xDEADBEEF, 2**32 - 1, 7]))
    elif kind == "cbs":
        texts = [WARN, "x", "è à ù ì ò", "ALLERTA " * 11, ""]
        v = {k: v[k] for k in ("ip_id", "sport", "dport")}
        v.update(msg_id=np.array([4370, 4371, 4375, 4380, 4383]), serial=np.array([cbs.serial_number(i) for i in range(N)]),
                 tac=np.array([1, 2, 300, 65535, 7]), tsn=np.array([0, 1, 2, 2**32 - 1, 5]),
                 cb_data=np.array([np.frombuffer(cbs.cb_data(t, 1), dtype=np.uint8) for t in texts]))
    elif kind in ("bulk_udp", "bulk_tcp"):
        v = {k: v[k] for k in ("ip_id", "ip_src", "ip_dst", "sport", "dport")}
        if kind == "bulk_tcp":
            v.update(tcp_seq=np.array([0, 1460, 2920, 2**32 - 1, 5]), tcp_ack=np.array([1, 2, 3, 4, 5]))
    return v


WARN = "IT-alert: forte scossa di terremoto. Allontanarsi dagli edifici."


def _scalar(values: dict, i: int) -> dict:
    out = {}
    for k, v in values.items():
        x = v[i]
        out[k] = bytes(x) if k == "cb_data" else (x.item() if hasattr(x, "item") else x)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_built_once_with_scapy(kind):
    # The template's bytes are what scapy builds for the placeholder values,
    # and repeated requests return the same object (built once).
    tpl = get_template(kind)
    assert get_template(kind) is tpl
    assert bytes(tpl.base) == build_with_scapy(kind)
    assert not tpl.base.flags.writeable


@pytest.mark.parametrize("kind", KINDS)
def test_stamping_is_byte_identical_to_scapy_one_by_one(kind):
    values = _flow_values(kind)
    stamped = get_template(kind).stamp(N, values)
    for i in range(N):
        ref = build_with_scapy(kind, **_scalar(values, i))
        assert bytes(stamped[i]) == ref, f"{kind} flow {i} differs at byte " \
            f"{next(j for j in range(len(ref)) if ref[j] != stamped[i][j])}"


@pytest.mark.parametrize("kind", KINDS)
def test_stamped_checksums_are_valid(kind):
    # Recompute every checksum with scapy (delete and rebuild) and compare:
    # IPv4 header (RFC 791/1071), UDP (RFC 768), TCP (RFC 793), SCTP CRC32c (RFC 4960).
    stamped = get_template(kind).stamp(N, _flow_values(kind))
    for row in stamped:
        pkt = IP(bytes(row))
        fresh = pkt.copy()
        del fresh.chksum
        layer = UDP if UDP in pkt else TCP if TCP in pkt else SCTP
        del fresh[layer].chksum
        rebuilt = IP(bytes(fresh))
        assert pkt.chksum == rebuilt.chksum
        assert pkt[layer].chksum == rebuilt[layer].chksum
        assert pkt.len == len(row)


def test_sip_lengths_and_text_fields_are_fixed_width():
    # Content-Length equals the body actually carried, whatever the values
    # (RFC 3261 section 20.14), and the Via address is the handset's IP address.
    from d2c.traffic.sip import UPLINK

    values = _flow_values("invite")
    for kind in SIP_KINDS:
        v = dict(values)
        if kind not in UPLINK:
            v["ip_src"], v["ip_dst"] = values["ip_dst"], values["ip_src"]
        stamped = get_template(kind).stamp(N, v)
        assert len({row.size for row in stamped}) == 1
        for row in stamped:
            payload = bytes(row[28:])
            head, _, body = payload.partition(b"\r\n\r\n")
            clen = int(re.search(rb"Content-Length: (\d+)", head).group(1))
            assert clen == len(body)
            via = re.search(rb"Via: SIP/2.0/UDP ([0-9.]+):5060", head).group(1).decode()
            ue = row[12:16] if kind in UPLINK else row[16:20]
            assert via == ".".join(str(b) for b in ue)


def test_gsm7_packing_matches_ts_23038_example():
    # The 'hellohello' packing example of 3GPP TS 23.038 / 23.040 practice:
    # E8 32 9B FD 46 97 D9 EC 37.
    expected = bytes.fromhex("E8329BFD4697D9EC37")
    assert wire.gsm7_pack_bytes(b"hellohello") == expected
    sep = np.frombuffer(b"hellohello", dtype=np.uint8)[None, :]
    assert bytes(wire.gsm7_pack(sep)[0]) == expected


def test_crc32c_check_values():
    # CRC-32C check value for "123456789" is 0xE3069283; 32 zero octets give
    # 0x8A9136AA (RFC 3720 Appendix B.4).
    assert int(wire.crc32c_rows(np.frombuffer(b"123456789", dtype=np.uint8)[None, :])[0]) == 0xE3069283
    assert int(wire.crc32c_rows(np.zeros((1, 32), dtype=np.uint8))[0]) == 0x8A9136AA


def test_ipv4_header_checksum_known_header():
    # A textbook IPv4 header (RFC 1071 algorithm): 4500 0073 0000 4000 4011 xxxx
    # c0a8 0001 c0a8 00c7 has checksum 0xB861.
    hdr = np.frombuffer(bytes.fromhex("450000730000400040110000c0a80001c0a800c7"), dtype=np.uint8)[None, :].copy()
    wire.set_ipv4_checksum(hdr)
    assert bytes(hdr[0, 10:12]) == bytes.fromhex("b861")
