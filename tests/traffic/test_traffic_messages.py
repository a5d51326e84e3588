"""Every message kind read back from the capture with scapy and with tshark."""

from __future__ import annotations

import ipaddress
import re

import numpy as np
import pytest
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.rtp import RTP
from scapy.layers.sctp import SCTPChunkData

from d2c.traffic import records as R

from .conftest import AREAS, WARNING_TEXT, area_of_ue, read_pcap, tshark, tshark_fields


#: Emergency call INVITEs; the capture also holds the push-to-talk group INVITEs.
SOS_INVITE = 'sip.Method == "INVITE" && sip.r-uri == "urn:service:sos"'


@pytest.fixture(scope="module")
def signalling(scenario):
    """The scenario's capture without its RTP voice (172k of its 175k packets), cut by tshark itself
    (``-Y "!rtp"``): every other packet, SIP, SMS, SBc-AP and bulk data, is in it as it was, so
    the checks on them read it in one tshark pass each instead of a pass over all the voice."""
    res, pcap = scenario
    slim = pcap.with_name("signalling.pcap")
    tshark(pcap, "-Y", "!rtp", "-w", str(slim))
    return res, slim


@pytest.fixture(scope="module")
def rtp_rows(scenario):
    """Every RTP packet of the capture as Wireshark decodes it by default, read in one tshark pass:
    (ssrc, seq, timestamp, payload type, ip.src, ip.dst, time, udp.dstport)."""
    _, pcap = scenario
    return tshark_fields(pcap, "rtp", "rtp.ssrc", "rtp.seq", "rtp.timestamp", "rtp.p_type", "ip.src", "ip.dst",
                         "frame.time_epoch", "udp.dstport")


def _to_group(row) -> bool:
    """An RTP row sent to the RFC 2365 organisation-local scope the talk groups use, 239.192.0.0/14."""
    return ipaddress.ip_address(row[5]) in GROUPS


GROUPS = ipaddress.ip_network("239.192.0.0/14")


def _by_call(rows):
    out = {}
    for r in rows:
        out.setdefault(r[0], []).append(r[1:])
    return out


def test_invite_goes_to_urn_service_sos(signalling):
    # RFC 5031: the emergency service URN is the Request-URI; 3GPP TS 24.229.
    # Every INVITE is an emergency call or a responders' talk group; one emergency
    # INVITE got through for each call whose INVITE reached the network.
    res, pcap = signalling
    rows = tshark_fields(pcap, 'sip.Method == "INVITE"', "sip.r-uri", "sip.To")
    sos = [r for r in rows if r[0] == "urn:service:sos"]
    assert all(r[0].startswith("sip:group-") for r in rows if r not in sos)
    assert len(sos) == int(np.isfinite(res.calls["t_invite_rx_s"]).sum()) > 0
    assert all("urn:service:sos" in r[1] for r in sos)


def test_geolocation_header_references_the_pidf_lo_body(signalling):
    # RFC 6442 section 4.1: Geolocation: <cid:...> names the Content-ID (RFC 2392)
    # of the application/pidf+xml body part.
    _, pcap = signalling
    rows = tshark_fields(pcap, SOS_INVITE, "sip.Geolocation", "sip.Geolocation-Routing",
                         "mime_multipart.header.content-id", "mime_multipart.header.content-type")
    assert rows
    for geo, routing, cid, ctypes in rows:
        m = re.fullmatch(r"<cid:(.+)>", geo)
        assert m, geo
        assert f"<{m.group(1)}>" == cid
        assert routing == "yes"
        assert ctypes.split("|") == ["application/sdp", "application/pidf+xml"]


def test_pidf_lo_coordinates_are_the_callers_area(signalling):
    # RFC 4119 / RFC 5491: gml:Point in EPSG::4326, "lat lon" = the area centroid.
    _, pcap = signalling
    rows = tshark_fields(pcap, SOS_INVITE, "ip.src", "xml.cdata", "xml.attribute")
    assert rows
    for src, cdata, attrs in rows:
        area = area_of_ue(src)
        pos = next(c for c in cdata.split("|") if re.fullmatch(r"[+-]\d{2}\.\d{6} [+-]\d{3}\.\d{6}", c))
        lat, lon = (float(x) for x in pos.split())
        assert lat == pytest.approx(AREAS.lat_deg[area], abs=5e-7)
        assert lon == pytest.approx(AREAS.lon_deg[area], abs=5e-7)
        assert 'srsName="urn:ogc:def:crs:EPSG::4326"' in attrs


def test_sdp_offers_amr_wb_16000(signalling):
    # RFC 4867 section 8.1: rtpmap AMR-WB/16000, octet-aligned, mode-set 2 (12.65 kbit/s).
    _, pcap = signalling
    rows = tshark_fields(pcap, SOS_INVITE, "sdp.media_attr", "sdp.media")
    assert rows
    for attrs, media in rows:
        parts = attrs.split("|")
        assert "rtpmap:97 AMR-WB/16000" in parts
        assert "fmtp:97 mode-set=2;octet-align=1" in parts
        assert "ptime:20" in parts
        assert re.fullmatch(r"audio \d{5} RTP/AVP 97", media)


def test_answered_call_flow(signalling):
    # RFC 3261: INVITE, 100 Trying, 180 Ringing, 200 OK, ACK; BYE and its 200 OK
    # when the call ends within the run; all sharing one Call-ID.
    res, pcap = signalling
    rows = tshark_fields(pcap, "sip", "sip.Call-ID", "sip.Method", "sip.Status-Code", "sip.CSeq.method")
    calls = _by_call(rows)
    ended = res.calls[(res.calls["outcome"] == R.CALL_ANSWERED) & ~res.calls["dropped"]
                      & (res.calls["t_end_s"] <= res.t_end_s)]
    assert ended.size > 0
    seen_complete = 0
    for cid, msgs in calls.items():
        events = [(m or s, cseq) for m, s, cseq in msgs]
        if ("BYE", "BYE") in events:
            assert ("INVITE", "INVITE") in events and ("100", "INVITE") in events
            assert ("180", "INVITE") in events and ("200", "INVITE") in events
            assert ("ACK", "ACK") in events and ("200", "BYE") in events
            seen_complete += 1
    assert seen_complete == ended.size


def test_blocked_call_gets_503(signalling):
    # A call that finds no channel is answered 503 Service Unavailable
    # (RFC 3261 section 21.5.4) and the handset ACKs it (section 17.1.1.3).
    res, pcap = signalling
    rows = tshark_fields(pcap, "sip.Status-Code == 503", "sip.Call-ID", "sip.Status-Line", "ip.dst")
    blocked = res.calls[res.calls["outcome"] == R.CALL_BLOCKED]
    assert len(rows) == blocked.size > 0
    assert all(r[1] == "SIP/2.0 503 Service Unavailable" for r in rows)
    ids = {r[0].split("@")[0] for r in rows}
    assert ids == {f"{int(k):020d}" for k in blocked["key"]}
    acks = tshark_fields(pcap, 'sip.Method == "ACK" && sip.r-uri == "urn:service:sos"', "sip.Call-ID")
    assert {a[0] for a in acks} == {r[0] for r in rows}


def test_rtp_sequence_and_timestamps_are_continuous(rtp_rows):
    # RFC 3550 / RFC 4867: sequence +1 and timestamp +320 (20 ms at 16 kHz) per packet.
    # Lost packets leave gaps, so check ts - ts0 == 320 (seq - seq0) per stream,
    # and strict +1/+320 steps in Amatrice (no radio loss).
    assert len(rtp_rows) > 10000
    streams: dict[str, list] = {}
    for ssrc, seq, ts, pt, src, dst, t, _ in rtp_rows:
        assert pt == "97"
        streams.setdefault(ssrc, []).append((int(seq), int(ts), src, dst, float(t)))
    strict = 0
    for pkts in streams.values():
        pkts.sort(key=lambda p: p[4])
        seq = np.array([p[0] for p in pkts], dtype=np.int64)
        ts = np.array([p[1] for p in pkts], dtype=np.int64)
        dseq = np.mod(np.diff(seq), 1 << 16)
        dts = np.mod(np.diff(ts), 1 << 32)
        # with reordering by queueing, compare each packet to the stream's first
        rel_seq = np.mod(seq - seq[0], 1 << 16)
        rel_ts = np.mod(ts - ts[0], 1 << 32)
        assert np.array_equal(rel_ts, (320 * rel_seq) % (1 << 32))
        ue = pkts[0][2] if pkts[0][2].startswith("10.") else pkts[0][3]
        if area_of_ue(ue) == 0 and np.all(dseq == 1):
            assert np.all(dts == 320)
            strict += 1
    assert strict > 0


def test_sms_over_ip_is_dissected_as_gsm_sms(signalling):
    # 3GPP TS 24.341: SIP MESSAGE carrying application/vnd.3gpp.sms; the body is
    # RP-DATA (TS 24.011) with an SMS-SUBMIT (TS 23.040) in the GSM 7-bit alphabet.
    res, pcap = signalling
    rows = tshark_fields(pcap, 'sip.Method == "MESSAGE"', "sip.Content-Type", "gsm_a.rp.msg_type",
                         "gsm_sms.tp-mti", "gsm_sms.tp-da", "gsm_sms.sms_text", "ip.src")
    assert rows
    kinds = {"112": 0, "390000000001": 0}
    for ctype, rp_type, mti, da, text, src in rows:
        assert ctype == "application/vnd.3gpp.sms"
        assert rp_type == "0x00"            # RP-DATA, MS to network
        assert mti == "1"                   # SMS-SUBMIT
        kinds[da] += 1
        area = area_of_ue(src)
        if text.startswith("112 SMS"):
            m = re.search(r"Position ([+-]\d+\.\d+) ([+-]\d+\.\d+)", text)
            assert float(m.group(1)) == pytest.approx(AREAS.lat_deg[area], abs=5e-6)
            assert float(m.group(2)) == pytest.approx(AREAS.lon_deg[area], abs=5e-6)
    assert kinds["112"] > 0 and kinds["390000000001"] > 0
    delivered = res.sms[(res.sms["outcome"] == R.MSG_DELIVERED)]
    assert len(tshark_fields(pcap, "sip.Status-Code == 202", "sip.Call-ID")) == delivered.size


def test_aml_sms_carries_the_callers_location(signalling):
    # ETSI TS 103 625: A"ML=1;lt=..;lg=..;...;ml=<length>, sent for an emergency call.
    _, pcap = signalling
    rows = tshark_fields(pcap, 'gsm_sms.sms_text contains "ML=1"', "gsm_sms.sms_text", "ip.src", "gsm_sms.tp-da")
    assert rows
    for text, src, da in rows:
        assert text.startswith('A"ML=1;') and da == "112"
        fields = dict(kv.split("=", 1) for kv in text.split(";"))
        area = area_of_ue(src)
        assert float(fields["lt"]) == pytest.approx(AREAS.lat_deg[area], abs=5e-6)
        assert float(fields["lg"]) == pytest.approx(AREAS.lon_deg[area], abs=5e-6)
        assert int(fields["ml"]) == len(text)
        assert fields["mcc"] == "001" and len(fields["si"]) == 15


def test_cell_broadcast_warning_is_dissected(signalling):
    # 3GPP TS 29.168: SBc-AP Write-Replace-Warning-Request over SCTP (PPID 24);
    # TS 23.041: the message identifier sent (4370, EU-Alert level 1), CB data decoded to the warning text.
    res, pcap = signalling
    rows = tshark_fields(pcap, "sbcap", "sctp.data_payload_proto_id", "sbc-ap.Message_Identifier",
                         "sbc-ap.tAC", "sbc-ap.WarningMessageContents.decoded_page",
                         "sbc-ap.Repetition_Period")
    reached = res.warnings[res.warnings["reached"]]
    assert len(rows) == reached.size > 0
    for ppid, mid, tac, page, rep in rows:
        assert ppid == "24"
        assert int(mid) == 4370
        assert page.rstrip("\r") == WARNING_TEXT
        assert rep == "60"
    assert sorted(int(r[2], 0) for r in rows) == sorted(int(a) + 1 for a in reached["area"])


def test_push_to_talk_goes_to_a_group_address(scenario, rtp_rows, signalling):
    # Responders' group voice: RTP to an RFC 2365 organisation-local multicast group,
    # decoded as RTP by Wireshark's default settings (no heuristics switched on).
    res, _ = scenario
    rows = [r for r in rtp_rows if _to_group(r)]
    served = res.ptt[res.ptt["served"] & (res.ptt["sent"] > 0)]
    assert served.size > 0
    assert len(rows) == int((served["sent"] - served["lost"]).sum())
    assert {r[3] for r in rows} == {"97"}
    # nothing else goes to the groups: no packet that Wireshark does not decode as RTP
    assert tshark_fields(signalling[1], "udp && ip.dst == 239.192.0.0/14", "frame.number") == []


def test_push_to_talk_sessions_are_set_up_before_they_talk(signalling, rtp_rows):
    # Each session opens with a group call set-up (3GPP TS 24.379 pre-arranged group
    # call, simplified): INVITE sip:group-NNNNNN@mcptt... from the handset, 200 OK whose
    # SDP names the group's multicast address and port, before the first talk burst.
    res, pcap = signalling
    served = res.ptt[res.ptt["served"] & (res.ptt["sent"] > 0)]
    invites = tshark_fields(pcap, 'sip.Method == "INVITE" && sip.r-uri contains "group-"',
                            "ip.src", "sip.r-uri", "sip.Call-ID")
    assert len(invites) == served.size
    for src, ruri, _ in invites:
        # The fixture's five areas are indices 0..4; the group is the caller's area.
        assert ruri.startswith(f"sip:group-{area_of_ue(src):06d}@mcptt.")
    answers = tshark_fields(pcap, 'sip.Status-Code == 200 && sip.CSeq.method == "INVITE" '
                            '&& sdp.connection_info.address contains "239.192."',
                            "frame.time_epoch", "ip.dst", "sdp.connection_info.address", "sdp.media.port")
    assert len(answers) == served.size
    # Area a's group is 239.192.(100 + a // 156).(100 + a % 156), port 30000 + 2a (by hand).
    groups = {(f"239.192.100.{100 + a}", str(30000 + 2 * a)) for a in range(5)}
    talk = [(r[6], r[4], r[5], r[7]) for r in rtp_rows if _to_group(r)]
    first_burst = {}
    for t, src, dst, port in talk:
        assert (dst, port) in groups
        first_burst[(src, dst, port)] = min(float(t), first_burst.get((src, dst, port), float("inf")))
    answered = {}
    for t, ue, grp, port in answers:
        assert (grp, port) in groups
        key = (ue, grp, port)
        answered[key] = min(float(t), answered.get(key, float("inf")))
    for key, t_talk in first_burst.items():
        assert key in answered and answered[key] < t_talk


def test_background_bulk_data(signalling):
    # Best-effort bulk flows: UDP datagrams of 1200 octets to 443 (RFC 9000 minimum
    # datagram) and TCP segments of 1460 octets from 80, sequence numbers
    # advancing by the segment size (RFC 793).
    res, pcap = signalling
    b = res.bulk[res.bulk["packets"] > 0]
    assert b["tcp"].any() and (~b["tcp"]).any()
    udp = tshark_fields(pcap, "udp.dstport == 443", "udp.length")
    assert len(udp) == int((b["packets"] - b["lost"])[~b["tcp"]].sum())
    assert {r[0] for r in udp} == {str(8 + 1200)}
    tcp = tshark_fields(pcap, "tcp.srcport == 80", "tcp.stream", "tcp.seq_raw", "tcp.len",
                        extra=("-o", "tcp.analyze_sequence_numbers:FALSE"))
    assert len(tcp) == int((b["packets"] - b["lost"])[b["tcp"]].sum())
    for stream in {r[0] for r in tcp}:
        seqs = sorted(int(r[1]) for r in tcp if r[0] == stream)
        assert all((y - x) % 1460 == 0 for x, y in zip(seqs, seqs[1:]))
    assert {r[2] for r in tcp} == {"1460"}
    # no bearer, nothing sent
    assert np.all(res.bulk["packets"][res.bulk["bearer"] == 0] == 0)


def test_scapy_parses_the_capture_back(scenario):
    # Every SIP, SCTP and bulk packet, and the first RTP packets, dissected by scapy.
    res, pcap = scenario
    methods, rtp, sctp, bulk = {}, 0, 0, 0
    for _, raw in read_pcap(pcap):
        proto, sport, dport = raw[9], int.from_bytes(raw[20:22], "big"), int.from_bytes(raw[22:24], "big")
        is_sip = proto == 17 and 5060 in (sport, dport)
        is_bulk = proto == 6 or (proto == 17 and dport == 443)
        is_rtp = proto == 17 and not is_sip and not is_bulk
        if is_rtp and rtp >= 500:
            continue
        ip = IP(raw)
        assert ip.version == 4 and ip.len == len(raw)
        if is_sip:
            first = bytes(ip[UDP].payload).split(b"\r\n", 1)[0].decode()
            word = first.split()[1] if first.startswith("SIP/2.0") else first.split()[0]
            methods[word] = methods.get(word, 0) + 1
        elif is_rtp:
            r = RTP(bytes(ip[UDP].payload))
            assert r.version == 2 and r.payload_type == 97
            rtp += 1
        elif is_bulk:
            assert (TCP in ip and ip[TCP].sport == 80) or (UDP in ip and len(ip[UDP].payload) == 1200)
            bulk += 1
        else:
            assert ip[SCTPChunkData].proto_id == 24
            sctp += 1
    assert {"INVITE", "100", "180", "200", "ACK", "BYE", "MESSAGE", "202", "503"} <= set(methods)
    assert methods["503"] == int((res.calls["outcome"] == R.CALL_BLOCKED).sum())
    assert rtp == 500 and sctp == int(res.warnings["reached"].sum())
    assert bulk == int((res.bulk["packets"] - res.bulk["lost"]).sum()) > 0


def test_capture_has_no_malformed_packets_or_bad_checksums(scenario):
    # Wireshark validates IPv4 (RFC 791), UDP (RFC 768) and SCTP CRC32c (RFC 4960)
    # checksums and reports any packet its dissectors cannot parse.
    _, pcap = scenario
    out = tshark(pcap, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                 "-o", "sctp.checksum:crc32c", "-o", "rtp.heuristic_rtp:TRUE",
                 "-Y", "_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == \"Bad\" "
                       "|| udp.checksum.status == \"Bad\" || sctp.checksum.status == \"Bad\"")
    assert out.strip() == ""
