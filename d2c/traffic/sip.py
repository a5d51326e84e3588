"""SIP message texts of an IMS emergency call and of SMS over IP.

* Emergency call: INVITE to ``urn:service:sos`` (RFC 5031; 3GPP TS 24.229
  section 5.1.6) with a multipart/mixed body (RFC 2046) holding the SDP offer
  (RFC 4566) and a PIDF-LO location by value (RFC 4119, point shape per
  RFC 5491 section 5.2.1), referenced by a ``Geolocation: <cid:...>`` header
  (RFC 6442 section 4.1, cid URL per RFC 2392).
* Media: AMR-WB, RTP payload type 97, octet-aligned (RFC 4867 section 8.1),
  ``mode-set=2`` = 12.65 kbit/s, 20 ms per packet.
* SMS over IP: SIP MESSAGE, ``Content-Type: application/vnd.3gpp.sms``
  (3GPP TS 24.341 section 5.3.1.2), answered with 202 Accepted.
* Responders' push-to-talk: the set-up of a pre-arranged group call as in
  MCPTT (3GPP TS 24.379 section 10.1.1): an INVITE to the talk group with the
  MCPTT service identifier, the handset's SDP offer, and a 200 OK whose SDP
  answer names the group's multicast address (RFC 4566 section 5.7), then ACK.
  Simplified: the group is named in the Request-URI, and the
  ``application/vnd.3gpp.mcptt-info+xml`` body and floor control (TS 24.380)
  are left out. Its purpose is that Wireshark links the talk bursts to a
  session and decodes them as RTP / AMR-WB rather than bare UDP data.

All texts are written with ``{field}`` placeholders of fixed width (see
:mod:`d2c.traffic.layout`); Content-Length is therefore a constant per kind.
"""

from __future__ import annotations

from typing import Mapping

from .addressing import IMS_DOMAIN, PCSCF_IP, PSAP_IP, SMSC_IP, ip_text, TEST_MCC, TEST_MNC
from .layout import Layout
from . import sms

#: Dynamic RTP payload type used for AMR-WB (RFC 3551 section 6: 96-127 are dynamic).
AMR_WB_PT = 97
#: AMR-WB RTP clock rate, Hz (RFC 4867 section 4.1).
AMR_WB_CLOCK_HZ = 16000
#: AMR-WB mode 2 = 12.65 kbit/s (3GPP TS 26.201 table 1a; RFC 4867 mode-set).
AMR_WB_MODE = 2
#: Max-Forwards initial value (RFC 3261 section 8.1.1.6).
MAX_FORWARDS = 70

#: MCPTT IMS communication service identifier (3GPP TS 24.379 section 4; TS 24.229 ICSI).
MCPTT_ICSI = "urn:urn-7:3gpp-service.ims.icsi.mcptt"
#: Multicast TTL in a group's SDP: RFC 4566 section 5.7 requires one for IPv4
#: multicast; 127 is the RFC's own example value (assumed: any 32-255 reaches
#: an organisation-local scope).
PTT_SDP_TTL = 127

PSAP_URI = f"sip:psap@{ip_text(PSAP_IP)}:5060"
MCPTT_DOMAIN = "mcptt." + IMS_DOMAIN
PTT_GROUP_URI = "sip:group-{grp}@" + MCPTT_DOMAIN
MCPTT_SERVER_URI = f"sip:mcptt-server@{MCPTT_DOMAIN}"
SMSC_URI = f"sip:smsc@{IMS_DOMAIN}"
BOUNDARY = "d2c-boundary-112"
PUBLIC_SMS_DESTINATION = "390000000001"
#: AML SMS destination: the emergency number the handset dialled (an assumption:
#: ETSI TS 103 625 leaves the endpoint number to national configuration).
AML_DESTINATION = "112"

_UE_VIA = "Via: SIP/2.0/UDP {ue_ip}:5060;branch=z9hG4bK{br}\r\n"
_UE_FROM = "From: <sip:{imsi}@" + IMS_DOMAIN + ">;tag={ftag}\r\n"
_CALL_ID = "Call-ID: {call_id}@{ue_ip}\r\n"

# --------------------------------------------------------------------------- bodies

SDP_OFFER = (
    "v=0\r\n"
    "o=- {sess} {sess} IN IP4 {ue_ip}\r\n"
    "s=-\r\n"
    "c=IN IP4 {ue_ip}\r\n"
    "t=0 0\r\n"
    "m=audio {ue_port} RTP/AVP 97\r\n"
    f"a=rtpmap:{AMR_WB_PT} AMR-WB/{AMR_WB_CLOCK_HZ}\r\n"
    f"a=fmtp:{AMR_WB_PT} mode-set={AMR_WB_MODE};octet-align=1\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n"
)

SDP_ANSWER = (
    "v=0\r\n"
    "o=psap {sess} {sess} IN IP4 " + ip_text(PSAP_IP) + "\r\n"
    "s=-\r\n"
    "c=IN IP4 " + ip_text(PSAP_IP) + "\r\n"
    "t=0 0\r\n"
    "m=audio {psap_port} RTP/AVP 97\r\n"
    f"a=rtpmap:{AMR_WB_PT} AMR-WB/{AMR_WB_CLOCK_HZ}\r\n"
    f"a=fmtp:{AMR_WB_PT} mode-set={AMR_WB_MODE};octet-align=1\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n"
)

#: The talk group's answer: media go to the group's multicast address.
SDP_PTT_ANSWER = (
    "v=0\r\n"
    "o=mcptt {sess} {sess} IN IP4 " + ip_text(PCSCF_IP) + "\r\n"
    "s=-\r\n"
    "c=IN IP4 {grp_ip}/" + str(PTT_SDP_TTL) + "\r\n"
    "t=0 0\r\n"
    "m=audio {grp_port} RTP/AVP 97\r\n"
    f"a=rtpmap:{AMR_WB_PT} AMR-WB/{AMR_WB_CLOCK_HZ}\r\n"
    f"a=fmtp:{AMR_WB_PT} mode-set={AMR_WB_MODE};octet-align=1\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n"
)

#: PIDF-LO (RFC 4119) with the RFC 5491 device model: a WGS 84 point
#: (EPSG::4326, "lat lon") at the caller's area; method "Cell" (IANA method tokens).
PIDF_LO = (
    '<?xml version="1.0" encoding="UTF-8"?>\r\n'
    '<presence xmlns="urn:ietf:params:xml:ns:pidf"'
    ' xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"'
    ' xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"'
    ' xmlns:gml="http://www.opengis.net/gml"'
    ' entity="pres:{imsi}@' + IMS_DOMAIN + '">\r\n'
    '<dm:device id="ue{call_id}">\r\n'
    "<gp:geopriv>\r\n"
    "<gp:location-info>\r\n"
    '<gml:Point srsName="urn:ogc:def:crs:EPSG::4326">\r\n'
    "<gml:pos>{pidf_lat} {pidf_lon}</gml:pos>\r\n"
    "</gml:Point>\r\n"
    "</gp:location-info>\r\n"
    "<gp:usage-rules/>\r\n"
    "<gp:method>Cell</gp:method>\r\n"
    "</gp:geopriv>\r\n"
    "<dm:deviceID>urn:gsma:imei:{imei_urn}</dm:deviceID>\r\n"
    "<dm:timestamp>{ts}Z</dm:timestamp>\r\n"
    "</dm:device>\r\n"
    "</presence>\r\n"
)

#: AML SMS text (ETSI TS 103 625 section 6 / annex): key=value pairs; ``ml`` is
#: the message length, filled in below. Position = the caller's area centroid.
AML_TEXT = ('A"ML=1;lt={aml_lat};lg={aml_lon};rd=1000;top={top};lc=68;pm=C;'
            "si={imsi};ei={imei};mcc=" + TEST_MCC + ";mnc=" + TEST_MNC + ";ml=")
#: A deaf or speech-impaired caller's 112 SMS (EU EECC art. 109 equivalent access).
SMS112_TEXT = "112 SMS: please send help. Position {aml_lat} {aml_lon}"
PUBLIC_SMS_TEXT = "Sto bene, sono al sicuro. Ti chiamo appena posso."


def _aml_text() -> str:
    base = Layout().text(AML_TEXT)
    total = len(base.buf) + 3
    return AML_TEXT + f"{total:03d}"


SMS_TEXTS = {
    "message_aml": (_aml_text(), AML_DESTINATION, sms.TOA_UNKNOWN),
    "message_sms112": (SMS112_TEXT, "112", sms.TOA_UNKNOWN),
    "message_public": (PUBLIC_SMS_TEXT, PUBLIC_SMS_DESTINATION, sms.TOA_INTERNATIONAL),
}


def sms_user_text(kind: str, v: Mapping[str, bytes] | None = None) -> sms.UserText:
    """The SMS text of an SMS kind, with its own field offsets."""
    return sms.user_text(SMS_TEXTS[kind][0], v)


def _multipart(v: Mapping[str, bytes] | None) -> Layout:
    body = Layout()
    body.text(f"--{BOUNDARY}\r\nContent-Type: application/sdp\r\n\r\n", v)
    body.text(SDP_OFFER, v)
    body.text(f"\r\n--{BOUNDARY}\r\nContent-Type: application/pidf+xml\r\n"
              "Content-ID: <loc{call_id}@{ue_ip}>\r\n\r\n", v)
    body.text(PIDF_LO, v)
    body.text(f"\r\n--{BOUNDARY}--\r\n", v)
    return body


def _with_body(head: str, content_type: str | None, body: Layout,
               v: Mapping[str, bytes] | None) -> Layout:
    msg = Layout().text(head, v)
    if content_type:
        msg.text(f"Content-Type: {content_type}\r\n", v)
    msg.text(f"Content-Length: {len(body.buf)}\r\n\r\n", v)
    return msg.extend(body)


def render(kind: str, v: Mapping[str, bytes] | None = None) -> Layout:
    """SIP payload of ``kind`` with values ``v`` (None: placeholders)."""
    empty = Layout()
    if kind == "invite":
        head = ("INVITE urn:service:sos SIP/2.0\r\n" + _UE_VIA
                + f"Max-Forwards: {MAX_FORWARDS}\r\n" + _UE_FROM
                + "To: <urn:service:sos>\r\n" + _CALL_ID
                + "CSeq: {cseq} INVITE\r\n"
                + "Contact: <sip:{imsi}@{ue_ip}:5060>;+sip.instance=\"<urn:gsma:imei:{imei_urn}>\"\r\n"
                + "P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.mmtel\r\n"
                + "Geolocation: <cid:loc{call_id}@{ue_ip}>\r\n"
                + "Geolocation-Routing: yes\r\n"
                + "Allow: INVITE, ACK, CANCEL, BYE, UPDATE, MESSAGE\r\n")
        return _with_body(head, f"multipart/mixed;boundary={BOUNDARY}", _multipart(v), v)
    to_psap = "To: <urn:service:sos>;tag={ttag}\r\n"
    if kind in ("trying", "ringing", "ok_invite", "unavailable"):
        status = {"trying": "100 Trying", "ringing": "180 Ringing",
                  "ok_invite": "200 OK", "unavailable": "503 Service Unavailable"}[kind]
        to = "To: <urn:service:sos>\r\n" if kind == "trying" else to_psap
        head = f"SIP/2.0 {status}\r\n" + _UE_VIA + _UE_FROM + to + _CALL_ID + "CSeq: {cseq} INVITE\r\n"
        if kind in ("ringing", "ok_invite"):
            head += f"Contact: <{PSAP_URI}>\r\n"
        if kind == "ok_invite":
            return _with_body(head, "application/sdp", Layout().text(SDP_ANSWER, v), v)
        return _with_body(head, None, empty, v)
    if kind in ("ack", "bye", "ack_error"):
        method = {"ack": "ACK", "bye": "BYE", "ack_error": "ACK"}[kind]
        ruri = "urn:service:sos" if kind == "ack_error" else PSAP_URI
        head = (f"{method} {ruri} SIP/2.0\r\n" + _UE_VIA + f"Max-Forwards: {MAX_FORWARDS}\r\n"
                + _UE_FROM + to_psap + _CALL_ID + "CSeq: {cseq} " + method + "\r\n")
        return _with_body(head, None, empty, v)
    if kind == "ok_bye":
        head = "SIP/2.0 200 OK\r\n" + _UE_VIA + _UE_FROM + to_psap + _CALL_ID + "CSeq: {cseq} BYE\r\n"
        return _with_body(head, None, empty, v)
    if kind in SMS_TEXTS:
        _, dest, toa = SMS_TEXTS[kind]
        body, _ = sms.rp_data(sms_user_text(kind, v), dest, toa, v)
        head = (f"MESSAGE {SMSC_URI} SIP/2.0\r\n" + _UE_VIA + f"Max-Forwards: {MAX_FORWARDS}\r\n"
                + _UE_FROM + f"To: <{SMSC_URI}>\r\n" + _CALL_ID + "CSeq: {cseq} MESSAGE\r\n"
                + "Request-Disposition: no-fork\r\n"
                + "Accept-Contact: *;+g.3gpp.smsip\r\n")
        return _with_body(head, "application/vnd.3gpp.sms", body, v)
    if kind in PTT_KINDS:
        return _ptt(kind, v)
    if kind == "accepted":
        head = ("SIP/2.0 202 Accepted\r\n" + _UE_VIA + _UE_FROM
                + f"To: <{SMSC_URI}>;tag={{ttag}}\r\n" + _CALL_ID + "CSeq: {cseq} MESSAGE\r\n")
        return _with_body(head, None, empty, v)
    raise KeyError(f"unknown SIP message kind {kind!r}")


def _ptt(kind: str, v: Mapping[str, bytes] | None) -> Layout:
    """A push-to-talk group call set-up message (see the module's docstring)."""
    to_group = "To: <" + PTT_GROUP_URI + ">"
    if kind == "ptt_invite":
        head = (f"INVITE {PTT_GROUP_URI} SIP/2.0\r\n" + _UE_VIA + f"Max-Forwards: {MAX_FORWARDS}\r\n"
                + _UE_FROM + to_group + "\r\n" + _CALL_ID + "CSeq: {cseq} INVITE\r\n"
                + "Contact: <sip:{imsi}@{ue_ip}:5060>\r\n"
                + f"Accept-Contact: *;+g.3gpp.icsi-ref=\"{MCPTT_ICSI.replace(':', '%3A')}\"\r\n"
                + f"P-Preferred-Service: {MCPTT_ICSI}\r\n"
                + "Allow: INVITE, ACK, CANCEL, BYE, UPDATE\r\n")
        return _with_body(head, "application/sdp", Layout().text(SDP_OFFER, v), v)
    if kind == "ptt_ok":
        head = ("SIP/2.0 200 OK\r\n" + _UE_VIA + _UE_FROM + to_group + ";tag={ttag}\r\n" + _CALL_ID
                + "CSeq: {cseq} INVITE\r\n" + f"Contact: <{MCPTT_SERVER_URI}>\r\n")
        return _with_body(head, "application/sdp", Layout().text(SDP_PTT_ANSWER, v), v)
    head = (f"ACK {MCPTT_SERVER_URI} SIP/2.0\r\n" + _UE_VIA + f"Max-Forwards: {MAX_FORWARDS}\r\n"
            + _UE_FROM + to_group + ";tag={ttag}\r\n" + _CALL_ID + "CSeq: {cseq} ACK\r\n")
    return _with_body(head, None, Layout(), v)


#: Push-to-talk group call set-up, in the order they are sent.
PTT_KINDS = ("ptt_invite", "ptt_ok", "ptt_ack")

#: Which server each SIP kind is exchanged with (uplink kinds go to it).
SIP_PEER = {
    "invite": PCSCF_IP, "trying": PCSCF_IP, "ringing": PCSCF_IP, "ok_invite": PCSCF_IP,
    "unavailable": PCSCF_IP, "ack": PCSCF_IP, "ack_error": PCSCF_IP, "bye": PCSCF_IP,
    "ok_bye": PCSCF_IP, "message_aml": SMSC_IP, "message_sms112": SMSC_IP,
    "message_public": SMSC_IP, "accepted": SMSC_IP,
    "ptt_invite": PCSCF_IP, "ptt_ok": PCSCF_IP, "ptt_ack": PCSCF_IP,
}
#: Kinds sent by the handset (the others are sent to it).
UPLINK = {"invite", "ack", "ack_error", "bye", "message_aml", "message_sms112", "message_public",
          "ptt_invite", "ptt_ack"}
