"""A whole document: a title over sections, written out as terminal renderables, Markdown or HTML.

The HTML is one self-contained page people can read, print and edit: it
prints on A4 (CSS ``@page``) and loads nothing from the network (no fonts,
scripts or images from elsewhere), so it opens offline and in archives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from d2c.report.blocks.heading import Heading

__all__ = ["CSS", "Document"]

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
FOOTER = ("<footer>Made with d2c from a result JSON. Figures resting on assumptions are listed under "
          "Assumptions.</footer>")


@dataclass
class Document:
    """``sections``: each a ``Section`` or ``RunDetail``; ``lang``: the HTML page's language."""

    title: str
    sections: list = field(default_factory=list)
    lang: str = "en"

    def terminal(self) -> list:
        """Rich renderables, one after the other."""
        return [Heading(self.title, 1).terminal(), *(part for s in self.sections for part in s.terminal())]

    def markdown(self) -> str:
        return "\n".join([*Heading(self.title, 1).markdown(), *(line for s in self.sections for line in s.markdown())])

    def html(self) -> str:
        body = [Heading(self.title, 1).html(), *(s.html() for s in self.sections), FOOTER]
        return ("<!DOCTYPE html>\n"
                f'<html lang="{self.lang}">\n<head>\n<meta charset="utf-8">\n<title>{escape(self.title)}</title>\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
