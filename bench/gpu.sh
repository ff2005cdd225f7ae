#!/usr/bin/env bash
# lipbook on a GPU in at most 8 minutes: the seed's network at batch 128 (lipbook with each orthonormaliser against plain
# Keras, XLA on and off, float32 and mixed_bfloat16), MNIST dense 1024-1024 at batch 256, and 2 epochs of the seed's
# network on random CIFAR-shaped data with its Lipschitz report and certificates. Writes bench/RESULTS-gpu.md after each
# section (a run stopped early keeps what it measured) and prints it.
#
#   bench/gpu.sh [--tiny] [other bench.py options]      from anywhere; PYTHON=/path/to/python to choose the interpreter
#
# --tiny: the narrow network at batch 8 on whatever device there is (a smoke test of the script, e.g. on a CPU).
# The sections are skipped once 420 s are spent (--budget), and the run is interrupted at 470 s whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" KERAS_BACKEND=tensorflow TF_CPP_MIN_LOG_LEVEL=2
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
exec timeout --signal=INT --kill-after=10 470 "${PYTHON:-python}" bench/bench.py --gpu --rounds 3 --steps 10 "$@"
