"""The plots of `hlsim report`, drawn with matplotlib (Agg backend) from an opened results file.

Every plot function takes the Results (hlsim_results) and the output directory and returns Plot
records: the PNG and SVG files it wrote, a caption saying what the plot shows and how to read it,
or, when the file lacks its data, the reason it was skipped. Files are named after Plot.key.
Output is deterministic for a given results file (no dates in the files, a fixed SVG id salt), so
two reports of the same file compare equal.
"""
import math
import os
import re
from dataclasses import dataclass, field

import matplotlib
import numpy as np
import pandas as pd

from hlsim_results import format_value, group_rows, mean_ci95, short_key

# No display: render to files only. The backend must be chosen before pyplot loads.
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import matplotlib.transforms as mtransforms  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

# Throughput over time: one line per run up to this many runs, else one per sweep point up to this
# many points, else one per protocol.
MAX_LINES = 8
# Fault windows named one by one (F1, F2, ...) up to this many, else shaded alike.
MAX_LABELLED_FAULTS = 8
# Messages per block: one bar per run (or per sweep point) up to this many, else per protocol.
MAX_BAR_GROUPS = 24
# Per-protocol comparison: side-by-side bars per configuration up to this many configurations.
MAX_CLUSTERS = 6
# Longest fault description kept in a legend.
MAX_LABEL_CHARS = 60

PROTOCOL_KEY = "consensus.protocol"
ROLE_ORDER = {"proposal": 0, "vote": 1, "other": 2}

plt.rcParams.update({
    "svg.hashsalt": "hlsim-report",  # stable element ids: identical input, identical SVG
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "axes.titlesize": 10,
})


@dataclass
class Plot:
    """One plot of the report: drawn (files non-empty) or skipped (reason in `skipped`)."""
    key: str  # file stem and HTML anchor
    title: str
    caption: str = ""  # what the plot shows and how to read it (plain text)
    files: list = field(default_factory=list)  # written files relative to the output dir, PNG first
    skipped: str = ""  # why the plot was not drawn
    notes: list = field(default_factory=list)  # remarks on the data behind it (plain text)


def _colors(n):
    """n distinguishable colours: tab10 up to 10, tab20 up to 20, then a continuous map."""
    if n <= 10:
        return [plt.get_cmap("tab10")(i) for i in range(n)]
    if n <= 20:
        return [plt.get_cmap("tab20")(i) for i in range(n)]
    return [plt.get_cmap("turbo")(i / max(1, n - 1)) for i in range(n)]


def _save(fig, outdir, stem):
    """Writes fig as <stem>.png and <stem>.svg (legends outside the axes included) and closes it."""
    files = [f"{stem}.png", f"{stem}.svg"]
    try:
        fig.savefig(os.path.join(outdir, files[0]), dpi=110, bbox_inches="tight",
                    metadata={"Software": None})
        fig.savefig(os.path.join(outdir, files[1]), bbox_inches="tight", metadata={"Date": None})
    finally:
        plt.close(fig)
    return files


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _shorten(text, limit=MAX_LABEL_CHARS):
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def _table_has(df, *columns):
    return df is not None and len(df) > 0 and set(columns) <= set(df.columns)


# --- 1. Throughput over time -------------------------------------------------------------------

def _per_second(ts):
    """(t, tx/s, p99 ms) of a timeseries table, with one extra point closing the last bucket so a
    post-step line covers it. p99 is NaN in buckets without commits (there is no latency there)."""
    ts = ts.sort_values("t_s")
    t = ts["t_s"].to_numpy(dtype=float)
    width = np.diff(t)
    step = float(np.median(width)) if len(width) else 1.0
    width = np.append(width, step)
    width[width <= 0] = step
    committed = ts["committed"].to_numpy(dtype=float)
    tps = committed / width
    if "p99_ms" in ts.columns:
        p99 = np.where(committed > 0, ts["p99_ms"].to_numpy(dtype=float), np.nan)
    else:
        p99 = np.full(len(t), np.nan)
    return np.append(t, t[-1] + step), np.append(tps, tps[-1]), np.append(p99, p99[-1])


@dataclass
class FaultWindow:
    """A stretch of simulated time with a fault active, as shaded on the throughput plot."""
    label: str  # the fault as hlsim describes it, e.g. "crash node 3 (the leader)"
    begin_s: float
    end_s: float
    ended: bool


def fault_windows(series):
    """The distinct fault windows of (run, timeseries) pairs, ordered by start.

    From a run's faults table when it has rows; otherwise from timeseries.faults_active, whose
    stretches of seconds with an active fault become unnamed windows. Runs of a sweep usually share
    a fault schedule, so identical windows are merged.
    """
    seen = {}
    for run, ts in series:
        faults = run.table("faults")
        if _table_has(faults, "begin_s", "end_s"):
            for _, row in faults.iterrows():
                label = str(row["fault"]) if "fault" in faults.columns else "fault"
                ended = bool(row["ended"]) if "ended" in faults.columns else True
                key = (label, round(float(row["begin_s"]), 3), round(float(row["end_s"]), 3))
                seen[key] = seen.get(key, True) and ended
        elif _table_has(ts, "t_s", "faults_active"):
            ts = ts.sort_values("t_s")
            t, _, _ = _per_second(ts)
            active = ts["faults_active"].to_numpy() > 0
            i = 0
            while i < len(active):
                if not active[i]:
                    i += 1
                    continue
                j = i
                while j + 1 < len(active) and active[j + 1]:
                    j += 1
                seen[("fault active", round(t[i], 3), round(t[j + 1], 3))] = True
                i = j + 1
    windows = [FaultWindow(k[0], k[1], k[2], ended) for k, ended in seen.items()]
    return sorted(windows, key=lambda w: (w.begin_s, w.end_s, w.label))


def _describe_window(w, limit=None):
    """ "crash node 3 (the leader), 4-8 s"; the fault's own text cut to `limit` characters."""
    span = f"{format_value(w.begin_s)}\u2013{format_value(w.end_s)} s"
    label = _shorten(w.label, limit) if limit else w.label
    return f"{label}, {span}" + ("" if w.ended else " (never ended)")


def _shade_faults(axes, windows):
    """Shades the windows on every axis; returns legend handles and caption text for them."""
    if not windows:
        return [], ""
    labelled = len(windows) <= MAX_LABELLED_FAULTS
    colors = _colors(len(windows)) if labelled else ["tab:red"] * len(windows)
    handles = []
    for i, w in enumerate(windows):
        for ax in axes:
            ax.axvspan(w.begin_s, w.end_s, color=colors[i], alpha=0.15, linewidth=0)
        if labelled:
            trans = mtransforms.blended_transform_factory(axes[0].transData, axes[0].transAxes)
            # Staggered heights keep the names of windows that start close together apart.
            axes[0].text(w.begin_s, 0.98 - 0.07 * (i % 3), f" F{i + 1}", transform=trans,
                         va="top", ha="left", fontsize=8, color="0.25")
            handles.append(Patch(color=colors[i], alpha=0.3,
                                 label=f"F{i + 1}: {_describe_window(w, MAX_LABEL_CHARS)}"))
    if labelled:
        text = "; ".join(f"F{i + 1} {_describe_window(w)}" for i, w in enumerate(windows))
        return handles, f"Shaded: fault windows ({text})."
    handles.append(Patch(color="tab:red", alpha=0.3, label=f"fault windows ({len(windows)})"))
    return handles, f"Shaded: {len(windows)} fault windows."


def _throughput_lines(series, notes):
    """The lines of the throughput plot as [(label, [timeseries tables])] and how they were formed
    (caption text): one per run for a few runs, else one per sweep point (its seeds averaged) for
    a few points, else one per protocol. Appends to notes when a protocol line mixes
    configurations."""
    if len(series) <= MAX_LINES:
        if len(series) == 1:
            return [("committed tx/s", [series[0][1]])], "one line per run"
        return [(run.label, [ts]) for run, ts in series], "one line per run"
    tables = {id(run): ts for run, ts in series}
    groups = _replicate_groups([run for run, _ in series])
    mean_text = ("the mean over its runs, with the band spanning the lowest to the highest run; "
                 "the p99 line is the mean of the runs' p99")
    if len(groups) <= MAX_LINES:
        return ([(label, [tables[id(r)] for r in runs]) for label, runs in groups],
                "one line per sweep point: " + mean_text)
    by_protocol = {}
    for run, ts in series:
        by_protocol.setdefault(run.protocol, []).append((run, ts))
    mixed = [proto for proto, pairs in by_protocol.items()
             if len({_configuration(r) for r, _ in pairs}) > 1]
    if mixed:
        notes.append(f"a protocol's line averages runs of different configurations "
                     f"({', '.join(mixed)}); the sweep curves and the table separate them")
    return ([(proto, [ts for _, ts in pairs]) for proto, pairs in by_protocol.items()],
            "one line per protocol: " + mean_text)


def plot_throughput(results, outdir):
    p = Plot("throughput", "Throughput over time")
    series = [(r, r.table("timeseries")) for r in results.runs]
    series = [(r, ts) for r, ts in series if _table_has(ts, "t_s", "committed")]
    if not series:
        p.skipped = "no run has a timeseries table (transactions committed per second)"
        return p
    if len(series) < len(results.runs):
        p.notes.append(f"{_plural(len(results.runs) - len(series), 'run')} without a timeseries "
                       "table left out")
    fig, (ax, ax_lat) = plt.subplots(2, 1, sharex=True, figsize=(9, 5.6),
                                     gridspec_kw={"height_ratios": [2.2, 1]})
    windows = fault_windows(series)
    fault_handles, fault_text = _shade_faults([ax, ax_lat], windows)
    lines, how = _throughput_lines(series, p.notes)
    line_handles = []
    for (label, tables), color in zip(lines, _colors(len(lines))):
        if len(tables) == 1:
            t, tps, p99 = _per_second(tables[0])
            line_handles += ax.step(t, tps, where="post", color=color, label=label)
            ax_lat.step(t, p99, where="post", color=color)
            continue
        # Align the runs on their buckets; a run shorter than others counts only where it has
        # data.
        tps_cols, p99_cols = {}, {}
        for i, ts in enumerate(tables):
            t, tps, p99 = _per_second(ts)
            tps_cols[i] = pd.Series(tps, index=t)
            p99_cols[i] = pd.Series(p99, index=t)
        tps_df = pd.DataFrame(tps_cols).sort_index()
        p99_df = pd.DataFrame(p99_cols).sort_index()
        t = tps_df.index.to_numpy()
        line_handles += ax.step(t, tps_df.mean(axis=1), where="post", color=color,
                                label=f"{label} (mean of {len(tables)} runs)")
        ax.fill_between(t, tps_df.min(axis=1), tps_df.max(axis=1), step="post", color=color,
                        alpha=0.15, linewidth=0)
        ax_lat.step(t, p99_df.mean(axis=1), where="post", color=color)
    durations = {r.figure("duration_s", default=None) for r, _ in series}
    load_text = ""
    if len(durations) == 1 and None not in durations:
        duration = float(durations.pop())
        for a in (ax, ax_lat):
            a.axvline(duration, color="0.4", linestyle="--", linewidth=1)
        line_handles.append(plt.Line2D([], [], color="0.4", linestyle="--",
                                       label=f"load ends ({format_value(duration)} s)"))
        load_text = (f" The dashed line marks the end of the load ({format_value(duration)} s): "
                     "after it only the backlog drains, so the rate falls to zero.")
    ax.set_ylabel("committed tx/s")
    ax.set_ylim(bottom=0)
    ax.set_title("Transactions committed per simulated second")
    ax_lat.set_ylabel("p99 latency (ms)")
    ax_lat.set_xlabel("simulated time (s)")
    ax_lat.set_ylim(bottom=0)
    ax.legend(handles=line_handles + fault_handles, loc="upper left", bbox_to_anchor=(1.01, 1))
    p.files = _save(fig, outdir, p.key)
    p.caption = (
        "Top: transactions committed in each simulated second (steps, " + how + "). Bottom: the "
        "99th-percentile commit latency of the transactions committed in that second (gaps: "
        "nothing committed). A fault shows as a dip or a stall in the top panel and a latency "
        "spike in the bottom one; recovery is where the rate climbs back to the offered load."
        + load_text + (" " + fault_text if fault_text else " No fault windows in this file."))
    return p


# --- 2. Latency CDF per transaction kind -------------------------------------------------------

def _cdf_points(values):
    """(x, y) of the empirical CDF; above 2000 values a quantile grid, finer in the upper tail."""
    v = np.sort(np.asarray(values, dtype=float))
    if len(v) <= 2000:
        return v, np.arange(1, len(v) + 1) / len(v)
    q = np.concatenate([np.linspace(0.0, 0.99, 397, endpoint=False), np.linspace(0.99, 1.0, 201)])
    return np.quantile(v, q), q


def plot_latency_cdf(results, outdir):
    p = Plot("latency_cdf", "Commit latency by transaction kind")
    by_protocol = {}
    runs_without_tx = 0
    runs_without_commits = []
    for run in results.runs:
        lat = run.latencies_ms()
        if lat is None:
            runs_without_tx += 1
        elif len(lat):
            by_protocol.setdefault(run.protocol, []).append(lat)
        else:
            runs_without_commits.append(run)
    if not by_protocol:
        p.skipped = ("no run has a tx table" if runs_without_tx == len(results.runs)
                     else "no transaction was committed")
        return p
    if runs_without_tx:
        p.notes.append(f"{_plural(runs_without_tx, 'run')} without a tx table left out")
    if runs_without_commits:
        protocols = ", ".join(dict.fromkeys(r.protocol for r in runs_without_commits))
        p.notes.append(f"{_plural(len(runs_without_commits), 'run')} ({protocols}) committed no "
                       "transaction and have no latency to show")
    pooled = {proto: pd.concat(frames, ignore_index=True) for proto, frames in by_protocol.items()}
    kinds = sorted(set().union(*(set(df["kind"].unique()) for df in pooled.values())))
    kind_color = dict(zip(kinds, _colors(len(kinds))))
    ncols = min(3, len(pooled))
    nrows = math.ceil(len(pooled) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.4 * ncols + 0.5, 3.5 * nrows), sharex=True,
                             sharey=True, squeeze=False)
    all_lat = np.concatenate([df["latency_ms"].to_numpy() for df in pooled.values()])
    log_x = all_lat.min() > 0 and all_lat.max() / all_lat.min() > 20
    for ax, (protocol, df) in zip(axes.flat, pooled.items()):
        for kind in kinds:
            values = df.loc[df["kind"] == kind, "latency_ms"]
            if len(values):
                ax.plot(*_cdf_points(values), color=kind_color[kind], linewidth=1.2)
        ax.plot(*_cdf_points(df["latency_ms"]), color="black", linewidth=2)
        for q, name in ((0.5, "p50"), (0.99, "p99")):
            ax.axhline(q, color="0.5", linestyle=":", linewidth=0.8)
            ax.text(1.0, q, f" {name}", transform=mtransforms.blended_transform_factory(
                ax.transAxes, ax.transData), va="center", ha="left", fontsize=7, color="0.4")
        runs = len(by_protocol[protocol])
        ax.set_title(f"{protocol}: {len(df):,} committed tx, {_plural(runs, 'run')}")
        if log_x:
            ax.set_xscale("log")
        ax.set_ylim(0, 1.01)
    for ax in axes.flat[len(pooled):]:
        ax.set_visible(False)
    # The x axis is labelled under the lowest panel of each column (the last row may be short).
    for col in range(ncols):
        lowest = axes[(len(pooled) - 1 - col) // ncols, col]
        lowest.xaxis.set_tick_params(labelbottom=True)
        lowest.set_xlabel("latency, submit \u2192 commit (ms" + (", log scale)" if log_x else ")"))
    for ax in axes[:, 0]:
        ax.set_ylabel("fraction committed within")
    handles = [plt.Line2D([], [], color=kind_color[k], label=k) for k in kinds]
    handles.append(plt.Line2D([], [], color="black", linewidth=2, label="all kinds"))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 0.95))
    fig.tight_layout()
    p.files = _save(fig, outdir, p.key)
    per = "one panel per protocol, each pooling its runs; " if len(pooled) > 1 else ""
    p.caption = (
        "Cumulative distribution of the client-observed commit latency (submission to the "
        "gateway's commit) of every transaction a block ordered (committed, denied or invalid by "
        "the contract), one line per transaction kind and in black all kinds together (" + per +
        "lost and pending transactions have no latency and are left out). Read the latency "
        "where a line crosses the dotted p50 and p99 levels; a line further right is slower, "
        "and a long flat tail before it reaches 1 means a few transactions waited much longer "
        "(e.g. through a fault or a leader change).")
    return p


# --- 3. Messages per block by message type -----------------------------------------------------

def message_rates(run):
    """{type: (role, messages sent per committed block)} of a run, or None when unknown.

    From the summary's message_types (which carries the roles), else from the messages table
    (msgs_sent summed over validators) divided by the committed blocks. None without either or
    when no block was committed (a rate per block is then undefined).
    """
    blocks = run.figure("blocks", default=None)
    if blocks is None:
        table = run.table("blocks")
        blocks = None if table is None else len(table)
    if not blocks:
        return None
    types = run.figure("message_types", default=None)
    if isinstance(types, dict) and types:
        return {t: (str(v.get("role", "other")), float(v.get("per_block", math.nan)))
                for t, v in types.items() if isinstance(v, dict)}
    msgs = run.table("messages")
    if not _table_has(msgs, "type", "msgs_sent"):
        return None
    sums = msgs.groupby("type", sort=False)["msgs_sent"].sum()
    return {str(t): ("other", float(s) / blocks) for t, s in sums.items()}


def _point_label(point, drop=()):
    return ", ".join(f"{short_key(k)}={format_value(v)}" for k, v in point.items()
                     if k not in drop)


def _replicate_groups(runs):
    """Runs grouped so that a group differs only in seed: by sweep point in a sweep, else one run
    per group. Returns [(label, [runs])] in file order."""
    groups = {}
    for run in runs:
        if run.sweep_point:
            key = tuple(sorted((k, str(v)) for k, v in run.sweep_point.items()))
            label = _point_label(run.sweep_point)
        else:
            key = ("run", run.run_id)
            label = f"run {run.run_id}: {run.label}" if len(runs) > 1 else run.label
        groups.setdefault(key, (label, []))[1].append(run)
    return list(groups.values())


def plot_messages(results, outdir):
    p = Plot("messages_per_block", "Messages per block by message type")
    rated = [(r, message_rates(r)) for r in results.runs]
    rated = [(r, m) for r, m in rated if m]
    if not rated:
        p.skipped = ("no run has message counts (summary message_types or a messages table) "
                     "with at least one committed block")
        return p
    if len(rated) < len(results.runs):
        p.notes.append(f"{_plural(len(results.runs) - len(rated), 'run')} without message counts "
                       "or committed blocks left out")
    rates = dict((id(r), m) for r, m in rated)
    groups = _replicate_groups([r for r, _ in rated])
    per = "run" if all(len(g[1]) == 1 for g in groups) else "sweep point (mean over its seeds)"
    if len(groups) > MAX_BAR_GROUPS:
        by_protocol = {}
        for run, _ in rated:
            by_protocol.setdefault(run.protocol, []).append(run)
        groups = [(f"{proto} ({_plural(len(runs), 'run')})", runs)
                  for proto, runs in by_protocol.items()]
        per = "protocol (mean over its runs)"
    roles = {}
    for _, m in rated:
        for t, (role, _) in m.items():
            roles.setdefault(t, role)
    types = sorted(roles, key=lambda t: (ROLE_ORDER.get(roles[t], 3), list(roles).index(t)))
    colors = dict(zip(types, _colors(len(types))))
    fig, ax = plt.subplots(figsize=(max(5.5, 0.7 * len(groups) + 3.5), 4.2))
    x = np.arange(len(groups))
    bottom = np.zeros(len(groups))
    for t in types:
        heights = np.array([np.mean([rates[id(r)].get(t, (None, 0.0))[1] for r in runs])
                            for _, runs in groups])
        ax.bar(x, heights, bottom=bottom, color=colors[t], label=f"{t} ({roles[t]})", width=0.7)
        bottom += np.nan_to_num(heights)
    for xi, total in zip(x, bottom):
        ax.text(xi, total, f"{total:.1f}", ha="center", va="bottom", fontsize=7)
    labels = [g[0] for g in groups]
    rotate = len(groups) > 4 or max(len(s) for s in labels) > 18
    ax.set_xticks(x, labels, rotation=30 if rotate else 0, ha="right" if rotate else "center")
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)
    ax.set_ylabel("messages sent per committed block")
    ax.set_title("Protocol messages per committed block, by type (role)")
    ax.margins(y=0.1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    p.files = _save(fig, outdir, p.key)
    p.caption = (
        "Messages all validators sent per committed block, one stacked bar per " + per + ", "
        "split by message type; the label on top is the total. The role in brackets groups the "
        "types: proposal (the leader's block or log entries), vote (replies, votes, "
        "acknowledgements) and other (client forwarding, view changes, elections, sync). "
        "All-to-all voting (PBFT, Tendermint) grows with the square of the validators, "
        "leader-collected votes (Raft, HotStuff) linearly.")
    return p


# --- 4. Per-protocol comparison ----------------------------------------------------------------

_COMPARED = (("committed tx/s", ("committed_tps",)),
             ("p50 latency (ms)", ("latency", "p50_ms")),
             ("p99 latency (ms)", ("latency", "p99_ms")))


def _compared_figure(run, path):
    """A figure of _COMPARED; latencies are NaN (no bar) when the run committed nothing, where
    the summary reports them as 0."""
    if path[0] == "latency" and not run.figure("latency", "count", default=0):
        return math.nan
    return float(run.figure(*path))


def _configuration(run):
    """What besides the protocol sets a run apart from others (seed aside): its sweep point
    without the protocol, or its validator count outside a sweep."""
    if run.sweep_point:
        return _point_label(run.sweep_point, drop=(PROTOCOL_KEY,))
    return f"nodes={run.nodes}" if run.nodes is not None else ""


def plot_protocols(results, outdir):
    p = Plot("protocols", "Protocol comparison")
    protocols = results.protocols
    if len(protocols) < 2:
        p.skipped = f"the file holds runs of one protocol only ({protocols[0]})"
        return p
    ok = [r for r in results.runs if r.status == "ok"]
    if len(ok) < len(results.runs):
        p.notes.append(f"{_plural(len(results.runs) - len(ok), 'run')} left out: status other "
                       "than ok (incomplete, a safety violation or an error)")
    protocols = [proto for proto in protocols if any(r.protocol == proto for r in ok)]
    if len(protocols) < 2:
        p.skipped = "fewer than two protocols have a run with status ok"
        return p
    configs = list(dict.fromkeys(_configuration(r) for r in ok))
    if len(configs) > MAX_CLUSTERS:
        p.notes.append(f"{len(configs)} configurations per protocol: bars average over all of "
                       "them (the sweep curves separate them)")
        configs = [None]
    fig, axes = plt.subplots(1, len(_COMPARED), figsize=(4.2 * len(_COMPARED) + 1, 4))
    colors = _colors(len(configs))
    width = 0.8 / len(configs)
    x = np.arange(len(protocols))
    for ax, (name, path) in zip(axes, _COMPARED):
        for ci, (config, color) in enumerate(zip(configs, colors)):
            means, errs, counts = [], [[], []], []
            for proto in protocols:
                runs = [r for r in ok if r.protocol == proto
                        and (config is None or _configuration(r) == config)]
                mean, lo, hi = mean_ci95([_compared_figure(r, path) for r in runs])
                means.append(mean)
                errs[0].append(0.0 if math.isnan(lo) else mean - lo)
                errs[1].append(0.0 if math.isnan(hi) else hi - mean)
                counts.append(len(runs))
            xs = x - 0.4 + width * (ci + 0.5)
            label = config if config else "all runs"
            present = [c for c in counts if c]
            if present and min(present) == max(present):
                label += f" (n={present[0]})"
            elif present:
                label += f" (n={min(present)}\u2013{max(present)})"
            ax.bar(xs, means, width=width * 0.95, color=color, label=label,
                   yerr=errs if max(counts) > 1 else None, capsize=3 if max(counts) > 1 else 0)
        ax.set_xticks(x, protocols)
        ax.grid(axis="x", visible=False)
        ax.set_axisbelow(True)
        ax.set_title(name)
        ax.set_ylim(bottom=0)
    axes[-1].legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    p.files = _save(fig, outdir, p.key)
    legend = " (see the legend)" if len(configs) > 1 else ""
    p.caption = (
        "Committed throughput and the median (p50) and 99th-percentile (p99) commit latency per "
        f"protocol, side by side per configuration{legend}. With several runs (seeds) behind a "
        "bar, its height is their mean and the whisker the 95% confidence interval of that mean "
        "(n in the legend counts the runs per bar). Higher is better on the left, lower on the "
        "other two; p99 tells how bad the slow tail gets, which p50 hides.")
    return p


# --- 5. Sweep curves ---------------------------------------------------------------------------

def _file_stem(parameter):
    return "sweep_" + re.sub(r"[^A-Za-z0-9]+", "_", parameter).strip("_")


_CURVES = (("committed_tps", "committed tx/s"), ("p99_ms", "p99 latency (ms)"))


def _sweep_exclusions(sweep):
    """Notes on runs the aggregate leaves out (status other than ok)."""
    if sweep.runs is None or "status" not in sweep.runs.columns:
        return []
    counts = sweep.runs["status"].value_counts()
    bad = {s: int(n) for s, n in counts.items() if s != "ok"}
    if not bad:
        return []
    text = ", ".join(f"{n} {s}" for s, n in sorted(bad.items()))
    return [f"runs left out of the aggregate (status not ok): {text}"]


def plot_sweeps(results, outdir):
    """One plot per numeric swept parameter; a single skipped Plot when there is none."""
    sweep = results.sweep
    if sweep is None:
        return [Plot("sweep", "Sweep curves", skipped="the file is not a sweep (no /sweep group)")]
    agg = sweep.aggregate
    if agg is None or not len(agg):
        return [Plot("sweep", "Sweep curves",
                     skipped="the sweep has no /sweep/aggregate or /sweep/runs rows")]
    numeric = sweep.numeric_parameters()
    if not numeric:
        swept = ", ".join(sweep.parameters) if sweep.parameters else "only the seed"
        return [Plot("sweep", "Sweep curves",
                     skipped=f"no numeric swept parameter to draw curves against (swept: {swept})")]
    exclusions = _sweep_exclusions(sweep)
    plots = []
    for param in numeric:
        p = Plot(_file_stem(param), f"Sweep: throughput and p99 against {param}")
        xs = np.sort(agg[param].dropna().unique())
        if len(xs) < 2:
            p.skipped = f"{param} takes one value only ({format_value(xs[0]) if len(xs) else '-'})"
            plots.append(p)
            continue
        others = [q for q in sweep.parameters if q != param]
        groups = group_rows(agg, others)
        colors = _colors(len(groups))
        fig, axes = plt.subplots(1, len(_CURVES), figsize=(11, 4.2))
        for ax, (metric, ylabel) in zip(axes, _CURVES):
            if f"{metric}_mean" not in agg.columns:
                ax.text(0.5, 0.5, f"no {metric} in the aggregate", transform=ax.transAxes,
                        ha="center")
                continue
            for (key, part), color in zip(groups, colors):
                part = part.sort_values(param)
                label = (", ".join(f"{short_key(k)}={format_value(v)}" for k, v in
                                   zip(others, key)) if others else metric)
                ax.plot(part[param], part[f"{metric}_mean"], marker="o", markersize=4,
                        color=color, label=label)
                if f"{metric}_ci95_lo" in part.columns:
                    ax.fill_between(part[param], part[f"{metric}_ci95_lo"],
                                    part[f"{metric}_ci95_hi"], color=color, alpha=0.2,
                                    linewidth=0)
            if short_key(param) == "rate_tps" and metric == "committed_tps":
                ax.plot(xs, xs, linestyle="--", color="0.5", linewidth=1, label="offered load")
            if xs[0] > 0 and xs[-1] / xs[0] >= 8:
                ax.set_xscale("log", base=2)
            ax.set_xticks(xs)
            ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: format_value(v)))
            ax.xaxis.set_minor_locator(mticker.NullLocator())
            ax.set_xlabel(param)
            ax.set_ylabel(ylabel)
            ax.set_ylim(bottom=0)
        axes[-1].legend(loc="upper left", bbox_to_anchor=(1.01, 1))
        fig.suptitle(f"Sweep over {param}")
        fig.tight_layout()
        p.files = _save(fig, outdir, p.key)
        n = agg["n"].to_numpy() if "n" in agg.columns else np.array([])
        seeds = (f"{int(n.min())}" if len(n) and n.min() == n.max()
                 else f"{int(n.min())}\u2013{int(n.max())}" if len(n) else "?")
        p.caption = (
            f"Committed throughput (left) and p99 commit latency (right) against {param}, one "
            "line per value of the other swept parameters" + (" (legend)" if others else "") +
            f". Each point is the mean over its seeds ({seeds} runs with status ok per point); "
            "the shaded band is the 95% confidence interval of that mean (Student t), absent "
            "where a point has a single run. Where throughput flattens below the offered load "
            "or p99 turns sharply upward, the configuration has saturated. Overlapping bands "
            "mean the seeds do not separate the lines.")
        p.notes += exclusions
        if n.size and (n == 0).any():
            p.notes.append(f"{int((n == 0).sum())} sweep point(s) without a run with status ok "
                           "are missing from the curves")
        plots.append(p)
    return plots


# Every plot of the report, in the order the page shows them. Each is called as f(results, outdir)
# and returns a Plot or a list of them.
PLOTS = (plot_throughput, plot_latency_cdf, plot_messages, plot_protocols, plot_sweeps)
