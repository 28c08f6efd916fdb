#!/usr/bin/python3
"""Joins JMH JSON results (``-rf json``) and reference.py JSON lines into one Markdown table.

    /usr/bin/python3 benchmarks/pytorch/compare_table.py OUT_DIR

reads every ``jmh-*.json`` and ``torch-*.jsonl`` in OUT_DIR. ``speed-up`` is PyTorch's time divided
by ours (above 1: we are faster); for sampling it is our tokens/s divided by PyTorch's. Our figure is
the median of the JMH measurement iterations (range in brackets), PyTorch's the median of its timed steps.
"""
import glob
import json
import os
import statistics
import sys


def load_jmh(out_dir):
    rows = []
    for path in sorted(glob.glob(os.path.join(out_dir, "jmh-*.json"))):
        with open(path) as f:
            text = f.read().strip()
        rows.extend(json.loads(text) if text else [])
    return rows


def load_torch(out_dir):
    rows = []
    for path in sorted(glob.glob(os.path.join(out_dir, "torch-*.jsonl"))):
        with open(path) as f:
            rows.extend(json.loads(line) for line in f if line.startswith("{"))
    return rows


def rng(e):
    return f" ({fmt(e[0])}–{fmt(e[1])})" if e else ""


def fmt(x, digits=3):
    if x is None:
        return "—"
    return f"{x:.{digits}g}" if x < 100 else f"{x:.0f}"


def main(out_dir):
    jmh, torch = load_jmh(out_dir), load_torch(out_dir)

    def ours(cls, **params):
        for r in jmh:
            if r["benchmark"].split(".")[-2] == cls and all(str(r["params"].get(k)) == str(v) for k, v in params.items()):
                raw = sorted(x for fork in r["primaryMetric"]["rawData"] for x in fork)
                return statistics.median(raw), (raw[0], raw[-1])
        return None, None

    def ref(bench, **fields):
        for r in torch:
            if r["bench"] == bench and all(str(r.get(k)) == str(v) for k, v in fields.items()):
                return r
        return None

    print("| measurement | threads | ours | PyTorch 1.13 | speed-up (PyTorch time / ours) |")
    print("|---|---|---|---|---|")
    for threads in (1, 2):
        for shape in ("12x4x64x32", "64x6x256x64"):
            for mode in ("forward", "forwardBackward"):
                r = ref("attention", threads=threads, shape=shape, mode=mode)
                for impl in ("fused", "composed"):
                    s, e = ours("AttentionBenchmark", impl=impl, mode=mode, shape=shape, threads=threads)
                    if s is None and r is None:
                        continue
                    pt = r["ms_median"] if r else None
                    print(f"| attention {shape} {mode}, ours {impl} vs torch composed | {threads} | "
                          f"{fmt(s)}{rng(e)} ms | {fmt(pt)} ms | {fmt(pt / s if s and pt else None)} |")
        for model, bench, extra in (("gptCpu", "gpt-step", {"config": "cpu"}), ("gptGpu", "gpt-step", {"config": "gpu"}),
                                    ("mlp", "mlp-step", {}), ("wavenet", "wavenet-step", {})):
            s, e = ours("TrainStepBenchmark", model=model, threads=threads)
            r = ref(bench, threads=threads, **extra)
            if s is None and r is None:
                continue
            pt = r["ms_median"] if r else None
            print(f"| train step {model} | {threads} | {fmt(s)}{rng(e)} ms | {fmt(pt)} ms | "
                  f"{fmt(pt / s if s and pt else None)} |")
        r = ref("sample", threads=threads)
        for cache in ("false", "true"):
            s, e = ours("SamplingBenchmark", cache=cache, threads=threads)
            if s is None:
                continue
            pt = r["tokens_per_s"] if r else None
            print(f"| sample 500 tokens, ours cache={cache} vs torch no cache | {threads} | {fmt(s)}{rng(e)} tok/s | "
                  f"{fmt(pt)} tok/s | {fmt(s / pt if s and pt else None)} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
