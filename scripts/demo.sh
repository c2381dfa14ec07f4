#!/usr/bin/env bash
# Sets everything up, builds both architectures, and runs the demo: a host loads nmapi.dll,
# runs a leaky expert built against <netmon.h> only, and reports what nmapi reclaimed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
for arch in i686 x86_64; do
    echo
    echo "=== demo: $arch ==="
    (cd "build/$arch/bin" && ../../../cmake/wine-run.sh demo_host.exe leaky_expert.dll | tr -d '\r')
done
