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

# Captures: a 1 GB pcap (the capture tests' frames, doubled with mergecap until it is), walked
# by an expert's loop in each build, and tshark reading the same file, in the same run.
big=build/bench-captures/big.pcap
if [ ! -s "$big" ]; then
    mkdir -p build/bench-captures
    bash tests/captures/make_captures.sh build/bench-captures/base >/dev/null 2>&1
    cp build/bench-captures/base/all.pcap build/bench-captures/x.pcap
    while [ "$(stat -c %s build/bench-captures/x.pcap)" -lt 1000000000 ]; do
        mergecap -F pcap -a -w build/bench-captures/y.pcap build/bench-captures/x.pcap \
                 build/bench-captures/x.pcap
        mv build/bench-captures/y.pcap build/bench-captures/x.pcap
    done
    mv build/bench-captures/x.pcap "$big"
fi
echo "=== captures: $big ==="
for arch in i686 x86_64; do
    echo "--- nmapi_capture_bench, $arch"
    (cd "build/$arch/bin" && ../../../cmake/wine-run.sh nmapi_capture_bench.exe "Z:$(cd ../../.. && pwd)/$big" | tr -d '\r')
done
echo "--- tshark -r big.pcap -T fields -e frame.number"
start=$(date +%s.%N)
frames=$(tshark -n -r "$big" -T fields -e frame.number 2>/dev/null | wc -l)
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$frames" \
    'BEGIN { printf "tshark              %.3f s for %d frames: %.2f M frames/s\n", e - s, n, n / (e - s) / 1e6 }'
