"""Reading hlsim results files (HDF5, schema version 1) into pandas, for analysis and reports.

A results file holds one group per run, /runs/<id>, with the run's attributes (protocol, workload,
seed, complete, stop_reason, scenario, summary as JSON) and compound tables (tx, blocks, nodes,
messages, timeseries, leaders, faults, offchain_reads). A sweep file adds, per run, the attributes
sweep_point (JSON object: swept key -> value) and sweep_seed, and a /sweep group with attributes
spec and parameters (JSON list of swept keys) and the tables /sweep/runs (one row per run) and
/sweep/aggregate (one row per sweep point, over its seeds).

The loader is tolerant where a report can carry on: any table may be missing (Run.table returns
None), string columns may be fixed-length bytes or variable-length strings, a missing
/sweep/aggregate is recomputed from /sweep/runs. It raises ResultsError, with a message that
starts with the file's path, only when the file cannot be a results file at all.
"""
import json
import math
import os
import re

import h5py
import numpy as np
import pandas as pd

SCHEMA_VERSION = 1

# The per-run tables of schema version 1 (README "Results file").
RUN_TABLES = ("tx", "blocks", "nodes", "messages", "timeseries", "leaders", "faults",
              "offchain_reads")

# Transaction statuses of transactions a block ordered. The summary counts all three as committed
# (a denied access request is still on the ledger), and their latency is commit_ns - submit_ns.
ORDERED_STATUSES = ("committed", "denied", "invalid")

# The figures /sweep/aggregate summarises, each as <m>_mean, <m>_ci95_lo, <m>_ci95_hi.
SWEEP_METRICS = ("committed_tps", "p50_ms", "p99_ms", "msgs_per_block")

# Two-sided 95% Student-t quantiles t(0.975, df) for df = 1..30, from the standard tables.
_T975 = (12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004,
         2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905,
         2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
         2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272)


class ResultsError(Exception):
    """The input is not a readable hlsim results file. The message starts with the file's path."""


def t975(df):
    """The 0.975 quantile of Student's t distribution with df degrees of freedom (df >= 1).

    Tabulated up to 30; beyond, the Cornish-Fisher expansion around the normal quantile, whose
    error there is below 1e-4 (well under the precision a confidence band is drawn with).
    """
    if df < 1:
        raise ValueError("t975: df must be at least 1")
    if df <= len(_T975):
        return _T975[int(df) - 1]
    z = 1.959964
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)


def mean_ci95(values):
    """(mean, lo, hi) of the Student-t 95% interval of the mean; lo = hi = mean when n = 1.

    NaN values are ignored; all three are NaN when nothing is left.
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(v.mean())
    if v.size == 1:
        return mean, mean, mean
    half = t975(v.size - 1) * float(v.std(ddof=1)) / math.sqrt(v.size)
    return mean, mean - half, mean + half


def as_text(value):
    """A string attribute or cell as str, whether stored as bytes, str or a one-element array.

    Fixed-length HDF5 strings are padded (hlsim writes an empty one as a single space), so the
    result is stripped of surrounding white space and NULs.
    """
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0] if value.size == 1 else value.tolist()
    if isinstance(value, (bytes, np.bytes_)):
        value = bytes(value).decode("utf-8", errors="replace")
    return str(value).strip(" \t\r\n\x00")


def decode_table(dataset):
    """A compound dataset as a DataFrame, string columns decoded to str.

    Returns None when the dataset is not a compound table (nothing a report can read).
    """
    data = dataset[()]
    if data.dtype.names is None:
        return None
    columns = {}
    for name in data.dtype.names:
        col = data[name]
        if col.dtype.kind in ("S", "O", "U"):
            # Decode each distinct value once: kind and status columns repeat a few values over
            # many rows.
            uniques, inverse = np.unique(col, return_inverse=True)
            decoded = np.array([as_text(u) for u in uniques], dtype=object)
            col = decoded[inverse] if len(col) else np.array([], dtype=object)
        columns[name] = col
    return pd.DataFrame(columns)


def _attr(attrs, name, default=None):
    return attrs[name] if name in attrs else default


def _json_attr(attrs, name, where, expect):
    """Attribute `name` parsed as JSON of type `expect`, or None when absent."""
    if name not in attrs:
        return None
    try:
        value = json.loads(as_text(attrs[name]))
    except ValueError as e:
        raise ResultsError(f"{where}: attribute {name} is not valid JSON ({e})") from None
    if not isinstance(value, expect):
        raise ResultsError(f"{where}: attribute {name} is not a JSON {expect.__name__}")
    return value


def _natural_key(text):
    """Sort key putting run "2" before run "10"."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def short_key(key):
    """The last component of a dotted scenario key: consensus.nodes -> nodes."""
    return key.rsplit(".", 1)[-1]


def format_value(value):
    """A swept value as text: 16.0 -> 16, 0.25 -> 0.25, strings unchanged."""
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return "-"
        return str(int(value)) if float(value).is_integer() else f"{value:g}"
    return str(value)


class Run:
    """One run of a results file: its attributes, summary figures and (lazily) its tables."""

    def __init__(self, where, run_id, group):
        self.run_id = run_id
        self._group = group
        self._tables = {}
        attrs = group.attrs
        self.summary = _json_attr(attrs, "summary", f"{where}: run {run_id}", dict) or {}
        self.protocol = as_text(_attr(attrs, "protocol", self.summary.get("protocol", "?")))
        self.workload = as_text(_attr(attrs, "workload", self.summary.get("workload", "?")))
        self.seed = int(_attr(attrs, "seed", self.summary.get("seed", 0)))
        self.complete = bool(_attr(attrs, "complete", self.summary.get("complete", True)))
        self.stop_reason = as_text(_attr(attrs, "stop_reason", ""))
        self.hlsim_version = as_text(_attr(attrs, "hlsim_version", ""))
        self.schema_version = int(_attr(attrs, "schema_version", SCHEMA_VERSION))
        self.scenario_yaml = as_text(_attr(attrs, "scenario", ""))
        self.scenario_name = str(self.summary.get("scenario", ""))
        self.sweep_point = _json_attr(attrs, "sweep_point", f"{where}: run {run_id}", dict) or {}
        sweep_seed = _attr(attrs, "sweep_seed")
        self.sweep_seed = None if sweep_seed is None else int(sweep_seed)
        # Set by Results from /sweep/runs when the file is a sweep.
        self.sweep_status = None

    def table(self, name, cache=True):
        """Table `name` as a DataFrame, or None when the run does not have it.

        cache=False reads it afresh and does not keep it (for the tx table of large sweeps).
        """
        if name in self._tables:
            return self._tables[name]
        obj = self._group.get(name)
        df = decode_table(obj) if isinstance(obj, h5py.Dataset) else None
        if cache:
            self._tables[name] = df
        return df

    def figure(self, *path, default=math.nan):
        """A figure of the summary by its path of keys, e.g. figure("latency", "p99_ms")."""
        value = self.summary
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return default
            value = value[key]
        return value

    @property
    def nodes(self):
        return self.figure("nodes", default=None)

    @property
    def violations(self):
        return list(self.figure("violations", default=[]) or [])

    @property
    def status(self):
        """ok, violation, incomplete (or the sweep's own status for the run, e.g. error).

        A safety violation stops a run, so such a run is also incomplete: violation wins.
        """
        if self.sweep_status:
            return self.sweep_status
        if self.violations:
            return "violation"
        if not self.complete:
            return "incomplete"
        return "ok"

    @property
    def label(self):
        """A short name for legends: the sweep point and seed, else protocol, nodes and seed."""
        if self.sweep_point:
            parts = [f"{short_key(k)}={format_value(v)}" for k, v in self.sweep_point.items()]
            seed = self.sweep_seed if self.sweep_seed is not None else self.seed
            return ", ".join(parts + [f"seed {seed}"])
        nodes = f" n={self.nodes}" if self.nodes is not None else ""
        return f"{self.protocol}{nodes}, seed {self.seed}"

    def latencies_ms(self):
        """kind and latency_ms of every ordered transaction, or None without a usable tx table."""
        tx = self.table("tx", cache=False)
        needed = {"kind", "submit_ns", "status"}
        if tx is None or not needed <= set(tx.columns):
            return None
        commit = tx["commit_ns"] if "commit_ns" in tx.columns else tx.get("first_commit_ns")
        if commit is None:
            return None
        ordered = tx["status"].isin(ORDERED_STATUSES).to_numpy() & (commit.to_numpy() >= 0)
        lat = (commit.to_numpy()[ordered] - tx["submit_ns"].to_numpy()[ordered]) / 1e6
        return pd.DataFrame({"kind": tx["kind"].to_numpy()[ordered], "latency_ms": lat})


class Sweep:
    """The /sweep group: swept parameters, per-run rows and per-point aggregates."""

    def __init__(self, where, group):
        self.spec = as_text(_attr(group.attrs, "spec", ""))
        params = _json_attr(group.attrs, "parameters", f"{where}: /sweep", list)
        runs = group.get("runs")
        self.runs = decode_table(runs) if isinstance(runs, h5py.Dataset) else None
        if params is None:
            raise ResultsError(f"{where}: /sweep has no parameters attribute")
        self.parameters = [str(p) for p in params]
        agg = group.get("aggregate")
        self.aggregate = decode_table(agg) if isinstance(agg, h5py.Dataset) else None
        self.aggregate_recomputed = False
        if self.aggregate is None and self.runs is not None:
            self.aggregate = aggregate_runs(self.runs, self.parameters)
            self.aggregate_recomputed = True
        for df in (self.runs, self.aggregate):
            if df is not None:
                missing = [p for p in self.parameters if p not in df.columns]
                if missing:
                    raise ResultsError(f"{where}: /sweep tables lack the swept parameter "
                                       f"column(s) {', '.join(missing)}")

    def numeric_parameters(self):
        """Swept parameters whose values are all numbers (curves can be drawn against them)."""
        if self.aggregate is None:
            return []
        return [p for p in self.parameters
                if pd.api.types.is_numeric_dtype(self.aggregate[p].dtype)]


def group_rows(df, keys):
    """(key tuple, rows) per distinct combination of the `keys` columns, sorted, NaN kept as a
    key; the whole frame under () when keys is empty."""
    if not keys:
        return [((), df)]
    grouper = keys[0] if len(keys) == 1 else list(keys)
    return [(k if isinstance(k, tuple) else (k,), part)
            for k, part in df.groupby(grouper, sort=True, dropna=False)]


def aggregate_runs(runs, parameters):
    """/sweep/aggregate computed from /sweep/runs: one row per sweep point with n (its runs with
    status ok) and, over those runs, <m>_mean / <m>_ci95_lo / <m>_ci95_hi of every SWEEP_METRICS
    column present (NaN when n = 0)."""
    rows = []
    for key, part in group_rows(runs, parameters):
        ok = part[part["status"] == "ok"] if "status" in part.columns else part
        row = dict(zip(parameters, key))
        row["n"] = len(ok)
        for m in SWEEP_METRICS:
            if m in ok.columns:
                row[f"{m}_mean"], row[f"{m}_ci95_lo"], row[f"{m}_ci95_hi"] = mean_ci95(ok[m])
        rows.append(row)
    return pd.DataFrame(rows, columns=list(parameters) + ["n"] if not rows else None)


class Results:
    """An opened results file. Use as a context manager (or call close()); tables are read from
    the open file on demand."""

    def __init__(self, path):
        self.path = path
        self.warnings = []
        if not os.path.exists(path):
            raise ResultsError(f"{path}: no such file or directory")
        if os.path.isdir(path):
            raise ResultsError(f"{path}: is a directory, not a results file")
        try:
            is_hdf5 = h5py.is_hdf5(path)
        except OSError as e:
            raise ResultsError(f"{path}: cannot read ({e.strerror or e})") from None
        if not is_hdf5:
            raise ResultsError(f"{path}: not an HDF5 file (expected an hlsim results file)")
        try:
            self._file = h5py.File(path, "r")
        except OSError as e:
            raise ResultsError(f"{path}: cannot open ({e})") from None
        try:
            self._load()
        except BaseException:
            self._file.close()
            raise

    def _load(self):
        runs = self._file.get("runs")
        if not isinstance(runs, h5py.Group):
            raise ResultsError(f"{self.path}: no /runs group (not an hlsim results file)")
        ids = sorted((k for k in runs.keys() if isinstance(runs.get(k), h5py.Group)),
                     key=_natural_key)
        if not ids:
            raise ResultsError(f"{self.path}: the file holds no runs")
        self.runs = [Run(self.path, i, runs[i]) for i in ids]
        if not any(r.summary or set(RUN_TABLES) & set(runs[r.run_id].keys()) for r in self.runs):
            raise ResultsError(f"{self.path}: the groups under /runs hold no summary and no run "
                               "tables (not an hlsim results file)")
        newer = sorted({r.schema_version for r in self.runs if r.schema_version > SCHEMA_VERSION})
        if newer:
            self.warnings.append(f"schema version {newer[-1]} is newer than this report knows "
                                 f"({SCHEMA_VERSION}); figures it does not know are left out")
        sweep = self._file.get("sweep")
        self.sweep = Sweep(self.path, sweep) if isinstance(sweep, h5py.Group) else None
        if self.sweep is not None and self.sweep.runs is not None:
            if "run_id" in self.sweep.runs.columns and "status" in self.sweep.runs.columns:
                status = dict(zip(self.sweep.runs["run_id"], self.sweep.runs["status"]))
                for r in self.runs:
                    r.sweep_status = status.get(r.run_id)
            if self.sweep.aggregate_recomputed:
                self.warnings.append("/sweep/aggregate is missing; recomputed from /sweep/runs")

    @property
    def protocols(self):
        """Protocols of the runs, in order of first appearance."""
        return list(dict.fromkeys(r.protocol for r in self.runs))

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def open_results(path):
    """Opens and checks a results file; raises ResultsError when it is not one."""
    return Results(path)


# Columns of key_figures() besides the swept parameters, with the summary path of each figure.
_FIGURE_PATHS = (
    ("committed_tps", ("committed_tps",)),
    ("offered_tps", ("offered_tps_achieved",)),
    ("p50_ms", ("latency", "p50_ms")),
    ("p99_ms", ("latency", "p99_ms")),
    ("mean_ms", ("latency", "mean_ms")),
    ("msgs_per_block", ("messages", "per_block")),
    ("bytes_per_block", ("messages", "bytes_per_block")),
    ("blocks", ("blocks",)),
    ("submitted", ("transactions", "submitted")),
    ("committed", ("transactions", "committed")),
    ("lost", ("transactions", "lost")),
    ("pending", ("transactions", "pending")),
)

# Swept keys that restate a run's identity column (key_figures fills the column from them for runs
# without a group of their own; the report shows them once).
IDENTITY_KEYS = {"consensus.protocol": "protocol", "consensus.nodes": "nodes",
                 "workload.kind": "workload"}

# key_figures columns that count things (stored as nullable integers).
_COUNT_COLUMNS = ("nodes", "seed", "blocks", "submitted", "committed", "lost", "pending",
                  "fault_windows", "violations")

# The key figures /sweep/runs records itself (same names), for runs without a group.
_SWEEP_RUN_FIGURES = ("committed_tps", "offered_tps", "p50_ms", "p99_ms", "mean_ms",
                      "msgs_per_block", "bytes_per_block", "blocks", "committed")


def key_figures(results):
    """One row per run with its identity, status and key figures (from the run's summary).

    In a sweep, runs listed in /sweep/runs without a group of their own (a run that failed before
    writing results) get a row too, from what /sweep/runs records.
    """
    base = ("run_id", "protocol", "workload", "nodes", "seed", "status")
    params = [p for p in (results.sweep.parameters if results.sweep is not None else [])
              if p not in base]
    rows = []
    for run in results.runs:
        row = {"run_id": run.run_id, "protocol": run.protocol, "workload": run.workload,
               "nodes": run.nodes, "seed": run.sweep_seed if run.sweep_seed is not None
               else run.seed}
        for p in params:
            row[p] = run.sweep_point.get(p)
        row["status"] = run.status
        for name, path in _FIGURE_PATHS:
            row[name] = run.figure(*path)
        if not run.figure("latency", "count", default=0):
            # Without a committed transaction the summary's latencies are 0, not measurements.
            for name in ("p50_ms", "p99_ms", "mean_ms"):
                row[name] = math.nan
        row["fault_windows"] = len(run.figure("fault_windows", default=[]) or [])
        row["violations"] = len(run.violations)
        row["stop_reason"] = run.stop_reason
        rows.append(row)
    sweep_runs = results.sweep.runs if results.sweep is not None else None
    if sweep_runs is not None and "run_id" in sweep_runs.columns:
        have = {r.run_id for r in results.runs}
        for _, s in sweep_runs[~sweep_runs["run_id"].isin(have)].iterrows():
            row = {"run_id": s["run_id"], "seed": s.get("seed")}
            for p in params:
                row[p] = s.get(p)
                if p in IDENTITY_KEYS:
                    row[IDENTITY_KEYS[p]] = s.get(p)
            row["status"] = s.get("status", "error")
            for name in _SWEEP_RUN_FIGURES:
                row[name] = s.get(name, math.nan)
            rows.append(row)
    columns = (list(base[:-1]) + params + ["status"]
               + [n for n, _ in _FIGURE_PATHS] + ["fault_windows", "violations", "stop_reason"])
    figures = pd.DataFrame(rows, columns=columns)
    for name in _COUNT_COLUMNS:
        figures[name] = pd.to_numeric(figures[name], errors="coerce").round().astype("Int64")
    return figures
