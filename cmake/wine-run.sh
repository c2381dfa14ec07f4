#!/bin/sh
# Runs a Windows program under Wine with the project's prefix (made by scripts/setup.sh),
# quiet Wine diagnostics unless WINEDEBUG is set, and Wine's CRLF turned into LF.
here=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX="${WINEPREFIX:-$here/.deps/wineprefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
exec wine "$@"
