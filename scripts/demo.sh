#!/usr/bin/env bash
# Sets everything up, builds both architectures, and runs the demo: nmexpert loads nmapi.dll,
# then runs sample experts built against <netmon.h> only - a tidy one, a leaky one, a runaway
# one that must be told to terminate, one that crashes, a configurable one, and one shaped like
# the SDK's template, which imports display-filter and capture functions too - and reports,
# for each, what it did and what nmapi.dll reclaimed when its key was destroyed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null

# Prints the command, then runs it under Wine from the architecture's bin folder; an expert's
# exit status (crashed = 3, terminated = 2) is part of the show, not a failure of the demo.
nmexpert() {
    echo "\$ nmexpert $*"
    local status=0
    ../../../cmake/wine-run.sh nmexpert.exe "$@" | tr -d '\r' || status=$?
    echo "(exit status $status)"
    echo
}

# Capture files for the capture runtime, made by Wireshark's tools (as the tests make them).
captures=build/demo-captures
[ -s "$captures/all.cap" ] || bash tests/captures/make_captures.sh "$captures" >/dev/null 2>&1
captures="Z:$(pwd)/$captures"

for arch in i686 x86_64; do
    echo "=================================== $arch ==================================="
    cd "build/$arch/bin"
    rm -f demo-settings.bin
    nmexpert list tidy_expert.dll configurable_expert.dll
    nmexpert capture "$captures/all.pcapng"
    nmexpert run conversation_expert.dll --capture "$captures/all.cap"
    nmexpert run tidy_expert.dll --capture "$captures/all.pcap"
    nmexpert run leaky_expert.dll
    nmexpert run runaway_expert.dll --timeout 500
    nmexpert run crashing_expert.dll
    nmexpert run sdk_template_expert.dll
    echo "(CONFIGURABLE_EXPERT_FRAMES=1500 stands in for the configurable expert's dialog box)"
    CONFIGURABLE_EXPERT_FRAMES=1500 nmexpert configure configurable_expert.dll --config demo-settings.bin
    nmexpert run configurable_expert.dll --config demo-settings.bin --json
    cd ../../..
done
