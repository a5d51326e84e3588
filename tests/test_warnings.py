"""Public warnings: every EU-Alert / EU-Info identifier, additional-language copies, geographic scope.

Identifiers: 3GPP TS 23.041 section 9.4.1.2.2 (public warning 4370-4399, EU-Info 6400;
names from ETSI TS 102 900). Scope: the serial number's two top bits (TS 23.041
section 9.4.1.2.1). Language indication: data coding scheme 0x10 (TS 23.038 section 5).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import reftable
from conftest import tshark_path
from d2c.base.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.engine import Simulation

# TS 23.041: each public-warning identifier and the one its additional-language copies go out under (source in the file)
PAIRS = [(int(r["message_id"]), int(r["language_copy_id"])) for r in reftable.rows("ts23041_warning_ids.csv")]
VALID_IDS = sorted({i for pair in PAIRS for i in pair})


def _warning(small, body: str, duration: str = "1h"):
    return small(extra=f"warnings:\n  - {{at: T+10m, {body}}}", duration=duration)


@pytest.mark.parametrize("message_id", VALID_IDS)
def test_every_public_warning_identifier_is_accepted(small, message_id):
    sc = load_scenario(_warning(small, f"area: everywhere, text: t, message_id: {message_id}"))
    assert sc.warnings[0].message_id == message_id


@pytest.mark.parametrize("message_id", [4369, 4400, 4383 + 30, 6399, 6401, 919, 0])
def test_other_identifiers_are_refused_with_their_line(small, message_id):
    path = _warning(small, f"area: everywhere, text: t, message_id: {message_id}")
    with pytest.raises(ConfigError) as err:
        load_scenario(path)
    assert f"{path}:" in str(err.value) and "message_id" in str(err.value) and str(message_id) in str(err.value)
    line = int(str(err.value).split(":")[1])
    assert path.read_text().splitlines()[line - 1].lstrip().startswith("- {at: T+10m")


@pytest.mark.parametrize("primary, copy", PAIRS)
def test_language_copies_go_out_under_the_twin_identifier(small, primary, copy):
    path = _warning(small, f"area: everywhere, text: Evacuare, message_id: {primary}, "
                           "languages: {en: Evacuate, de: Evakuieren}")
    sim = Simulation(load_scenario(path))
    sent = [(mid, text) for mid, text, _ in sim.warnings_between(600, 660)]
    assert sent == [(primary, "Evacuare"), (copy, "en\rEvacuate"), (copy, "de\rEvakuieren")]


def test_a_language_must_be_a_two_letter_code(small):
    path = _warning(small, "area: everywhere, text: t, languages: {english: Evacuate}")
    with pytest.raises(ConfigError, match=r"languages\.english: expected a two-letter ISO 639-1"):
        load_scenario(path)


def test_the_capture_carries_scope_identifier_and_language_as_wireshark_reads_them(small, tmp_path):
    warnings = ("warnings:\n"
                "  - {at: T+5m, area: everywhere, text: Terremoto, message_id: 4371, languages: {en: Earthquake}}\n"
                "  - {at: T+10m, area: {circle: {lat: 42.0, lon: 13.0, radius_km: 2}}, text: Frana, message_id: 6400}\n")
    path = small(extra=warnings, duration="20m")
    pcap = tmp_path / "w.pcap"
    proc = subprocess.run([sys.executable, "-m", "d2c", "traffic", str(path), "--pcap", str(pcap), "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    out = subprocess.run([tshark_path(), "-r", str(pcap), "-Y", "sbcap", "-T", "fields", "-E", "separator=;",
                          "-e", "sbc-ap.Message_Identifier", "-e", "sbc-ap.Serial_Number",
                          "-e", "sbc-ap.Data_Coding_Scheme", "-e", "sbc-ap.WarningMessageContents.decoded_page"],
                         capture_output=True, text=True, check=True).stdout
    seen = {}
    for line in out.splitlines():
        mid, serial, dcs, page = line.split(";")
        page = page.replace("\\r", "\r").rstrip("\r")  # tshark writes a CR as the two characters \\r
        seen.setdefault(int(mid), set()).add((int(serial, 16) >> 14, int(dcs, 16), page))
    # everywhere: PLMN wide (1); the Italian text unspecified-language (0x0F), the copy 0x10 with "en" first
    assert seen[4371] == {(1, 0x0F, "Terremoto")}
    assert seen[4384] == {(1, 0x10, "en\rEarthquake")}
    # a circle of a few areas: tracking-area wide (2)
    assert seen[6400] == {(2, 0x0F, "Frana")}
