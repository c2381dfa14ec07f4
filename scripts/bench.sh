#!/usr/bin/env bash
# Sets everything up, builds both architectures and runs the benchmark (bench/) under Wine,
# printing one table per architecture. Arguments go to nmapi_bench (--rounds N, --json,
# --only LIST, --quick). The figures are ratios measured inside one process, so a busy
# machine blurs them less than absolute times; the load average is printed beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null 2>&1 || bash scripts/setup.sh
bash scripts/build.sh >/dev/null
for arch in i686 x86_64; do
    echo "=== bench: $arch ($(date -u '+%Y-%m-%d %H:%M UTC'); load average$(uptime | sed 's/.*load average//')) ==="
    (cd "build/$arch/bin" && ../../../cmake/wine-run.sh nmapi_bench.exe "$@" | tr -d '\r')
    echo
done
