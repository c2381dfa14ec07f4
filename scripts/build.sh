#!/usr/bin/env bash
# Configures and builds both architectures with the CMake presets (after scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
for arch in i686 x86_64; do
    cmake --preset "$arch" >/dev/null
    cmake --build --preset "$arch"
done
