"""Providers: presets load with a source for every number; clear errors for bad files."""

from __future__ import annotations

import datetime as dt
import math
import textwrap

import pytest

from d2c.space.linkbudget import SERVICE_DATA, SERVICE_SMS
from d2c.space.provider import BANDS, Provider, available_presets, load_provider

REQUIRED_SOURCES = {
    "band",
    "satellite.eirp_density_dbw_per_mhz",
    "satellite.gt_db_per_k",
    "satellite.beams_per_satellite",
    "satellite.beam_radius_km",
    "satellite.channel_bandwidth_mhz",
    "satellite.inter_satellite_links",
    "handset.eirp_dbm",
    "handset.gt_db_per_k",
    "handset.uplink_bandwidth_mhz",
    "losses.atmospheric_loss_db",
    "elevation_mask_deg",
    "gateway_mask_deg",
    "services",
}


def test_the_four_presets_exist():
    assert {"starlink-dtc", "ast-spacemobile", "messaging", "iris2"} <= set(available_presets())


@pytest.mark.parametrize("name", ["starlink-dtc", "ast-spacemobile", "messaging", "iris2"])
def test_every_parameter_names_its_source(name):
    p = load_provider(name)
    assert REQUIRED_SOURCES <= set(p.sources)
    assert all(isinstance(s, str) and len(s) > 5 for s in p.sources.values())
    assert ("constellation.walker" in p.sources) or ("constellation.tle_file" in p.sources)


def test_starlink_preset_matches_the_reference_figures():
    # REFERENCE: ~350-360 km, 53 deg class; 3GPP n256 (TS 38.101-5); handset 23 dBm PC3.
    p = load_provider("starlink-dtc")
    assert 340 <= p.altitude_km <= 370
    assert p.walker.inclination_deg == 53
    assert 600 <= p.walker.total_satellites <= 700
    assert p.band is BANDS["n256"]
    assert p.radio.downlink_frequency_mhz == pytest.approx(2185.0)
    assert p.radio.uplink_frequency_mhz == pytest.approx(1995.0)
    assert p.radio.ue_eirp_dbm == 23.0 and p.radio.ue_gt_db_per_k == -31.6
    assert p.inter_satellite_links and p.max_service == SERVICE_DATA


def test_other_presets():
    ast = load_provider("ast-spacemobile")
    assert 500 <= ast.altitude_km <= 540 and not ast.inter_satellite_links
    msg = load_provider("messaging")
    assert msg.services == ("sms",) and msg.max_service == SERVICE_SMS
    assert msg.band is BANDS["n255"] and 1300 <= msg.altitude_km <= 1500
    iris = load_provider("iris2")
    assert iris.altitude_km == 1200 and iris.inter_satellite_links


def test_preset_builds_its_constellation():
    p = load_provider("iris2")
    c = p.constellation(dt.datetime(2025, 1, 1))
    assert len(c) == 264
    assert c.ecef_km(dt.datetime(2025, 1, 1, 1)).shape == (264, 3)


def test_unknown_provider_lists_the_presets():
    with pytest.raises(ValueError, match="unknown provider 'nope'.*starlink-dtc"):
        load_provider("nope")


def test_from_walker_uses_generic_3gpp_parameters():
    # TR 38.821 Set-1: 34 dBW/MHz at LEO-600; the same ground flux at 1,200 km is the
    # TR's own LEO-1200 value, 40 dBW/MHz; beam ~50 km across at 600 km (Table 6.1.1.1-1).
    p600 = Provider.from_walker("53:100/10/1", 600.0)
    p1200 = Provider.from_walker("53:100/10/1", 1200.0)
    assert p600.radio.sat_eirp_density_dbw_per_mhz == pytest.approx(34.0)
    assert p1200.radio.sat_eirp_density_dbw_per_mhz == pytest.approx(40.0, abs=0.03)
    assert 2 * p600.beam_radius_km == pytest.approx(50.0, rel=0.1)
    assert p600.radio.sat_gt_db_per_k == 1.1 and p600.elevation_mask_deg == 10.0
    with pytest.raises(ValueError, match="multiple of planes"):
        Provider.from_walker("53:100/7/1", 600.0)


GOOD = textwrap.dedent(
    """\
    name: test-shell
    constellation:
      walker: {value: "53:24/4/1", source: "test"}
      altitude_km: {value: 550, source: "test"}
    band: {value: n256, source: "test"}
    satellite:
      eirp_density_dbw_per_mhz: {value: 34, source: "test"}
      gt_db_per_k: {value: 1.1, source: "test"}
      beams_per_satellite: {value: 8, source: "test"}
      beam_radius_km: {value: 20, source: "test"}
      channel_bandwidth_mhz: {value: 5, source: "test"}
      inter_satellite_links: {value: false, source: "test"}
    elevation_mask_deg: {value: 20, source: "test"}
    gateway_mask_deg: {value: 10, source: "test"}
    services: {value: [sms, voice], source: "test"}
    """
)


def test_user_file_loads(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(GOOD)
    p = load_provider(f)
    assert p.name == "test-shell" and p.beams_per_satellite == 8 and p.max_service == 2
    assert p.sources["handset.eirp_dbm"].startswith("3GPP TS 38.101-5")  # default with source


@pytest.mark.parametrize(
    "old, new, line, fragment",
    [
        ("beam_radius_km: {value: 20", "beam_radius_km: {value: -3", 10,
         "satellite.beam_radius_km.value: expected a number > 0, got -3"),
        ('gt_db_per_k: {value: 1.1, source: "test"}', "gt_db_per_k: {value: 1.1}", 8,
         "satellite.gt_db_per_k.source: expected this required field"),
        ("band: {value: n256", "band: {value: n999", 5, "band.value: expected one of n256, n255"),
        ("services: {value: [sms, voice]", "services: {value: [sms, fax]", 15, "services.value"),
        ("  walker: {value: \"53:24/4/1\"", "  walker: {value: \"53:24/5/1\"", 3, "multiple of planes"),
        ("elevation_mask_deg:", "elevation_mask: {value: 1, source: x}\nelevation_mask_deg:", 13,
         "elevation_mask: expected a known field"),
    ],
)
def test_bad_file_errors_name_file_line_and_field(tmp_path, old, new, line, fragment):
    assert old in GOOD
    f = tmp_path / "bad.yaml"
    f.write_text(GOOD.replace(old, new, 1))
    with pytest.raises(ValueError) as exc:
        load_provider(f)
    msg = str(exc.value)
    assert msg.startswith(f"{f}:{line}: "), msg
    assert fragment in msg


def test_tle_file_preset(tmp_path):
    (tmp_path / "one.tle").write_text(
        "SAT A\n"
        "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753\n"
        "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667\n"
    )
    text = GOOD.replace(
        '  walker: {value: "53:24/4/1", source: "test"}\n  altitude_km: {value: 550, source: "test"}\n',
        '  tle_file: {value: one.tle, source: "test"}\n',
    )
    f = tmp_path / "tle.yaml"
    f.write_text(text)
    p = load_provider(f)
    assert p.walker is None and p.tle_file == (tmp_path / "one.tle").resolve()
    c = p.constellation(None)
    assert c.names == ("SAT A",)
    assert math.isfinite(float(c.ecef_km(dt.datetime(2000, 6, 28))[0, 0]))
