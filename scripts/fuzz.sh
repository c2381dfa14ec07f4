#!/usr/bin/env bash
# Fuzzes the core open-ended (natively, with ASan and UBSan): scripts/fuzz.sh [SECONDS] [JOBS]
# runs fuzz_core until it finds a failure, or for SECONDS (0 = until interrupted), on JOBS
# processes, growing the corpus in build/native/fuzz-corpus from the committed seeds in
# tests/fuzz/corpus. A failing input is written as crash-* in the current folder; replay it
# with build/native/tests/native/fuzz_core crash-FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-0}
jobs=${2:-1}
bash scripts/setup.sh
cmake --preset native >/dev/null
cmake --build --preset native --target fuzz_core
mkdir -p build/native/fuzz-corpus
exec build/native/tests/native/fuzz_core -max_total_time="$seconds" -max_len=512 \
    -jobs="$jobs" -workers="$jobs" -print_final_stats=1 \
    build/native/fuzz-corpus tests/fuzz/corpus
