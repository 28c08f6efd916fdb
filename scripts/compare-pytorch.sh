#!/usr/bin/env bash
# Our JMH benchmarks and the matching PyTorch 1.13 measurements (benchmarks/pytorch/reference.py),
# back to back with the same thread count, then one table of speed-ups.
#
#   scripts/compare-pytorch.sh                 # threads 1 and 2; about 12 minutes on a 2-core machine
#   THREADS=1 scripts/compare-pytorch.sh       # one thread only
#   BIG=1 scripts/compare-pytorch.sh           # also the GPU-config GPT step (6/6/384, block 256, batch 64): slow
#   BUILD=1 scripts/compare-pytorch.sh         # rebuild the benchmarks jar first (else reused when present)
#   SECTIONS="train sample" scripts/...        # a subset of: attention train sample (default all three)
#
# Results: $OUT (default /tmp/gptfs-compare-<date>): jmh-*.json, torch-*.jsonl, table.md.
# JMH runs with -Djmh.ignoreLock=true: the machine is shared, other JMH runs may hold /tmp/jmh.lock.
# PyTorch runs with /usr/bin/python3 (Debian's python3-torch); override with PYTHON=...
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR=${JAR:-$ROOT/benchmarks/target-bench/benchmarks.jar}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-"1 2"}
SECTIONS=${SECTIONS:-"attention train sample"}
OUT=${OUT:-/tmp/gptfs-compare-$(date +%Y%m%d-%H%M%S)}
# C2 needs several seconds to compile the Vector API kernels (far more on a loaded machine): 10 s of warm-up.
JMH_OPTS=${JMH_OPTS:-"-wi 5 -w 2s -i 5 -r 1s -f 1"}
REF="$PYTHON $ROOT/benchmarks/pytorch/reference.py"
mkdir -p "$OUT"

# Debian's PyTorch (BLAS_INFO=generic) multiplies matrices through whatever libblas.so.3 the system
# alternatives select: on a fresh machine that is the reference BLAS, about ten times slower than
# OpenBLAS for the GPT step. Installing OpenBLAS makes it the selected libblas (priority 100 over 10).
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 || true)
if [[ "$blas" != *openblas* ]]; then
  echo "== libblas.so.3 is $blas, not OpenBLAS: installing OpenBLAS for PyTorch" >&2
  scripts/install-openblas.sh > /dev/null
fi

if [[ ! -f "$JAR" || -n "${BUILD:-}" ]]; then
  mvn -q -o package -pl benchmarks -am -DskipTests -Dbuild.dir.name=target-bench
fi

jmh() { # name, then JMH arguments
  local name=$1; shift
  echo "== JMH $name: $*" >&2
  java -Djmh.ignoreLock=true -jar "$JAR" "$@" $JMH_OPTS -rf json -rff "$OUT/jmh-$name.json" > "$OUT/jmh-$name.log" 2>&1 \
    || { echo "JMH $name failed, see $OUT/jmh-$name.log" >&2; tail -20 "$OUT/jmh-$name.log" >&2; }
}

torch() { # name, then reference.py arguments
  local name=$1; shift
  echo "== PyTorch $name: $*" >&2
  $REF "$@" >> "$OUT/torch-$name.jsonl" || echo "PyTorch $name failed: $*" >&2
}

{ echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"; echo "load before: $(uptime)"; java -version 2>&1 | head -1;
  $PYTHON -c 'import torch; print("torch", torch.__version__)'; } > "$OUT/machine.txt"

section() { [[ " $SECTIONS " == *" $1 "* ]]; }

for t in $THREADS; do
  if section attention; then
    jmh "attention-t$t" AttentionBenchmark -p threads="$t"
    for shape in 12x4x64x32 64x6x256x64; do
      torch "attention-t$t" --threads "$t" attention --shape "$shape"
    done
  fi
  if section train; then
    jmh "train-t$t" TrainStepBenchmark -p model=gptCpu,mlp,wavenet -p threads="$t"
    torch "train-t$t" --threads "$t" gpt-step --config cpu
    torch "train-t$t" --threads "$t" mlp-step
    torch "train-t$t" --threads "$t" wavenet-step
  fi
  if section sample; then
    jmh "sample-t$t" SamplingBenchmark -p threads="$t"
    torch "sample-t$t" --threads "$t" sample
  fi
  if [[ -n "${BIG:-}" ]]; then
    JMH_OPTS="-wi 1 -i 2 -w 1s -r 1s -f 1" jmh "train-big-t$t" TrainStepBenchmark -p model=gptGpu -p threads="$t"
    torch "train-big-t$t" --threads "$t" gpt-step --config gpu
  fi
done

echo "load after: $(uptime)" >> "$OUT/machine.txt"
$PYTHON "$ROOT/benchmarks/pytorch/compare_table.py" "$OUT" | tee "$OUT/table.md"
cat "$OUT/machine.txt"
