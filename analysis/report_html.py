"""The index.html of `hlsim report`: one self-contained page (inline style, relative links to the
plot files beside it, no scripts) with the file's identity, warnings, the key figures table, the
sweep aggregate for a sweep, and every plot with its caption or the reason it was skipped.
"""
import html
import math
import os

import pandas as pd

from hlsim_results import IDENTITY_KEYS, format_value, short_key

# The key figures table: (key_figures column, header, format). Swept parameters go after seed.
FIGURE_COLUMNS = (
    ("run_id", "run", "{}"),
    ("protocol", "protocol", "{}"),
    ("workload", "workload", "{}"),
    ("nodes", "nodes", "{:.0f}"),
    ("seed", "seed", "{:.0f}"),
    ("status", "status", "{}"),
    ("committed_tps", "committed tx/s", "{:,.1f}"),
    ("offered_tps", "offered tx/s", "{:,.1f}"),
    ("p50_ms", "p50 ms", "{:,.1f}"),
    ("p99_ms", "p99 ms", "{:,.1f}"),
    ("mean_ms", "mean ms", "{:,.1f}"),
    ("msgs_per_block", "msgs / block", "{:,.1f}"),
    ("bytes_per_block", "KiB / block", "kib"),
    ("blocks", "blocks", "{:,.0f}"),
    ("committed", "committed tx", "{:,.0f}"),
    ("lost", "lost tx", "{:,.0f}"),
    ("pending", "pending tx", "{:,.0f}"),
    ("fault_windows", "fault windows", "{:.0f}"),
    ("violations", "safety violations", "{:.0f}"),
)

# The sweep aggregate table: (metric, header).
AGGREGATE_METRICS = (("committed_tps", "committed tx/s"), ("p50_ms", "p50 ms"),
                     ("p99_ms", "p99 ms"), ("msgs_per_block", "msgs / block"))

# At most this many warnings are listed; the rest are counted.
MAX_WARNINGS = 30

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 78em; padding: 0 1em;
       color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
.meta { color: #555; }
.warn { background: #fff4e0; border-left: 4px solid #e69500; padding: 0.5em 1em; }
.skipped { color: #666; font-style: italic; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bad { color: #b00; font-weight: bold; }
.scroll { overflow-x: auto; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { max-width: 60em; }
.notes { color: #555; font-size: 0.9em; }
pre { background: #f7f7f7; padding: 0.5em; overflow-x: auto; }
"""


def _esc(text):
    return html.escape(str(text), quote=True)


def _missing(value):
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _cell(value, fmt):
    """(text, numeric?) of a table cell: "-" for missing values."""
    if isinstance(value, str):
        return value or "-", False
    if value is None or value is pd.NA or _missing(value):
        return "-", False
    if fmt == "kib":
        return f"{float(value) / 1024:,.1f}", True
    if fmt == "{}":
        return format_value(value), True
    return fmt.format(float(value)), True


def _figures_table(figures, params):
    columns = list(FIGURE_COLUMNS[:5])
    columns += [(p, short_key(p), "{}") for p in params]
    columns += list(FIGURE_COLUMNS[5:])
    out = ['<div class="scroll"><table>', "<tr>" + "".join(
        f'<th title="{_esc(name)}">{_esc(header)}</th>' for name, header, _ in columns) + "</tr>"]
    for _, row in figures.iterrows():
        cells = []
        for name, _, fmt in columns:
            text, numeric = _cell(row.get(name), fmt)
            bad = name == "status" and text != "ok" or name == "violations" and text not in (
                "0", "-")
            cls = " ".join(c for c in ("num" if numeric else "", "bad" if bad else "") if c)
            attr = f' class="{cls}"' if cls else ""
            cells.append(f"<td{attr}>{_esc(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table></div>")
    return "\n".join(out)


def _aggregate_table(sweep):
    agg = sweep.aggregate
    params = [p for p in sweep.parameters if p in agg.columns]
    metrics = [(m, h) for m, h in AGGREGATE_METRICS if f"{m}_mean" in agg.columns]
    head = [_esc(p) for p in params] + ["n (ok runs)"] + [
        f"{_esc(h)}<br>mean [95% CI]" for _, h in metrics]
    out = ['<div class="scroll"><table>', "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for _, row in agg.sort_values(params).iterrows() if params else agg.iterrows():
        cells = [f"<td>{_esc(format_value(row[p]))}</td>" for p in params]
        cells.append(f'<td class="num">{_esc(_cell(row.get("n"), "{:.0f}")[0])}</td>')
        for m, _ in metrics:
            mean, lo, hi = row[f"{m}_mean"], row.get(f"{m}_ci95_lo"), row.get(f"{m}_ci95_hi")
            if _missing(mean):
                text = "-"
            elif _missing(lo) or _missing(hi) or lo == hi:
                text = f"{mean:,.1f}"
            else:
                text = f"{mean:,.1f} [{lo:,.1f}, {hi:,.1f}]"
            cells.append(f'<td class="num">{_esc(text)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table></div>")
    return "\n".join(out)


def _warnings(results, figures):
    """Things a reader must know before trusting the figures: file warnings, runs that are not ok
    (including sweep runs that stored no results), and the notes hlsim attached to each run's
    summary."""
    items = list(results.warnings)
    # /sweep/runs may say what went wrong with a run in a `detail` column.
    sweep_runs = results.sweep.runs if results.sweep is not None else None
    detail = {}
    if sweep_runs is not None and {"run_id", "detail"} <= set(sweep_runs.columns):
        detail = {r: d for r, d in zip(sweep_runs["run_id"], sweep_runs["detail"]) if d}
    have = {r.run_id for r in results.runs}
    for _, row in figures[~figures["run_id"].isin(have)].iterrows():
        why = f": {detail[row['run_id']]}" if row["run_id"] in detail else ""
        items.append(f"run {row['run_id']}: status {row['status']}, no results stored{why}")
    many = len(results.runs) > 1
    for run in results.runs:
        who = f"run {run.run_id} ({run.label}): " if many else ""
        if run.run_id in detail and run.status != "ok":
            items.append(f"{who}status {run.status}: {detail[run.run_id]}")
        # A run stopped by a safety violation says so in its stop reason; listed once below.
        stopped_by_violation = run.violations and "violation" in run.stop_reason
        if not run.complete and not stopped_by_violation:
            items.append(f"{who}incomplete" + (f": {run.stop_reason}" if run.stop_reason else ""))
        for v in run.violations:
            items.append(f"{who}safety violation: {v}")
        if run.sweep_status and run.sweep_status not in ("ok", "violation", "incomplete"):
            items.append(f"{who}status {run.sweep_status}")
        for note in run.figure("notes", default=[]) or []:
            items.append(f"{who}{note}")
    if len(items) > MAX_WARNINGS:
        extra = len(items) - MAX_WARNINGS
        items = items[:MAX_WARNINGS] + [f"\u2026 and {extra} more"]
    return items


def _plot_section(plot):
    out = [f'<section id="{_esc(plot.key)}">', f"<h2>{_esc(plot.title)}</h2>"]
    if plot.skipped:
        out.append(f'<p class="skipped">Not drawn: {_esc(plot.skipped)}.</p>')
    else:
        png, others = plot.files[0], plot.files[1:]
        link = next((f for f in others if f.endswith(".svg")), png)
        out.append(f'<figure><a href="{_esc(link)}"><img src="{_esc(png)}" '
                   f'alt="{_esc(plot.title)}"></a>')
        out.append(f"<figcaption>{_esc(plot.caption)} <span class=\"notes\">Files: " + ", ".join(
            f'<a href="{_esc(f)}">{_esc(f)}</a>' for f in plot.files) + "</span></figcaption>")
        out.append("</figure>")
    if plot.notes:
        out.append('<ul class="notes">' + "".join(f"<li>{_esc(n)}</li>" for n in plot.notes)
                   + "</ul>")
    out.append("</section>")
    return "\n".join(out)


def render(results, title, plots, figures, csv_name):
    """The page as a string. `title` names the results file as the user gave it; plots are the
    Plot records in page order; figures is key_figures(results), also written to csv_name."""
    runs = results.runs
    sweep = results.sweep
    versions = sorted({r.hlsim_version for r in runs if r.hlsim_version})
    workloads = list(dict.fromkeys(r.workload for r in runs))
    meta = [f"Results file <code>{_esc(title)}</code>",
            f"{len(runs)} run{'s' if len(runs) != 1 else ''}",
            "protocol" + ("s " if len(results.protocols) > 1 else " ")
            + _esc(", ".join(results.protocols)),
            "workload" + ("s " if len(workloads) > 1 else " ") + _esc(", ".join(workloads))]
    if sweep is not None:
        meta.append("sweep over " + _esc(", ".join(sweep.parameters) or "seeds only"))
    if versions:
        meta.append("hlsim " + _esc(", ".join(versions)))
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>hlsim report: {_esc(os.path.basename(title))}</title>",
           f"<style>{STYLE}</style>", "</head>", "<body>",
           f"<h1>hlsim report: {_esc(os.path.basename(title))}</h1>",
           f'<p class="meta">{" &middot; ".join(meta)}</p>']
    warnings = _warnings(results, figures)
    if warnings:
        out.append('<div class="warn"><strong>Read with care:</strong><ul>'
                   + "".join(f"<li>{_esc(w)}</li>" for w in warnings) + "</ul></div>")
    sections = [("figures", "Key figures")]
    if sweep is not None and sweep.aggregate is not None and len(sweep.aggregate):
        sections.append(("aggregate", "Sweep aggregate"))
    sections += [(p.key, p.title + (" (not drawn)" if p.skipped else "")) for p in plots]
    out.append("<nav><ul>" + "".join(f'<li><a href="#{_esc(k)}">{_esc(t)}</a></li>'
                                     for k, t in sections) + "</ul></nav>")

    # Swept keys that restate protocol, nodes or workload are already in those columns.
    params = [p for p in (sweep.parameters if sweep is not None else [])
              if p in figures.columns and p not in IDENTITY_KEYS]
    out += ['<section id="figures">', "<h2>Key figures</h2>",
            "<p>One row per run, from the summary hlsim stored with it (also in "
            f'<a href="{_esc(csv_name)}">{_esc(csv_name)}</a>). Committed tx/s counts the '
            "transactions ordered during the load window over its length; p50 / p99 / mean are "
            "the client-observed commit latency; msgs and KiB per block are the protocol messages "
            "all validators sent per committed block. A status other than ok (incomplete, "
            "violation, error) is shown in red; such runs are left out of comparisons and "
            "aggregates.</p>", _figures_table(figures, params), "</section>"]
    if ("aggregate", "Sweep aggregate") in sections:
        out += ['<section id="aggregate">', "<h2>Sweep aggregate</h2>",
                "<p>One row per sweep point, over its seeds (runs with status ok only): the mean "
                "and the 95% confidence interval of the mean (Student t; none with one run).</p>",
                _aggregate_table(sweep)]
        if sweep.spec:
            out.append("<details><summary>Sweep specification</summary>"
                       f"<pre>{_esc(sweep.spec)}</pre></details>")
        out.append("</section>")
    out += [_plot_section(p) for p in plots]
    if len(runs) == 1 and runs[0].scenario_yaml:
        out.append("<details><summary>Scenario of the run (effective YAML)</summary>"
                   f"<pre>{_esc(runs[0].scenario_yaml)}</pre></details>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
