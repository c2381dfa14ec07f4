#!/usr/bin/env bash
# Configures and builds both architectures with the CMake presets (after scripts/setup.sh), and
# the native sanitizer and fuzzing build of the core.
set -euo pipefail
cd "$(dirname "$0")/.."
for arch in i686 x86_64 native; do
    cmake --preset "$arch" >/dev/null
    cmake --build --preset "$arch"
done
