#!/usr/bin/env bash
# Sets everything up, then runs one CMake workflow per build (CMakePresets.json): the i686 and
# the x86_64 DLL, each configured, built, tested under Wine and tested again under Wine's heap
# checker (WINEDEBUG=warn+heap; any heap complaint fails, see cmake/wine-run.sh); then the
# platform-neutral core natively (clang, ASan, UBSan, a fixed libFuzzer run). A pass that runs no
# test fails (the test presets' noTestsAction). Every workflow runs; the exit status is 1 when any
# of them failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

status=0
for workflow in i686 x86_64 native; do
    case $workflow in
        i686)   echo "=== i686: under 32-bit Wine (mechanism: $(cat .deps/wine/mechanism)), then again under its heap checker ===" ;;
        x86_64) echo "=== x86_64: under 64-bit Wine, then again under its heap checker ===" ;;
        native) echo "=== native core: clang, ASan, UBSan, libFuzzer ===" ;;
    esac
    cmake --workflow --preset "$workflow" || { echo "FAILED: workflow $workflow" >&2; status=1; }
done
exit $status
