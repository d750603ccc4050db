"""Small hlsim results files for the analysis tests: real short `hlsim run`s, and a sweep file
assembled from such runs with h5py following the sweep layout (README "Results file"):

  /runs/<id>        a run's group copied from its own file, plus attributes sweep_point (JSON)
                    and sweep_seed (uint64)
  /sweep            attributes spec (YAML text) and parameters (JSON list of swept keys)
  /sweep/runs       one row per run: run_id, one column per swept parameter, seed, status,
                    detail (what went wrong, empty when ok), the key figures
  /sweep/aggregate  one row per sweep point over its ok runs: n and <m>_mean / _ci95_lo / _ci95_hi

The aggregate is computed here independently of the report's own code (which recomputes it when
it is missing), so a test can compare the two.
"""
import json
import math
import os
import statistics
import subprocess

import h5py
import numpy as np

# A short EHR run on four validators: a few hundred transactions, a fraction of a second to run.
SCENARIO = """\
name: report-test
seed: 1
duration_s: 3
drain_s: 1
consensus: {protocol: raft, nodes: 4}
workload: {kind: ehr, clients: 8, rate_tps: 100}
"""

# The same with the Raft leader crashing at 1 s and restarting at 2 s: one fault window, 1-2 s.
CRASH_FAULTS = """\
faults:
  - {at_s: 1, crash: leader}
  - {at_s: 2, restart: crashed}
"""

# t(0.975, 1): the 95% interval of a mean over two seeds is mean +- 12.706 * sd / sqrt(2).
T975_DF1 = 12.706204736174696

SWEEP_METRICS = ("committed_tps", "p50_ms", "p99_ms", "msgs_per_block")


def _structured(rows, dtype, vlen_strings):
    """The dicts in `rows` as a numpy structured array of `dtype` (strings as bytes unless the
    file stores variable-length strings)."""
    table = np.zeros(len(rows), dtype=dtype)
    for i, r in enumerate(rows):
        for key in dtype.names:
            value = r[key]
            table[key][i] = value.encode() if isinstance(value, str) and not vlen_strings else value
    return table


def run_hlsim(hlsim, workdir, name, scenario_text, sets=(), seed=None):
    """Runs a scenario with `hlsim run` into <workdir>/<name>.h5; returns the path."""
    scenario = os.path.join(workdir, f"{name}.yaml")
    with open(scenario, "w", encoding="utf-8") as f:
        f.write(scenario_text)
    out = os.path.join(workdir, f"{name}.h5")
    cmd = [hlsim, "run", scenario, "--quiet", "-o", out]
    for s in sets:
        cmd += ["--set", s]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    proc = subprocess.run(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}")
    return out


def _string_type(vlen, size):
    return h5py.string_dtype("utf-8") if vlen else f"S{size}"


def build_sweep(hlsim, workdir, protocols=("raft", "pbft"), nodes=(4, 7), seeds=(1, 2),
                vlen_strings=False, error_point=None, name="sweep"):
    """A sweep file over consensus.protocol x consensus.nodes x seeds from real runs.

    vlen_strings stores the string columns as variable-length strings instead of fixed-length
    bytes. error_point = (protocol, nodes) adds a /sweep/runs row with status error and no run
    group (a run that failed before writing results). Returns (path, expected aggregate rows as
    dicts keyed like /sweep/aggregate).
    """
    params = ["consensus.protocol", "consensus.nodes"]
    rows = []
    out = os.path.join(workdir, f"{name}.h5")
    with h5py.File(out, "w") as dst:
        runs_group = dst.create_group("runs")
        for protocol in protocols:
            for n in nodes:
                for seed in seeds:
                    run_id = str(len(rows))
                    src_path = run_hlsim(hlsim, workdir, f"{name}-{run_id}", SCENARIO,
                                         sets=[f"consensus.protocol={protocol}",
                                               f"consensus.nodes={n}"], seed=seed)
                    with h5py.File(src_path, "r") as src:
                        src.copy(src["runs/0"], runs_group, name=run_id)
                    g = runs_group[run_id]
                    g.attrs["sweep_point"] = json.dumps(
                        {"consensus.protocol": protocol, "consensus.nodes": n})
                    g.attrs["sweep_seed"] = np.uint64(seed)
                    summary = json.loads(g.attrs["summary"])
                    status = "ok" if summary["complete"] and not summary["violations"] else (
                        "violation" if summary["violations"] else "incomplete")
                    rows.append({
                        "run_id": run_id, "consensus.protocol": protocol,
                        "consensus.nodes": float(n), "seed": seed, "status": status,
                        "detail": "",
                        "committed_tps": summary["committed_tps"],
                        "offered_tps": summary["offered_tps_achieved"],
                        "mean_ms": summary["latency"]["mean_ms"],
                        "p50_ms": summary["latency"]["p50_ms"],
                        "p99_ms": summary["latency"]["p99_ms"],
                        "msgs_per_block": summary["messages"]["per_block"],
                        "bytes_per_block": summary["messages"]["bytes_per_block"],
                        "blocks": summary["blocks"],
                        "committed": summary["transactions"]["committed"],
                        "events": summary["events"],
                        "wall_s": float(g["host"].attrs["wall_s"]),
                    })
        if error_point is not None:
            rows.append({"run_id": str(len(rows)), "consensus.protocol": error_point[0],
                         "consensus.nodes": float(error_point[1]), "seed": 1,
                         "status": "error", "detail": "the run's process was killed",
                         "committed_tps": math.nan, "offered_tps": math.nan,
                         "mean_ms": math.nan, "p50_ms": math.nan, "p99_ms": math.nan,
                         "msgs_per_block": math.nan, "bytes_per_block": math.nan, "blocks": 0,
                         "committed": 0, "events": 0, "wall_s": 0.0})

        sweep = dst.create_group("sweep")
        sweep.attrs["spec"] = (
            "base: report-test.yaml\nseeds: [" + ", ".join(map(str, seeds)) + "]\n"
            "sweep:\n  consensus.protocol: [" + ", ".join(protocols) + "]\n"
            "  consensus.nodes: [" + ", ".join(map(str, nodes)) + "]\n")
        sweep.attrs["parameters"] = json.dumps(params)

        runs_type = np.dtype([
            ("run_id", _string_type(vlen_strings, 16)),
            ("consensus.protocol", _string_type(vlen_strings, 16)),
            ("consensus.nodes", "<f8"), ("seed", "<u8"),
            ("status", _string_type(vlen_strings, 12)),
            ("detail", _string_type(vlen_strings, 64)),
            ("committed_tps", "<f8"), ("offered_tps", "<f8"), ("mean_ms", "<f8"),
            ("p50_ms", "<f8"), ("p99_ms", "<f8"), ("msgs_per_block", "<f8"),
            ("bytes_per_block", "<f8"), ("blocks", "<u8"), ("committed", "<u8"),
            ("events", "<u8"), ("wall_s", "<f8")])
        sweep.create_dataset("runs", data=_structured(rows, runs_type, vlen_strings))

        expected = []
        for protocol in protocols:
            for n in nodes:
                ok = [r for r in rows if r["consensus.protocol"] == protocol
                      and r["consensus.nodes"] == n and r["status"] == "ok"]
                agg = {"consensus.protocol": protocol, "consensus.nodes": float(n), "n": len(ok)}
                for m in SWEEP_METRICS:
                    values = [r[m] for r in ok]
                    if not values:
                        mean = lo = hi = math.nan
                    elif len(values) == 1:
                        mean = lo = hi = values[0]
                    else:
                        assert len(values) == 2, "the fixture's interval is for two seeds"
                        mean = statistics.fmean(values)
                        half = T975_DF1 * statistics.stdev(values) / math.sqrt(2)
                        lo, hi = mean - half, mean + half
                    agg[f"{m}_mean"], agg[f"{m}_ci95_lo"], agg[f"{m}_ci95_hi"] = mean, lo, hi
                expected.append(agg)
        agg_fields = [("consensus.protocol", _string_type(vlen_strings, 16)),
                      ("consensus.nodes", "<f8"), ("n", "<u8")]
        for m in SWEEP_METRICS:
            agg_fields += [(f"{m}_mean", "<f8"), (f"{m}_ci95_lo", "<f8"), (f"{m}_ci95_hi", "<f8")]
        agg_type = np.dtype(agg_fields)
        sweep.create_dataset("aggregate", data=_structured(expected, agg_type, vlen_strings))
    return out, expected
