#!/usr/bin/env python3
"""Tests of the experiment scripts' arithmetic: the per-repeat ratios of experiments/bench/report.py,
the output check of experiments/stream/check.py (order, completeness, score differences), and the
batching, splits, ratios and score comparison of experiments/cpu/peers.py, with a smoke run of it
on the tiny-random model (skipped without onnxruntime or a built mgeo-dist)."""
import contextlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "experiments", "bench"))
sys.path.insert(0, os.path.join(ROOT, "experiments", "stream"))
sys.path.insert(0, os.path.join(ROOT, "experiments", "cpu"))
import check  # noqa: E402
import peer_worker  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402


def run(name, repeat, pps, ranks=1, rank_pairs=None, rank_forward_s=None):
    r = {"name": name, "repeat": repeat, "pairs_per_s": pps, "ranks": ranks, "pairs": 100, "impl": "mgeo-dist"}
    if rank_pairs:
        r |= {"rank_pairs": rank_pairs, "rank_forward_s": rank_forward_s}
    return r


class RatioValues(unittest.TestCase):
    def sweep(self):
        return {"env": {}, "ratios": [["two vs one", "two", "one", 2], ["ours vs hf", "one", "hf", 1]],
                "runs": [run("one", 0, 100, rank_pairs=[100], rank_forward_s=[1.0]),
                         run("two", 0, 180, 2, [50, 50], [0.5, 0.5]),
                         run("hf", 0, 50),
                         run("one", 1, 120, rank_pairs=[100], rank_forward_s=[0.8]),
                         run("two", 1, 240, 2, [50, 50], [0.25, 0.5]),
                         run("hf", 1, 40)]}

    def test_each_ratio_is_taken_within_its_repeat(self):
        (label, factor, v, fwd), (_, _, vs_hf, _) = report.ratio_values(self.sweep())
        self.assertEqual((label, factor), ("two vs one", 2))
        self.assertAlmostEqual(v[0], 180 / 200)
        self.assertAlmostEqual(v[1], 240 / 240)
        # forward alone: (50/0.5 + 50/0.5) / (2 * 100/1.0) and (200 + 100) / (2 * 125)
        self.assertAlmostEqual(fwd[0], 1.0)
        self.assertAlmostEqual(fwd[1], 300 / 250)
        self.assertEqual(vs_hf, [2.0, 3.0])

    def test_a_failed_run_drops_only_its_repeat(self):
        d = self.sweep()
        d["runs"][4] = {"name": "two", "repeat": 1, "error": "boom"}
        _, _, v, _ = report.ratio_values(d)[0]
        self.assertEqual(len(v), 1)

    def test_the_report_prints_medians(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            report.repeated_report(self.sweep())
        self.assertIn("| two vs one | 95% | 90%–100% | 90%, 100% | 110% |", out.getvalue())
        self.assertIn("| ours vs hf | 2.50x | 2.00x–3.00x |", out.getvalue())


class StreamCheck(unittest.TestCase):
    def write(self, d, name, text):
        path = os.path.join(d, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_order_completeness_and_difference(self):
        with tempfile.TemporaryDirectory() as d:
            inp = self.write(d, "in.csv", "id,addr1,addr2\na,x,y\nb,x,y\nc,x,y\n")
            head = "id,score,label,prob_m,prob_n,status\n"
            ref = self.write(d, "ref.csv", head + "a,0.5,m,0.5,0.5,ok\nb,,,,,empty_address\nc,0.9,m,0.9,0.1,ok\n")
            same = self.write(d, "same.csv", head + "a,0.5,m,0.5,0.5,ok\nb,,,,,empty_address\nc,0.9,m,0.9,0.1,ok\n")
            moved = self.write(d, "moved.csv", head + "a,0.5,m,0.5,0.5,ok\nc,0.9,m,0.9,0.1,ok\nb,,,,,empty_address\n")
            off = self.write(d, "off.csv", head + "a,0.5,m,0.5,0.5,ok\nb,,,,,empty_address\nc,0.8,m,0.8,0.2,ok\n")
            short = self.write(d, "short.csv", head + "a,0.5,m,0.5,0.5,ok\n")
            scored = self.write(d, "scored.csv", head + "a,0.5,m,0.5,0.5,ok\nb,0.5,m,0.5,0.5,ok\nc,0.9,m,0.9,0.1,ok\n")
            self.assertEqual(check.check(same, inp, ref), (3, True, 0.0))
            self.assertFalse(check.check(moved, inp, ref)[1])
            self.assertAlmostEqual(check.check(off, inp, ref)[2], 0.1)
            self.assertEqual(check.check(short, inp, ref)[0], 1)
            self.assertEqual(check.check(scored, inp, ref)[2], float("inf"))  # an unscored row got a score

    def test_hdf5_output_reads_like_csv(self):
        import h5py
        import numpy as np
        with tempfile.TemporaryDirectory() as d:
            inp = self.write(d, "in.csv", "id,addr1,addr2\na,x,y\nb,x,y\n")
            ref = self.write(d, "ref.csv", "id,score,label,prob_m,prob_n,status\na,0.25,n,0.25,0.75,ok\nb,,,,,bad\n")
            out = os.path.join(d, "out.h5")
            with h5py.File(out, "w") as f:
                f["id"] = np.array([b"a", b"b"])
                f["probs"] = np.array([[0.25, 0.75], [np.nan, np.nan]], dtype=np.float32)
            self.assertEqual(check.check(out, inp, ref), (2, True, 0.0))


class CpuPeers(unittest.TestCase):
    def test_batches_follow_mgeo_dists_plan(self):
        # per window of 4: stable sort by length, longest first (ties keep input order), runs of 3
        lengths = [5, 9, 5, 7, 1, 8, 8, 2, 3]
        self.assertEqual(peer_worker.plan(lengths, 4, 3), [[1, 3, 0], [2], [5, 6, 7], [4], [8]])

    def test_processes_get_whole_windows(self):
        self.assertEqual(peers.halves(1024, 512, 2), [(0, 512), (512, 1024)])
        self.assertEqual(peers.halves(100, 32, 2), [(0, 64), (64, 100)])
        self.assertEqual(peers.halves(100, 32, 1), [(0, 100)])
        self.assertEqual(peers.auto_window(1024, [(1, 1), (2, 1)]), 512)
        self.assertEqual(peers.auto_window(4096, [(2, 1)]), 1024)
        self.assertEqual(peers.auto_window(4096, [(1, 2)]), 1024)
        self.assertEqual(peers.auto_window(129, [(2, 1)]), 65)

    def test_ratios_are_taken_within_each_repeat(self):
        def run(c, repeat, seconds, score_s=None):
            return {"model": "m", "config": "1x1", "contender": c, "repeat": repeat, "pairs": 100,
                    "seconds": seconds, "score_s": score_s or seconds}
        runs = [run("mgeo-fp32", 0, 1.0), run("ort-int8", 0, 0.5, 0.25), run("mgeo-fp32", 1, 2.0),
                run("ort-int8", 1, 0.5, 0.5), run("hf-fp32", 1, 4.0), {"error": "boom", "contender": "x"}]
        r = peers.ratios(runs)
        self.assertEqual(r[("m", "1x1", "ort-int8")], [2.0, 4.0])
        self.assertEqual(r[("m", "1x1", "hf-fp32")], [0.5])
        self.assertEqual(peers.ratios(runs, "score_s")[("m", "1x1", "ort-int8")], [4.0, 4.0])
        self.assertEqual(peers.fmt_ratio([2.0, 4.0, 3.0]), "3.00x (2.00–4.00)")
        self.assertEqual(peers.fmt_ratio([0.5]), "0.50x")

    def test_compare_counts_differences_and_label_changes(self):
        ref = {"a": (0.9, "exact_match"), "b": (0.2, "not_match"), "c": (0.6, "exact_match")}
        got = {"a": (0.85, "exact_match"), "b": (0.2, "partial_match")}
        c = peers.compare(got, ref)
        self.assertEqual((c["compared"], c["missing"], c["label_changes"]), (2, 1, 1))
        self.assertAlmostEqual(c["max_abs_diff"], 0.05)

    def test_table_rows(self):
        base = {"model": "m", "config": "2x1", "repeat": 0, "pairs": 10}
        d = {"runs": [base | {"contender": "mgeo-fp32", "seconds": 1.0, "score_s": 0.8},
                      base | {"contender": "ort-int8", "seconds": 0.5, "score_s": 0.4,
                              "vs_ref": {"compared": 10, "max_abs_diff": 0.0123, "label_changes": 2}}]}
        lines = peers.table(d)
        self.assertEqual(lines[2], "| m | 2x1 | mgeo-fp32 | 10 | 10.0 (10.0–10.0) | 1 | 1 | - | - |")
        self.assertEqual(lines[3], "| m | 2x1 | ort-int8 | 10 | 20.0 (20.0–20.0) | 2.00x | 2.00x | 1.2e-02 | 2 of 10 |")


def smoke_ready():
    if not os.access(peers.BIN, os.X_OK) or not shutil.which(peers.MPIRUN[0]):
        return False
    return all(importlib.util.find_spec(m) for m in ("onnxruntime", "onnx", "torch", "transformers"))


@unittest.skipUnless(smoke_ready(), "needs build/bin/mgeo-dist, mpirun, and onnxruntime, onnx, torch, transformers")
class CpuPeersSmoke(unittest.TestCase):
    def test_tiny_model_end_to_end(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "peers.json")
            p = subprocess.run([sys.executable, os.path.join(ROOT, "experiments", "cpu", "peers.py"), "--models", "tiny",
                                "--pairs", "48", "--repeats", "1", "--configs", "2x1", "--batch-size", "16",
                                "--contenders", "mgeo-fp32,ort-fp32,ort-int8,torch-int8", "--work", d, "--out", out],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stderr[-2000:])
            runs = json.load(open(out))["runs"]
            self.assertEqual([r for r in runs if "error" in r], [])
            self.assertEqual(len(runs), 4)
            for r in runs:
                self.assertEqual(r["vs_ref"]["compared"], 48, r["contender"])
                if r["contender"] == "ort-fp32":
                    self.assertLess(r["vs_ref"]["max_abs_diff"], 1e-4)
                    self.assertEqual(r["vs_ref"]["label_changes"], 0)
            # same batches for every contender: same real and padded tokens
            self.assertEqual(len({(r["tokens"], r["padded_tokens"]) for r in runs}), 1)
            # mgeo-dist's 2 ranks and the two workers of each peer take the same windows (sort window 48 / 2)
            self.assertEqual([r["rank_pairs"] for r in runs], [[24, 24]] * 4)
            self.assertIn("| tiny | 2x1 | torch-int8 | 48 |", p.stdout)


if __name__ == "__main__":
    unittest.main()
