"""The HTML report is a real document in a real browser (Debian's chromium,
headless, installed by `make browser`): a title, headings, tables, charts and
the map as inline SVG, A4 pages, nothing fetched from the network. The SVG is
the charts and the map, rendered to PNG. Screenshots are kept under
out/screenshots/ (not committed) for people to look at."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, WITH_GATEWAY, scenario_text, write
from d2c.config.scenario import load_scenario
from d2c.engine import Simulation
from d2c.report.document import render

SHOTS = ROOT / "out" / "screenshots"
CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
# Two villages hit by an earthquake; a gateway keeps D2C beams up over them.
# The quake is drawn at random; the strike on S1 and S2 (S3 hangs off S2) surely cuts both villages off.
QUAKE = ("[{kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, depth_km: 8, magnitude: 6.4},"
         " {kind: attack, actions: [{at: T+10m, destroy: [S1, S2]}]}]")



@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    folder = tmp_path_factory.mktemp("documents")
    write(folder, "small.yaml", WITH_GATEWAY)
    # every handset outdoors, so that D2C carries the villages whatever the hour: the page's colours are the point
    path = write(folder, "s.yaml", scenario_text(QUAKE, "d2c: {provider: starlink-dtc}\npopulation: {indoors: false}",
                                                 "4h"))
    return json.loads(json.dumps(Simulation(load_scenario(path)).run().to_dict()))


def chromium(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    assert CHROMIUM is not None, "chromium is missing: `make browser` installs it (`make test` does)"
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                              timeout=timeout)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <title>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def count(self, tag: str, **attrs) -> int:
        return sum(1 for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items()))


def network_references(html: str, parsed: Elements) -> list[str]:
    """Whatever the page would fetch: src, href, srcset, CSS url() and @import, other than in-page anchors."""
    refs = [value for _, attrs in parsed.tags for key, value in attrs.items()
            if key in ("src", "href", "xlink:href", "srcset", "poster", "data") and value]
    refs += re.findall(r"url\(\s*['\"]?([^'\")]+)", html) + re.findall(r"@import\s+['\"]?([^'\";]+)", html)
    return [ref for ref in refs if not ref.startswith("#")]


def test_the_html_report_is_a_document_in_a_browser(doc, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render(doc, "html"), encoding="utf-8")
    dumped = chromium("--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout.decode("utf-8")
    parsed = Elements()
    parsed.feed(dom)
    assert parsed.title == "After-action report: test"
    assert parsed.count("h1") == 1 and parsed.count("h2") >= 8
    assert parsed.count("table") >= 4 and parsed.count("th") >= 10
    assert parsed.count("figure", **{"class": "chart"}) >= 2
    assert parsed.count("figure", **{"class": "map"}) == 1
    assert parsed.count("svg") >= 3
    assert network_references(dom, parsed) == []
    # the map names the worst-hit place and shows the epicentre
    assert doc["worst_areas"] and doc["worst_areas"][0]["name"] in dom and "main shock Mw 6.4" in dom

    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = chromium(f"--screenshot={SHOTS / 'report.png'}", "--window-size=1000,2600", page.as_uri())
    assert shot.returncode == 0 and (SHOTS / "report.png").stat().st_size > 10_000

    pdf = tmp_path / "report.pdf"
    printed = chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert printed.returncode == 0, printed.stderr[-2000:]
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert boxes, "a PDF with pages"
    for width, height in boxes:  # A4 is 210 x 297 mm = 595.28 x 841.89 pt
        assert float(width) == pytest.approx(595.28, abs=1) and float(height) == pytest.approx(841.89, abs=1)
    shutil.copy(pdf, SHOTS / "report.pdf")


def test_the_svg_renders_to_a_png_with_the_map_colours(doc, tmp_path):
    from matplotlib.image import imread

    svg = tmp_path / "report.svg"
    svg.write_text(render(doc, "svg"), encoding="utf-8")
    SHOTS.mkdir(parents=True, exist_ok=True)
    png = SHOTS / "report-svg.png"
    shot = chromium(f"--screenshot={png}", "--window-size=800,1400", svg.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    pixels = imread(png)[..., :3]
    assert pixels.std() > 0.05, "not a blank image"
    # the map's D2C blue (both villages are on D2C at the worst instant) and the chart's damage red
    assert set(doc["places"]["worst"]["area_service"]) == {"D"}
    blue = (pixels[..., 2] > 0.6) & (pixels[..., 2] - pixels[..., 0] > 0.35) & (pixels[..., 2] - pixels[..., 1] > 0.15)
    red = (pixels[..., 0] > 0.6) & (pixels[..., 1] < 0.35) & (pixels[..., 2] < 0.35)
    assert blue.sum() > 20 and red.sum() > 20


def test_the_html_has_the_same_sections_as_the_markdown(doc):
    html = render(doc, "html")
    md = render(doc, "md")
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings and [unescape(h) for h in re.findall(r"<h2[^>]*>([^<]+)</h2>", html)] == headings
    assert "@page { size: A4" in html
    assert render(doc, "html") == html and render(doc, "svg") == render(doc, "svg"), "same result, same bytes"


def test_places_in_the_result(doc):
    places = doc["places"]
    n_hours = len(places["hours_t_s"])
    assert places["hours_t_s"][:2] == [0.0, 3600.0]
    assert all(len(s) == n_hours for s in places["areas"]["hourly_service"] + places["sites"]["hourly_state"])
    worst = places["worst"]
    # the worst instant is the headline's: the first step with the most people without a 112 path; if D2C kept
    # everyone reachable, the first step with the fewest people on terrestrial 112
    people = np.asarray(places["areas"]["population"])
    service = np.array(list(worst["area_service"]))
    if doc["summary"]["worst_no_112_at_s"] is not None:
        assert worst["t_s"] == doc["summary"]["worst_no_112_at_s"]
        assert set(service) <= {"T", "D", "N"}
    else:
        terrestrial = np.asarray(doc["timeline"]["population_terrestrial"])
        assert worst["t_s"] == doc["timeline"]["t_s"][int(np.argmin(terrestrial))]
        assert people[service == "T"].sum() == terrestrial.min()
