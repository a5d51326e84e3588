"""The after-action report as an HTML document people can read, print and edit.

The same sections as the Markdown (``d2c.report.aar.sections``), as real
HTML: a title, headings, paragraphs, lists, tables with header rows, and the
charts and the map as inline SVG (``d2c.report.figures``). It prints on A4
(CSS ``@page``) and loads nothing from the network: no fonts, scripts or
images from elsewhere, so it opens offline and in archives.
"""

from __future__ import annotations

from html import escape

from d2c.report import figures
from d2c.report.aar import Bullets, Chart, Grid, Para, Section, fitted_run_detail, sections, title_of
from d2c.report.lang import word
from d2c.result import Result

__all__ = ["CSS", "html_document"]

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #1a1a1a; }
body { max-width: 190mm; margin: 0 auto; padding: 0 4mm; line-height: 1.4; }
h1 { font-size: 18pt; margin: 0.2em 0 0.4em; border-bottom: 2px solid #1a1a1a; }
h2 { font-size: 13pt; margin: 1.4em 0 0.4em; color: #0d47a1; border-bottom: 1px solid #90a4ae;
     break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; width: 100%; font-size: 8.5pt; }
caption { text-align: left; font-weight: bold; padding: 0.2em 0; }
th, td { border: 1px solid #b0bec5; padding: 2px 5px; vertical-align: top; text-align: left; }
th { background: #eceff1; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0.6em 0 1em; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 8.5pt; color: #455a64; }
.met { color: #1b5e20; font-weight: bold; } .notmet { color: #b71c1c; font-weight: bold; }
.dim { color: #607d8b; }
pre { font-size: 7pt; white-space: pre; overflow-x: auto; }
footer { margin-top: 2em; font-size: 8pt; color: #607d8b; }
"""


def html_document(doc: dict, lang: str = "en") -> str:
    """The report as one self-contained HTML5 document, its fixed text in ``lang``."""
    title = title_of(doc, lang)
    body = [f"<h1>{escape(title)}</h1>"]
    for section in sections(doc, lang=lang):
        body.append(f'<section><h2 id="{_anchor(section.title)}">{escape(section.title)}</h2>')
        body += [_block(block, doc) for block in section.blocks]
        body += _figures_after(section, doc, lang)
        body.append("</section>")
    body.append(f'<section><h2 id="run-detail">{escape(word("Run detail", lang))}</h2>'
                '<p>The run\'s own terminal report, as in the Markdown version.</p>'
                f"<pre>{escape(fitted_run_detail(doc))}</pre></section>")
    body.append("<footer>Made with d2c from a result JSON. Figures resting on assumptions are listed under "
                "Assumptions.</footer>")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def _anchor(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _figures_after(section: Section, doc: dict, lang: str) -> list[str]:
    if section.title == word("What failed and why", lang):
        return [_figure(figures.map_svg(Result.from_dict(doc)), "Map: each place a dot sized by its population, coloured by its "
                        "service at the worst instant; dashed outlines are the incidents' footprints, blue discs "
                        "the D2C beams of that instant. Drawn from the topology's own places (GeoNames, CC BY 4.0); "
                        "no base map.", "map"),
                _figure(figures.sites_svg(Result.from_dict(doc)), "Sites down by cause over time.", "chart")]
    return []


def _figure(svg: str, caption: str, kind: str) -> str:
    return f'<figure class="{kind}">{svg}<figcaption>{escape(caption)}</figcaption></figure>'


def _block(block, doc: dict) -> str:
    if isinstance(block, Para):
        css = ' class="dim"' if block.style == "dim" else ""
        return f"<p{css}>{escape(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Chart):
        return _figure(figures.survival_svg(Result.from_dict(doc)), "Share of 112 demand served at each step.", "chart")
    if isinstance(block, Grid):
        return _table(block)
    raise TypeError(f"unknown block {block!r}")


def _table(grid: Grid) -> str:
    out = ["<table>"]
    if grid.title:
        out.append(f"<caption>{escape(grid.title)}</caption>")
    header = any(grid.headers)
    if header:
        out.append("<thead><tr>" + "".join(
            f'<th scope="col"{_num(k, grid)}>{escape(h)}</th>' for k, h in enumerate(grid.headers)) + "</tr></thead>")
    out.append("<tbody>")
    for row in grid.rows:
        cells = []
        for k, cell in enumerate(row):
            text = escape(str(cell))
            if not grid.headers[0] and k == 0:
                cells.append(f'<th scope="row">{text}</th>')
                continue
            css = RESULT_CLASS.get(str(cell), _num(k, grid))
            cells.append(f"<td{css}>{text}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


RESULT_CLASS = {result: f' class="{css}"' for css, results in (("met", ("MET", "RAGGIUNTO")),
                                                                 ("notmet", ("NOT MET", "NON RAGGIUNTO")))
                for result in results}


def _num(k: int, grid: Grid) -> str:
    return ' class="num"' if k in grid.right else ""
