#!/bin/sh
# Runs a Windows program under Wine with the project's prefix (made by scripts/setup.sh),
# and quiet Wine diagnostics unless WINEDEBUG is set. (Wine writes CRLF: strip \r to compare.)
#
# With NMAPI_WINE_HEAP_CHECK=1 (the *-heap-check test presets), Wine's heap checker is on
# (WINEDEBUG=warn+heap: parameter validation, freed-block checks) and the run fails when it
# reports anything but a refusal to allocate (absurd sizes and exhausted address space are
# refused on purpose by the tests). Its messages share stderr with the program, so stderr is
# captured and passed on when the program ends; when stderr is a terminal it cannot be
# captured without ceasing to be one, and the run is not checked (said on stderr).
here=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX="${WINEPREFIX:-$here/.deps/wineprefix}"
if [ "${NMAPI_WINE_HEAP_CHECK:-}" != 1 ]; then
    export WINEDEBUG="${WINEDEBUG:--all}"
    exec wine "$@"
fi

export WINEDEBUG=-all,err+heap,warn+heap
if [ -t 2 ]; then
    echo "wine-run.sh: stderr is a terminal: Wine's heap messages for $1 are shown, not checked" >&2
    exec wine "$@"
fi
log=$(mktemp)
wine "$@" 2>"$log"
status=$?
cat "$log" >&2
complaints=$(grep -a ':heap:' "$log" | grep -avE ':heap:allocate_region Could not (allocate|commit) ')
rm -f "$log"
if [ -n "$complaints" ]; then
    echo "wine-run.sh: Wine's heap checker complained while running $1:" >&2
    echo "$complaints" >&2
    [ "$status" -ne 0 ] || status=1
fi
exit "$status"
