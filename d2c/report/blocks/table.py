"""A table: headers, rows of text, some columns right-aligned, an optional title.

A table whose headers are all empty is a list of labelled rows: no header
row, and its first column is the rows' labels (bold, or ``<th scope="row">``).
Cells that give an objective's result (MET, NOT MET) and "recorded only" are
coloured.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

from rich import box
from rich.table import Table
from rich.text import Text

from d2c.report.lang import word

__all__ = ["Grid", "RESULT_CLASS"]

TERMINAL_STYLE = {"MET": "bold green", "NOT MET": "bold red", "recorded only": "yellow"}
RESULT_CLASS = {result: f' class="{css}"' for css, results in (("met", ("MET", "RAGGIUNTO")),
                                                                 ("notmet", ("NOT MET", "NON RAGGIUNTO")))
                for result in results}


@dataclass
class Grid:
    """A table; ``right``: indices of right-aligned columns.

    >>> print("\\n".join(Grid(["name", "people"], [["Amatrice", "2,646"]], right=(1,)).markdown()))
    | name | people |
    |---|---:|
    | Amatrice | 2,646 |
    """

    headers: list[str]
    rows: list[list[str]]
    right: tuple[int, ...] = ()
    title: str = ""

    def terminal(self) -> Table:
        table = Table(title=Text(self.title) if self.title else None,
                      box=box.SIMPLE_HEAD if any(self.headers) else None, show_header=any(self.headers),
                      header_style="bold", title_justify="left")
        for k, header in enumerate(self.headers):
            table.add_column(header, justify="right" if k in self.right else "left", overflow="fold",
                             style="bold" if not self.headers[0] and k == 0 else None)
        for row in self.rows:
            table.add_row(*[Text(cell, style=TERMINAL_STYLE.get(cell, "")) for cell in row])
        return table

    def markdown(self) -> list[str]:
        lines = [f"**{self.title}**", ""] if self.title else []
        headers = self.headers if any(self.headers) else [""] * len(self.headers)

        def cells(row: list) -> str:
            return "| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |"

        lines.append(cells(headers))
        lines.append("|" + "|".join("---:" if k in self.right else "---" for k in range(len(headers))) + "|")
        lines += [cells(row) for row in self.rows]
        return lines

    def html(self) -> str:
        out = ["<table>"]
        if self.title:
            out.append(f"<caption>{escape(self.title)}</caption>")
        if any(self.headers):
            out.append("<thead><tr>" + "".join(
                f'<th scope="col"{self._num(k)}>{escape(h)}</th>' for k, h in enumerate(self.headers))
                + "</tr></thead>")
        out.append("<tbody>")
        for row in self.rows:
            cells = []
            for k, cell in enumerate(row):
                text = escape(str(cell))
                if not self.headers[0] and k == 0:
                    cells.append(f'<th scope="row">{text}</th>')
                    continue
                cells.append(f"<td{RESULT_CLASS.get(str(cell), self._num(k))}>{text}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
        return "".join(out)

    def translated(self, lang: str) -> "Grid":
        return replace(self, headers=[word(h, lang) for h in self.headers], title=word(self.title, lang),
                       rows=[[word(str(c), lang) for c in row] for row in self.rows])

    def _num(self, k: int) -> str:
        return ' class="num"' if k in self.right else ""
