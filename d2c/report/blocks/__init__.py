"""The after-action report's document model: blocks that render themselves.

Each block is a small dataclass in its own module that knows how to show
itself in every output the report has, so no renderer switches on a block's
type (as ``rich`` renderables do):

- ``terminal()``: a rich renderable (the terminal and the plain text), or
  ``None`` when the block has nothing to show there;
- ``markdown()``: its Markdown lines, or ``None``;
- ``html()``: its HTML, or ``None``;
- ``translated(lang)``: the block with its fixed text in ``lang``
  (``d2c.report.lang.word``).

A ``Section`` is a heading over blocks; a ``Document`` is a title over
sections (and the run's own terminal report, ``RunDetail``), written out
whole as ``terminal()``, ``markdown()`` or ``html()``. The content (which
sections, built from a typed ``d2c.result.Result``) is
``d2c.report.aar_sections``'s.

>>> doc = Document("Report", [Section("Findings", [Para("All well."), Bullets(["one", "two"])])])
>>> print(doc.markdown())
# Report
<BLANKLINE>
## Findings
<BLANKLINE>
All well.
<BLANKLINE>
- one
- two
<BLANKLINE>
"""

from d2c.report.blocks.bullets import Bullets
from d2c.report.blocks.chart import Chart
from d2c.report.blocks.document import Document
from d2c.report.blocks.figure import Figure
from d2c.report.blocks.heading import Heading
from d2c.report.blocks.paragraph import Para
from d2c.report.blocks.run_detail import RunDetail
from d2c.report.blocks.section import Section
from d2c.report.blocks.table import Grid

__all__ = ["Bullets", "Chart", "Document", "Figure", "Grid", "Heading", "Para", "RunDetail", "Section"]
