#!/usr/bin/python3
"""Where the time of a Java training step goes, from a JFR recording.

    java --add-modules jdk.incubator.vector -XX:StartFlightRecording=filename=step.jfr,settings=profile \\
        -cp benchmarks/target-bench/benchmarks.jar io.github.gptfromscratch.benchmarks.ProfileTrainStep gptCpu 400 1
    /usr/bin/python3 benchmarks/pytorch/jfr_breakdown.py step.jfr

Each execution sample is charged to the innermost frame of an autograd op family (MatMul, Attention,
Normalization, …) or optimizer class on its stack, GELU split out of the elementwise ops by method
name; samples with none of these (tape bookkeeping, the driver) are "other". Also prints the hottest
leaf methods, the GC pause total and the sampled allocation by op family.
"""
import collections
import json
import subprocess
import sys

FAMILIES = ("autograd.", "optim.", "nn.")


def events(path, name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", name, path], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(frame):
    m = frame["method"]
    return m["type"]["name"].replace("/", ".") + "." + m["name"]


def category(frames):
    for f in frames:  # leaf first
        name = frame_name(f)
        cls = name.rsplit(".", 1)[0]
        if "io.github.gptfromscratch." not in cls:
            continue
        short = cls.split("io.github.gptfromscratch.", 1)[1]
        if "gelu" in name.lower():
            return "GELU"
        if short.startswith("optim.AdamW"):
            return "optimizer (AdamW)"
        if short.startswith("optim.Gradients"):
            return "gradient clipping"
        if short.startswith("autograd."):
            family = short.split(".")[1].split("$")[0]
            if family in ("Tape", "Var"):
                return "tape / gradient accumulation"
            return {"MatMul": "matmul", "Attention": "attention", "Normalization": "layer norm",
                    "Losses": "cross-entropy", "Indexing": "embedding", "Elementwise": "elementwise (residual add, …)",
                    "Views": "views / copies", "Softmaxes": "softmax", "Reductions": "reductions",
                    "Broadcasting": "broadcast reduction"}.get(family, "autograd " + family)
    return "other (driver, JIT, runtime)"


def main(path):
    samples = events(path, "jdk.ExecutionSample")
    cats, leaves = collections.Counter(), collections.Counter()
    for e in samples:
        frames = e["values"]["stackTrace"]["frames"]
        if not frames:
            continue
        cats[category(frames)] += 1
        leaves[frame_name(frames[0])] += 1
    total = sum(cats.values())
    print(f"{total} execution samples")
    print("| part of the step | share of samples |\n|---|---|")
    for c, n in cats.most_common():
        print(f"| {c} | {100 * n / total:.1f}% |")
    print("\nhottest leaf methods:")
    for m, n in leaves.most_common(15):
        print(f"  {100 * n / total:5.1f}%  {m}")
    gcs = events(path, "jdk.GarbageCollection")

    def secs(d):  # JFR JSON durations look like "PT0.001234S"
        return float(d[2:-1]) if d.startswith("PT") and d.endswith("S") else 0.0

    pauses = sum(secs(e["values"]["sumOfPauses"]) for e in gcs)
    print(f"\nGC: {len(gcs)} collections, {pauses * 1e3:.0f} ms of pauses in total")
    alloc = collections.Counter()
    for e in events(path, "jdk.ObjectAllocationSample"):
        frames = e["values"]["stackTrace"]["frames"] if e["values"]["stackTrace"] else []
        alloc[category(frames)] += e["values"]["weight"]
    total_alloc = sum(alloc.values())
    if total_alloc:
        print(f"sampled allocation: {total_alloc / 2**30:.2f} GiB")
        for c, n in alloc.most_common(8):
            print(f"  {100 * n / total_alloc:5.1f}%  {c}")


if __name__ == "__main__":
    main(sys.argv[1])
