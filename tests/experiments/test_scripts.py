#!/usr/bin/env python3
"""Tests of the experiment scripts' arithmetic: the per-repeat ratios of experiments/bench/report.py
and the output check of experiments/stream/check.py (order, completeness, score differences)."""
import contextlib
import io
import os
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "experiments", "bench"))
sys.path.insert(0, os.path.join(ROOT, "experiments", "stream"))
import check  # noqa: E402
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


if __name__ == "__main__":
    unittest.main()
