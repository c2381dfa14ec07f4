#!/usr/bin/env bash
# Configures and builds both DLLs and the native core with the CMake presets (after
# scripts/setup.sh); the demo and the benchmarks start from here. Tests: scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
for preset in i686 x86_64 native; do
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
done
