"""The traffic section of the report: what it was like to be a caller, by bearer."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from d2c.report.console import print_parts, stdout_console
from d2c.metrics import Result
from d2c.result_blocks import Percentiles
from d2c.report.text import percent

def _num(x, fmt: str = ".0f") -> str:
    return "—" if x is None else format(x, fmt)


# the replay sees a sample of the flows: each figure's 95% interval from that sample alone
CI_CAPTION = ("[95% interval from the flow sample: Wilson score for shares (Wilson 1927), "
              "percentile bootstrap for the median MOS (Efron & Tibshirani 1993)]")
# a sample keeps that share of each area's channels too, and few channels block more than many at the
# same load per channel (Erlang B): a bias the intervals above do not show (docs/SCALING.md)
SAMPLED_CHANNELS_CAVEAT = ("Below a sample of 1 each area keeps that share of its channels, and few channels block "
                           "more: set-up success is lower than a full-scale run's (--sample 1 gives the full scale).")


def _with_ci(text: str, interval, fmt) -> str:
    """``text`` followed by its 95% interval ``[low–high]`` when there is one."""
    return text if not interval else f"{text} [{fmt(interval[0])}–{fmt(interval[1])}]"


def _pct(block: Percentiles | None, fmt: str = ".0f") -> tuple[str, str, str, str]:
    """p50, p90, p95 and p99 of ``block`` as text, or dashes when nothing was measured."""
    return ("—",) * 4 if block is None else tuple(_num(x, fmt) for x in block.values())


def renderables(result: Result) -> list:
    t = result.traffic
    if t is None:
        return []
    calls = Table(title=f"112 calls as packets (SIP/RTP, sample {t.sample:.3g} of flows)", header_style="bold",
                  caption=CI_CAPTION if t.sample >= 1 else f"{CI_CAPTION}\n{SAMPLED_CHANNELS_CAVEAT}")
    for col in ("bearer", "attempts", "set up", "503", "post-dial p50 ms", "p95 ms", "MOS median", "MOS p10"):
        calls.add_column(col, justify="left" if col == "bearer" else "right")
    for b, c in t.calls.shown():
        if not c.attempts:  # no zero-attempt rows: a bearer nobody called on is left out
            continue
        calls.add_row(b, f"{c.attempts:,}", _with_ci(percent(c.setup_success_ratio), c.setup_success_ci95, percent),
                      percent(c.blocked_503_ratio), _pct(c.post_dial_delay_ms)[0], _pct(c.post_dial_delay_ms)[2],
                      _with_ci(_num(c.mos_median, ".2f"), c.mos_median_ci95, lambda x: _num(x, ".2f")),
                      _num(c.mos_p10, ".2f"))
    if calls.row_count == 0:
        calls.add_row("no 112 call in the sample", *[""] * (len(calls.columns) - 1))
    sms = Table(title="SMS over IP and AML", header_style="bold", caption=CI_CAPTION)
    for col in ("message", "bearer", "sent", "delivered", "latency p50 ms", "p95 ms"):
        sms.add_column(col, justify="left" if col in ("message", "bearer") else "right")
    for kind, by_bearer in (("sms112", t.sms.sms112), ("aml", t.sms.aml), ("public_sms", t.sms.public_sms)):
        for b, m in by_bearer.shown():
            if m.sent:
                sms.add_row(kind, b, f"{m.sent:,}", _with_ci(percent(m.delivery_ratio), m.delivery_ci95, percent),
                            _pct(m.latency_ms)[0], _pct(m.latency_ms)[2])
    parts = [calls, sms]
    issued = t.warnings.issued
    if issued:
        warn = Table(title="Public warnings (cell broadcast)", header_style="bold")
        for col in ("message id", "text", "areas", "handsets reached"):
            warn.add_column(col, justify="right" if col in ("areas", "handsets reached") else "left")
        for w in issued:
            warn.add_row(str(w.message_id), Text(w.text[:50] + ("…" if len(w.text) > 50 else "")),
                         f"{w.areas:,}", percent(w.reach_ratio))
        p50, p90, _, _ = _pct(t.warnings.all.time_to_reach_s, ".1f")
        warn.caption = f"time to reach the phone: p50 {p50} s, p90 {p90} s"
        parts.append(warn)
    return parts


def render(result: Result, console: Console | None = None) -> None:
    print_parts(console or stdout_console(), renderables(result))
