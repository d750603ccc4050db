"""Tests of analysis/readme_figures.py: the README's generated blocks come from results/."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "analysis", "readme_figures.py")


def summary(protocol, nodes, tps, p50):
    return {
        "protocol": protocol, "nodes": nodes, "committed_tps": tps,
        "offered_tps_configured": 400.0, "latency": {"p50_ms": p50, "p99_ms": 2 * p50},
        "messages": {"per_block": 10.0 * nodes, "bytes_per_block": 2048.0},
        "message_types": {"vote": {"role": "vote", "per_block": float(nodes)}},
        "blocks": 100, "liveness": {"longest_commit_gap_ms": 20.0}, "violations": [],
        "complete": True,
    }


SCALE = {"benchmark": "scale", "quick": False, "rows": [{
    "protocol": "hotstuff", "nodes": 1000, "events_per_s": 12345.6, "sim_s_per_wall_s": 0.0604,
    "peak_rss_bytes": 3 * 1024**3, "peak_in_flight": 130, "bytes_per_tx_per_validator": 1520.4,
    "events": 861057, "wall_s": 66.31}]}

README = """# title
text before
<!-- BEGIN generated: consensus -->
stale table
<!-- END generated: consensus -->
between
<!-- BEGIN generated: scale -->
<!-- END generated: scale -->
<!-- BEGIN generated: phold -->
kept as it is
<!-- END generated: phold -->
after
"""


class ReadmeFiguresTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.results = os.path.join(self.tmp.name, "results")
        os.makedirs(os.path.join(self.results, "consensus"))
        os.makedirs(os.path.join(self.results, "speed"))
        for protocol, nodes, tps, p50 in [("pbft", 4, 402.0, 66.6), ("raft", 16, 401.7, 67.1),
                                          ("raft", 4, 402.2, 67.4)]:
            path = os.path.join(self.results, "consensus", f"{protocol}-n{nodes}.summary.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(summary(protocol, nodes, tps, p50), f)
        with open(os.path.join(self.results, "speed", "scale.json"), "w", encoding="utf-8") as f:
            json.dump(SCALE, f)
        self.readme = os.path.join(self.tmp.name, "README.md")
        self.write_readme(README)

    def tearDown(self):
        self.tmp.cleanup()

    def write_readme(self, text):
        with open(self.readme, "w", encoding="utf-8") as f:
            f.write(text)

    def read_readme(self):
        with open(self.readme, encoding="utf-8") as f:
            return f.read()

    def run_script(self, *extra):
        return subprocess.run(
            [sys.executable, SCRIPT, "--readme", self.readme, "--results", self.results, *extra],
            capture_output=True, text=True, check=False)

    def test_blocks_are_rewritten_from_results_and_the_rest_is_kept(self):
        self.assertEqual(self.run_script("--check").returncode, 1)
        proc = self.run_script()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        text = self.read_readme()
        self.assertNotIn("stale table", text)
        # Protocols in the README's order (raft before pbft), node counts ascending.
        raft4 = text.index("| raft | 4 | 402 (400) | 67.4 | 134.8 |")
        raft16 = text.index("| raft | 16 | 402 (400) | 67.1 |")
        pbft4 = text.index("| pbft | 4 | 402 (400) | 66.6 |")
        self.assertLess(raft4, raft16)
        self.assertLess(raft16, pbft4)
        self.assertIn("| hotstuff | 1000 | 12,346 | 0.060 | 3.00 | 130 | 1,520 | 861,057 | 66.3 |",
                      text)
        # No phold-peers.json: that block is left as it was.
        self.assertIn("kept as it is", text)
        self.assertTrue(text.startswith("# title\ntext before\n"))
        self.assertTrue(text.endswith("after\n"))
        # Now up to date: --check passes and a second run changes nothing.
        self.assertEqual(self.run_script("--check").returncode, 0)
        self.assertEqual(self.run_script().returncode, 0)
        self.assertEqual(self.read_readme(), text)

    def test_fabric_blocks_come_from_the_pipeline_runs(self):
        fabric = os.path.join(self.results, "fabric")
        os.makedirs(fabric)

        def pipeline_summary(protocol, tps, conflicts, rate, fabric_run=True, extra=()):
            d = summary(protocol, 4, tps, 50.0)
            d["offered_tps_achieved"] = 300.0
            if fabric_run:
                d["pipeline_figures"] = {
                    name: {"value": value, "unit": "", "help": ""}
                    for name, value in [("valid_tps", tps), ("mvcc_conflicts", conflicts),
                                        ("mvcc_conflict_rate", rate), ("endorse_p50", 12.25),
                                        ("order_p50", 150.5), ("validate_p50", 13.0),
                                        *extra]}
            return d

        runs = {"skew-ehr-s1.5": pipeline_summary("raft", 280.0, 500, 5.5),
                "skew-ehr-s0": pipeline_summary("raft", 299.0, 1, 0.03),
                "skew-supply-s0": pipeline_summary("raft", 298.0, 0, 0.0),
                "split-fabric-raft": pipeline_summary("raft", 299.0, 1, 0.03),
                "split-oe-hotstuff": pipeline_summary("hotstuff", 300.0, 0, 0, False),
                "privacy-one-channel": pipeline_summary("raft", 299.0, 1, 0.03),
                "privacy-collection-2of3": pipeline_summary(
                    "raft", 250.0, 1, 0.03,
                    extra=[("private_valid", 900), ("rejected_not_member", 450)])}
        for name, d in runs.items():
            with open(os.path.join(fabric, name + ".summary.json"), "w", encoding="utf-8") as f:
                json.dump(d, f)
        self.write_readme("<!-- BEGIN generated: fabric-skew -->\n"
                          "<!-- END generated: fabric-skew -->\n"
                          "<!-- BEGIN generated: fabric-split -->\n"
                          "<!-- END generated: fabric-split -->\n"
                          "<!-- BEGIN generated: fabric-privacy -->\n"
                          "<!-- END generated: fabric-privacy -->\n")
        proc = self.run_script()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        text = self.read_readme()
        # Workloads in order, skew ascending.
        s0 = text.index("| ehr | 0 | 300 | 299.0 | 1 | 0.03% | 50 | 100 |")
        s15 = text.index("| ehr | 1.5 | 300 | 280.0 | 500 | 5.50% | 50 | 100 |")
        supply = text.index("| supply | 0 | 300 | 298.0 | 0 | 0.00% |")
        self.assertLess(s0, s15)
        self.assertLess(s15, supply)
        # The pipeline's split first; order-execute rows have none.
        fab = text.index("| execute-order-validate | raft, 4 nodes | 299.0 | 50 | 100 | 12.2 | 150.5 |"
                         " 13.0 | 40.0 |")
        oe = text.index("| order-execute | hotstuff, 4 nodes | 300.0 | 50 | 100 | - | - | - | 40.0 |")
        self.assertLess(fab, oe)
        # Privacy variants in their fixed order; a run without collections shows dashes.
        one = text.index("| one channel, no collection | 299.0 | - | - | 50 | 100 | 12.2 | 150.5 |"
                         " 13.0 |")
        two = text.index("| record writes private to the 2 hospitals | 250.0 | 900 | 450 | 50 |")
        self.assertLess(one, two)
        self.assertEqual(self.run_script("--check").returncode, 0)

    def test_a_hand_edit_inside_a_block_is_stale(self):
        self.assertEqual(self.run_script().returncode, 0)
        self.write_readme(self.read_readme().replace("| 67.4 |", "| 60.0 |"))
        proc = self.run_script("--check")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("not what results/ makes", proc.stderr)

    def test_bad_markers_and_bad_results_exit_2_naming_them(self):
        self.write_readme("a\n<!-- BEGIN generated: scale -->\nb\n")
        proc = self.run_script("--check")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("'scale' has no END", proc.stderr)
        self.write_readme("a\nb\n<!-- END generated: scale -->\n")
        proc = self.run_script()
        self.assertEqual(proc.returncode, 2)
        self.assertIn("line 3", proc.stderr)
        self.write_readme("<!-- BEGIN generated: nope -->\n<!-- END generated: nope -->\n")
        self.assertIn("unknown generated block 'nope'", self.run_script().stderr)
        self.write_readme(README)
        with open(os.path.join(self.results, "speed", "scale.json"), "w", encoding="utf-8") as f:
            f.write("{not json")
        proc = self.run_script()
        self.assertEqual(proc.returncode, 2)
        self.assertIn("scale.json", proc.stderr)
        self.assertEqual(self.read_readme(), README)


if __name__ == "__main__":
    unittest.main()
