#!/bin/sh
# Runs a Windows program under Wine with the project's prefix (made by scripts/setup.sh),
# and quiet Wine diagnostics unless WINEDEBUG is set. (Wine writes CRLF: strip \r to compare.)
here=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX="${WINEPREFIX:-$here/.deps/wineprefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
exec wine "$@"
