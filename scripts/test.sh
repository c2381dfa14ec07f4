#!/usr/bin/env bash
# Sets everything up, builds both architectures and runs the whole test suite under Wine
# (32-bit and 64-bit), then once more with Wine's heap checker (WINEDEBUG=warn+heap; any heap
# complaint fails the run, see cmake/wine-run.sh), then the native core build (ASan, UBSan, a
# fixed libFuzzer run). Fails when any test fails or when any pass ran no test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh

status=0
for pass in i686 x86_64 i686-heap-check x86_64-heap-check native; do
    case $pass in
        i686)   echo "=== tests: i686 (under 32-bit Wine, mechanism: $(cat .deps/wine/mechanism)) ===" ;;
        x86_64) echo "=== tests: x86_64 (under 64-bit Wine) ===" ;;
        *-heap-check) echo "=== tests: ${pass%-heap-check} again, under Wine's heap checker (WINEDEBUG=warn+heap) ===" ;;
        native) echo "=== tests: native core (clang, ASan, UBSan, libFuzzer) ===" ;;
    esac
    log="build/${pass%-heap-check}/ctest-$pass.log"
    ctest --preset "$pass" 2>&1 | tee "$log" || status=1
    ran=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n1)
    if [ -z "$ran" ] || [ "$ran" -eq 0 ]; then
        echo "FATAL: no $pass test ran" >&2
        status=1
    fi
done
exit $status
