"""The ``d2c`` command. Thin: parse arguments, call the library, render.

Exit status: 0 done; 2 bad input (a wrong YAML field, a missing file, an
unknown option value), one line naming the file, line and field, never a
traceback; 1 interrupted (Ctrl-C). ``-h``/``--help`` on every command,
``--version``, and shell completion (``d2c --install-completion``).
``--json -`` and ``--out -`` write to standard output; the human-readable
report then goes to standard error. Piped output keeps full lines.
"""

from __future__ import annotations

import sys
from enum import Enum
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path
from typing import List, Optional

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from d2c.check import check_file, drill_names
from d2c.cli_common import EXIT_BAD_INPUT, PlainErrors, check_output, console, error_line, errors, fail, plain
from d2c.base import limits
from d2c.base.errors import ConfigError
from d2c.base.reader import utc_time
from d2c.config.scenario import load_scenario
from d2c.drill.cli import drill, report
from d2c.engine import Simulation
from d2c.hindcast import render as hc
from d2c.hindcast import run_hindcast
from d2c.report import terminal
from d2c.report import traffic as traffic_report
from d2c.result import Result, ResultFileError, load_document, load_result
from d2c.report.console import print_parts
from d2c.report.files import is_stdout, write_atomic, write_json, write_output

CONTEXT = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(cls=PlainErrors, no_args_is_help=True, context_settings=CONTEXT,
                  help="d2c: how much emergency service survives an incident, with and without direct-to-cell satellites.")


def _report_console(*outputs: Optional[Path]) -> Console:
    """Where the human-readable report goes: stderr when a data output took stdout (``-``)."""
    return errors if any(is_stdout(path) for path in outputs) else console


def _version(value: bool) -> None:
    if value:
        try:
            console.print(f"d2c {package_version('d2c')}", highlight=False)
        except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
            console.print("d2c (not installed)")
        raise typer.Exit()


@app.callback()
def _main(
    _version_flag: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit."),
    force: bool = typer.Option(False, "--force", help="Run past the step budget (docs/FORMATS.md, Limits)."),
    max_input_mb: float = typer.Option(64.0, "--max-input-mb", min=0.001,
                                       help="Largest input file read, in MB (docs/FORMATS.md, Limits)."),
) -> None:
    """d2c: how much emergency service survives an incident, with and without direct-to-cell satellites."""
    limits.set_force(force)
    limits.set_max_input_mb(max_input_mb)


class Only(str, Enum):
    survivors = "survivors"
    all = "all"


def _presets() -> list[str]:
    from d2c.space import available_presets

    return available_presets()


def _complete_provider(incomplete: str) -> list[str]:
    return [name for name in _presets() if name.startswith(incomplete)]


PROVIDER_HELP = "Provider preset name (completed by the shell; an unknown name lists them all) or a preset file."


CHECKPOINT_OPTION = typer.Option(None, "--checkpoint", help="Save the run's state to this file as it goes "
                                 "(atomically), to resume it after a crash (--resume).")
CHECKPOINT_EVERY_OPTION = typer.Option("6h", "--checkpoint-every", help="Simulated time between checkpoints "
                                       "(3600, 90m, 6h, 1d; rounded to whole steps).")
RESUME_OPTION = typer.Option(None, "--resume", help="Continue the run saved in this checkpoint: the same scenario, "
                             "topology, options and version of d2c.")


@app.command()
def run(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the result as JSON to this file (- for stdout)."),
    html_out: Optional[Path] = typer.Option(None, "--html", help="Also write the report as a printable HTML document, "
                                            "with charts and a map (- for stdout)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no report (use with --json)."),
    sample: Optional[float] = typer.Option(None, "--sample", min=1e-9, max=1.0,
                                           help="Share of flows replayed as packets (default: automatic)."),
    no_traffic: bool = typer.Option(False, "--no-traffic", help="Skip the packet replay (capacity model only)."),
    checkpoint: Optional[Path] = CHECKPOINT_OPTION,
    checkpoint_every: str = CHECKPOINT_EVERY_OPTION,
    resume_from: Optional[Path] = RESUME_OPTION,
) -> None:
    """Run a scenario and report how much emergency service survived, step by step."""
    if is_stdout(json_out) and is_stdout(html_out):
        fail("--json and --html: at most one of them can be - (standard output)")
    _check_checkpoint(checkpoint)
    check_output(json_out, html_out, checkpoint)
    sc = _load(scenario)
    sample = None if no_traffic else sample
    options = {"traffic": not no_traffic, "sample": sample}  # a resumed run must be built the same way
    sim, after_step = _checkpointed(sc, lambda world=None: _simulation(sc, sample, traffic=not no_traffic, world=world),
                                    options, checkpoint, checkpoint_every, resume_from)
    out = _report_console(json_out, html_out)
    result = _run(sim, quiet, out, after_step=after_step)
    if json_out is not None:
        write_json(json_out, result.to_dict())
    if html_out is not None:
        from d2c.report.document import render

        write_output(html_out, render(result.to_dict(), "html"))
    if not quiet:
        terminal.render(result, out)
        for path, what in ((json_out, "JSON"), (html_out, "HTML report")):
            if path is not None and not is_stdout(path):
                out.print(f"[dim]{what} written to {plain(path)}[/]")


def _load(path: Path):
    try:
        return load_scenario(path)
    except ConfigError as exc:
        fail(str(exc))


def _simulation(sc, sample: Optional[float], traffic: bool, keep_packets: bool = False, world=None) -> Simulation:
    from d2c.traffic.stage import EngineTraffic
    from d2c.world import World

    world = world or World(sc.topology)
    hook = EngineTraffic(sc, world, sample=sample, keep_segments=keep_packets) if traffic else None
    return Simulation(sc, world=world, traffic=hook)


def _check_checkpoint(checkpoint: Optional[Path]) -> None:
    if is_stdout(checkpoint):
        fail("--checkpoint: expected a file, got - (standard output)")


def _checkpointed(sc, build, options: dict, checkpoint: Optional[Path], every: str, resume_from: Optional[Path]):
    """The simulation to run (built, or resumed from ``resume_from``) and its after-step saver (or None)."""
    from d2c.checkpoint import Checkpointer, resume

    every_s = _checkpoint_every(every, sc.step_s)
    sim = resume(resume_from, build, options) if resume_from is not None else build()
    if checkpoint is None:
        return sim, None
    return sim, Checkpointer(checkpoint, every_s, lambda: build(sim.world), options).after_step


def _checkpoint_every(text: str, step_s: float) -> float:
    """``--checkpoint-every`` in seconds of simulated time: a duration of at least one step."""
    import yaml

    from d2c.base import reader

    mark = yaml.Mark("--checkpoint-every", 0, 0, 0, None, None)
    try:
        every_s = reader.positive_duration_s(yaml.ScalarNode("tag:yaml.org,2002:str", text, mark, mark),
                                             reader.Ctx("--checkpoint-every"))
    except ConfigError as exc:
        fail(f"--checkpoint-every: expected {exc.expected}, got {plain(text)}")
    if every_s < step_s:
        fail(f"--checkpoint-every: expected at least one step ({step_s:g} s), got {plain(text)}")
    return every_s


def _run(sim: Simulation, quiet: bool, out: Console, after_step=None):
    def on_step(state, advance=None):
        if advance is not None:
            advance()
        if after_step is not None:
            after_step(sim)

    if quiet or not out.is_terminal:
        return sim.run(on_step=on_step if after_step is not None else None)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} steps"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=out, transient=True) as progress:
        task = progress.add_task(plain(sim.scenario.name), total=sim.steps, completed=sim.index)
        return sim.run(on_step=lambda state: on_step(state, lambda: progress.advance(task)))


@app.command()
def traffic(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    pcap: Path = typer.Option(..., "--pcap", help="Capture to write (classic pcap, opens in Wireshark)."),
    only: Only = typer.Option(Only.survivors, "--only", help="survivors: what got through, at the time it got through; all: everything offered."),
    sample: Optional[float] = typer.Option(None, "--sample", min=1e-9, max=1.0,
                                           help="Share of flows to generate (default: automatic)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the run's result (with traffic metrics; - for stdout)."),
    kinds: Optional[str] = typer.Option(None, "--kinds", metavar="KIND[,KIND...]",
                                        help="Write only these traffic kinds: calls, sms, ptt, warnings, bulk (default: all)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no report."),
    checkpoint: Optional[Path] = CHECKPOINT_OPTION,
    checkpoint_every: str = CHECKPOINT_EVERY_OPTION,
    resume_from: Optional[Path] = RESUME_OPTION,
) -> None:
    """Replay a scenario's emergency traffic as real packets and write them to a pcap."""
    from d2c.traffic import TRAFFIC_KINDS, write_capture

    from d2c.traffic.stage import CAPTURE_CALL_ATTEMPTS, auto_sample

    chosen = _traffic_kinds(kinds, TRAFFIC_KINDS)
    _check_checkpoint(checkpoint)
    check_output(pcap, json_out, checkpoint)
    sc = _load(scenario)
    # a capture keeps every voice packet: by default a smaller sample than a run's
    share = auto_sample(sc, CAPTURE_CALL_ATTEMPTS) if sample is None else sample
    options = {"traffic": True, "sample": share, "packets": True}  # the capture's packets are in the checkpoint
    sim, after_step = _checkpointed(
        sc, lambda world=None: _simulation(sc, share, traffic=True, keep_packets=True, world=world),
        options, checkpoint, checkpoint_every, resume_from)
    out = _report_console(json_out)
    result = _run(sim, quiet, out, after_step=after_step)
    captured = sim.traffic.finish()
    sizes = write_capture(pcap, captured, only=only.value, kinds=chosen)
    packets = sum(n for n, _ in sizes.values())
    if json_out is not None:
        write_json(json_out, result.to_dict())
    if not quiet:
        traffic_report.render(result, out)
    total_bytes = sum(b for _, b in sizes.values())
    parts = ", ".join(f"{kind} {sizes[kind][1] / 1e6:,.1f} MB" for kind in chosen if kind in sizes)
    out.print(f"{packets:,} packets ({total_bytes / 1e6:,.1f} MB{': ' + parts if parts else ''}) written to "
              f"{plain(pcap)} ({only.value}, sample {sim.traffic.sample:.3g})", highlight=False)


def _traffic_kinds(text: Optional[str], known: tuple[str, ...]) -> tuple[str, ...]:
    """``--kinds calls,sms`` as a tuple of known kinds (one line and exit 2 otherwise)."""
    if text is None:
        return known
    chosen = tuple(k.strip() for k in text.split(","))
    for k in chosen:
        if k not in known:
            fail(f"--kinds: expected some of {', '.join(known)} separated by commas, got {k!r}")
    return chosen


@app.command()
def validate(files: List[Path] = typer.Argument(
        ..., help="Topology, scenario, drill, decisions, provider preset or result JSON files (the kind is recognised).")) -> None:
    """Check files without running them: every field, unit and reference, each read as its own kind."""
    drills = drill_names(files)  # decisions files name their drill: the drills given here are used first
    failed = 0
    for path in files:
        try:
            _, detail = check_file(path, drills)
            console.print(f"[green]ok[/] {plain(path)}: {plain(detail)}", highlight=False)
        except (ConfigError, ResultFileError) as exc:
            error_line(exc)  # each file's refusal on its line; the status once all are checked
            failed += 1
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


def _provider(provider: Optional[str], walker: Optional[str], altitude_km: Optional[float]):
    from d2c.space import Provider, load_provider

    if (provider is None) == (walker is None):
        fail(f"give either --provider NAME ({', '.join(_presets())}) or --walker SPEC with --altitude-km")
    try:
        if provider is not None:
            return load_provider(provider)
        if altitude_km is None:
            fail("--walker needs --altitude-km")
        return Provider.from_walker(walker, altitude_km)
    except ValueError as exc:
        fail(str(exc))


def _utc(text: str):
    try:
        return utc_time(text, assume_utc=True)
    except ValueError as exc:
        fail(f"--at: expected {exc}, got {text!r}")


@app.command()
def sky(
    lat: float = typer.Option(..., "--lat", help="Latitude, degrees north."),
    lon: float = typer.Option(..., "--lon", help="Longitude, degrees east."),
    at: str = typer.Option(..., "--at", help="UTC time, ISO 8601."),
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP, autocompletion=_complete_provider),
    walker: Optional[str] = typer.Option(None, "--walker", help='Your own Walker-delta shell, "i:t/p/f".'),
    altitude_km: Optional[float] = typer.Option(None, "--altitude-km", help="Altitude of the --walker shell."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the list as JSON (- for stdout)."),
) -> None:
    """The satellites above the provider's elevation mask from a place at a time."""
    from rich.table import Table

    from d2c.space import sky as sky_at

    check_output(json_out)
    p = _provider(provider, walker, altitude_km)
    when = _utc(at)
    try:
        entries = sky_at(lat, lon, when, p.constellation(when), mask_deg=p.elevation_mask_deg)
    except ValueError as exc:
        fail(str(exc))
    rows = [{"name": e.name, "elevation_deg": round(e.elevation_deg, 3), "azimuth_deg": round(e.azimuth_deg, 3),
             "slant_range_km": round(e.slant_range_km, 3), "delay_ms": round(e.delay_ms, 4)} for e in entries]
    table = Table(title=f"{plain(p.name)} from {lat:.4f}, {lon:.4f} at {when.isoformat()} (mask {p.elevation_mask_deg:g} deg)")
    for col in ("satellite", "elevation_deg", "azimuth_deg", "slant_range_km", "delay_ms"):
        table.add_column(col, justify="left" if col == "satellite" else "right")
    for row in rows:
        table.add_row(Text(row["name"]), *(f"{row[k]:.2f}" for k in ("elevation_deg", "azimuth_deg", "slant_range_km", "delay_ms")))
    out = _report_console(json_out)
    print_parts(out, [table, f"{len(rows)} satellite(s) visible"])
    if json_out is not None:
        write_json(json_out, {"provider": p.name, "lat": lat, "lon": lon, "at": when.isoformat(),
                              "elevation_mask_deg": p.elevation_mask_deg, "satellites": rows})


@app.command()
def linkbudget(
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP, autocompletion=_complete_provider),
    walker: Optional[str] = typer.Option(None, "--walker", help='Your own Walker-delta shell, "i:t/p/f".'),
    altitude_km: Optional[float] = typer.Option(None, "--altitude-km", help="Altitude of the --walker shell."),
    elevation_deg: float = typer.Option(..., "--elevation-deg", min=0.0, max=90.0, help="Elevation of the satellite."),
    indoor: bool = typer.Option(False, "--indoor", help="The handset is indoors: add the ITU-R P.2109 building-entry loss."),
    building: str = typer.Option("traditional", "--building", help="traditional or thermally-efficient (ITU-R P.2109)."),
    probability: float = typer.Option(0.5, "--probability", min=0.001, max=0.999,
                                      help="Share of indoor positions whose entry loss is at most the one used (0.5: median)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the budget as JSON (- for stdout)."),
) -> None:
    """A provider's downlink and uplink budget at one elevation, line by line."""
    from rich.table import Table

    from d2c.space import SERVICE_NAMES, slant_range_km
    from d2c.space.entry_loss import BUILDING_TYPES, building_entry_loss_db

    check_output(json_out)
    if building not in BUILDING_TYPES:
        fail(f"--building: expected one of {', '.join(BUILDING_TYPES)}, got {building!r}")
    p = _provider(provider, walker, altitude_km)
    if p.altitude_km is None:
        fail(f"{p.name} is defined by TLEs; its altitude varies, use --walker with --altitude-km")
    distance_km = float(slant_range_km(p.altitude_km, elevation_deg))
    bel_mhz = p.radio.building_loss_frequency_mhz
    bel_db = float(building_entry_loss_db(bel_mhz / 1000.0, elevation_deg, probability, building)) if indoor else 0.0
    budgets = {"downlink": p.radio.downlink(distance_km, bel_db), "uplink": p.radio.uplink(distance_km, bel_db)}
    margins = p.radio.margin_db(np.array([distance_km])) - bel_db
    offered = int((margins >= 0).sum())
    service = SERVICE_NAMES[offered]
    where = (f"indoors, {building} building, entry loss not exceeded in {probability:.0%} of positions "
             f"(ITU-R P.2109 at {bel_mhz:g} MHz)") if indoor else "outdoors"
    doc = {"provider": p.name, "altitude_km": p.altitude_km, "elevation_deg": elevation_deg,
           "slant_range_km": round(distance_km, 3), "service": service,
           "downlink_mhz": p.radio.downlink_frequency_mhz, "uplink_mhz": p.radio.uplink_frequency_mhz,
           "band": p.band.name, "indoor": indoor, "building_entry_loss_db": round(bel_db, 3),
           "body_loss_db": p.radio.losses.body_loss_db}
    out = _report_console(json_out)
    out.print(f"{plain(p.name)}: band {p.band.name}, downlink {p.radio.downlink_frequency_mhz:g} MHz, "
              f"uplink {p.radio.uplink_frequency_mhz:g} MHz; handset {where}", highlight=False)
    for direction, budget in budgets.items():
        table = Table(title=f"{plain(p.name)} {direction} at {elevation_deg:g} deg elevation ({distance_km:.1f} km)")
        table.add_column("line")
        table.add_column("value", justify="right")
        table.add_column("unit")
        for line in budget.lines():
            table.add_row(line.name, f"{line.value:.2f}", line.unit)
        print_parts(out, [table])
        doc[direction] = [{"name": line.name, "value": round(float(line.value), 4), "unit": line.unit}
                          for line in budget.lines()]
    out.print(f"A handset here gets: [bold]{service}[/] (the weaker direction decides)")
    if json_out is not None:
        write_json(json_out, doc)


topology_app = typer.Typer(no_args_is_help=True, context_settings=CONTEXT, help="Build topologies from real population data.")
app.add_typer(topology_app, name="topology")


@topology_app.command("build")
def topology_build(
    out: Path = typer.Option(..., "--out", help="Topology YAML to write (atomically)."),
    country: str = typer.Option("IT", "--country", help="ISO country code."),
    region: Optional[str] = typer.Option(None, "--region", help="Region name or GeoNames code, e.g. Lazio."),
    bbox: Optional[str] = typer.Option(None, "--bbox", help="S,W,N,E in degrees."),
    seed: int = typer.Option(1, "--seed", help="Seed for batteries, microwave hops and layout draws."),
    name: Optional[str] = typer.Option(None, "--name", help="Topology name (default from country/region)."),
) -> None:
    """Build a plausible mobile network over GeoNames places (docs/TOPOLOGY_MODEL.md)."""
    from d2c.topology import build_topology, summarize, write_topology

    check_output(out)
    box = None
    if bbox is not None:
        try:
            box = tuple(float(v) for v in bbox.split(","))
        except ValueError:
            fail(f"--bbox: expected four numbers S,W,N,E, got {bbox!r}")
    try:
        topology = build_topology(country=country, region=region, bbox=box, seed=seed, name=name)
    except ValueError as exc:
        fail(str(exc))
    write_topology(topology, out)
    counts = summarize(topology)
    console.print(f"[green]wrote[/] {plain(out)}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()
                                                        if isinstance(v, (int, float))), highlight=False)


@app.command()
def sweep(
    scenario: Path = typer.Argument(..., help="Scenario YAML file."),
    seeds: int = typer.Option(20, "--seeds", min=1, help="How many seeds to run."),
    first_seed: Optional[int] = typer.Option(None, "--first-seed", min=0, help="First seed (default: the scenario's)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a local cluster)."),
    workers: int = typer.Option(2, "--workers", min=1, help="Workers of the local cluster."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write every run and the percentiles as JSON (- for stdout)."),
) -> None:
    """Run a scenario over many seeds on Dask and report the spread (an uncertainty band)."""
    from d2c.cluster import threads_started_without_ctrl_c
    from d2c.report import sweep as sweep_report
    from d2c.sweep import sweep as run_sweep

    check_output(json_out)
    sc = _load(scenario)
    start = sc.seed if first_seed is None else first_seed
    out = _report_console(json_out)
    status = out.status(f"running {seeds} seeds of {plain(sc.name)}")
    with threads_started_without_ctrl_c():  # a Ctrl-C while the cluster starts is then never lost
        status.start()
    try:
        result = run_sweep(sc, list(range(start, start + seeds)), scheduler=scheduler, workers=workers)
    finally:
        status.stop()
    if json_out is not None:
        write_json(json_out, result.to_dict())
    sweep_report.render(result, out)


@app.command()
def compare(
    comparison: Path = typer.Argument(..., help="Comparison YAML file (comparisons/*.yaml)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Dask scheduler address; 'none' runs in this process (default: a local cluster)."),
    workers: int = typer.Option(2, "--workers", min=1, help="Workers of the local cluster."),
    seeds: Optional[int] = typer.Option(None, "--seeds", min=1, help="Use at most this many seeds of each scenario."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for the reports (it must exist): HTML, Markdown, CSV, JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no terminal summary."),
) -> None:
    """Providers x scenarios x seeds: 112 service each D2C option restores a year, at what cost, and what if denied."""
    from d2c.compare import load_comparison, run_comparison
    from d2c.compare import terminal as compare_terminal
    from d2c.compare.files import report_paths, write_reports

    if out is not None:
        check_output(*report_paths(out))
    spec = load_comparison(comparison)
    if seeds is not None:
        spec = spec.first_seeds(seeds)
    if quiet:
        result = run_comparison(spec, scheduler, workers)
    else:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} runs"),
                      TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True) as progress:
            task = progress.add_task(f"compare {spec.name}", total=None)
            result = run_comparison(spec, scheduler, workers,
                                    on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    written = write_reports(result, out) if out is not None else []
    if not quiet:
        compare_terminal.render(result, console)
        for path in written:
            console.print(f"[dim]written {plain(path)}[/]", highlight=False)


app.command()(drill)
app.command()(report)


ExportFormat = Enum("ExportFormat", {f: f for f in ("geojson", "csv", "kml")}, type=str)


def _result_doc(result_json: Path) -> dict:
    try:
        return load_document(result_json)
    except ResultFileError as exc:
        fail(str(exc))


def _result(result_json: Path) -> Result:
    try:
        return load_result(result_json)
    except ResultFileError as exc:
        fail(str(exc))


@app.command()
def export(
    result_json: Path = typer.Argument(..., help="Result JSON from d2c run --json (or drill --json)."),
    format: ExportFormat = typer.Option(..., "--format", "-f", help="geojson, csv or kml."),  # noqa: A002
    out: Path = typer.Option(Path("-"), "--out", "-o", help="File to write (atomically; - for stdout, the default)."),
) -> None:
    """Areas and sites with their status and cause per hour, for GIS tools ([lon, lat], WGS 84)."""
    from d2c.report.gis import NoPlaces, export as export_places

    check_output(out)
    result = _result(result_json)
    try:
        text = export_places(result, format.value)
    except NoPlaces as exc:
        fail(f"{result_json}: {exc}")
    write_output(out, text)
    if not is_stdout(out):
        console.print(f"[dim]{format.value} written to {plain(out)}[/]", highlight=False)


@app.command()
def explain(
    result_json: Path = typer.Argument(..., help="Result JSON from d2c run --json (or drill --json)."),
    place: str = typer.Argument(..., help="Name or id of an area, e.g. Norcia."),
    scenario: Optional[Path] = typer.Option(None, "--scenario", help="The scenario file the result came from "
                                            "(default: the path recorded in the result)."),
) -> None:
    """Why a place lost service: its sites, their power, backhaul and core, with times, in plain words."""
    from d2c.explain import UnknownPlace, explain as explain_place
    from d2c.world import World

    doc = _result_doc(result_json)
    if not doc.get("places"):
        fail(f"{result_json}: expected a result with a places block (run the scenario again with this d2c)")
    path = scenario or (Path(doc["scenario"]["path"]) if doc["scenario"].get("path") else None)
    if path is None:
        fail("--scenario: expected the scenario file of this result (the result does not record it)")
    sc = _load(path)
    try:
        lines = explain_place(doc, place, World(sc.topology))
    except UnknownPlace as exc:
        fail(f"{place}: {exc}")
    for line in lines:
        console.print(Text(line), soft_wrap=True)


@app.command()
def hindcast(
    events: Optional[List[str]] = typer.Argument(None, help="Event ids to run (default: every event in the file)."),
    spec: Path = typer.Option(Path("validation/hindcast.yaml"), "--spec", help="Hindcast file (events, observed series, targets)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scores and curves as JSON."),
    md_out: Optional[Path] = typer.Option(None, "--md", help="Also write the scores as Markdown."),
    svg_out: Optional[Path] = typer.Option(None, "--svg", help="Also write the charts as one SVG file."),
    into: Optional[Path] = typer.Option(None, "--into", help="Replace the hindcast block of this Markdown file "
                                        "(between <!-- hindcast:begin --> and <!-- hindcast:end -->) with the scores."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No terminal report (use with --json / --md)."),
) -> None:
    """Run the analogue scenarios with default restoration and score them against real outage series."""
    check_output(json_out, md_out, svg_out, into)
    quoted = hc.read_quoting(into) if into is not None else None
    results = run_hindcast(spec, events or None)
    if json_out is not None:
        write_json(json_out, hc.document(results))
    if md_out is not None:
        write_atomic(md_out, hc.markdown(results))
    if svg_out is not None:
        write_atomic(svg_out, hc.svg(results))
    if into is not None:
        write_atomic(into, hc.quote(quoted, hc.markdown(results), into))
    if not quiet:
        hc.render_terminal(results, console)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
