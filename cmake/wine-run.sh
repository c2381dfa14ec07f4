#!/bin/sh
# wine-run.sh PROGRAM [ARGS...]: the one way this project runs a Windows program (tests through
# CMAKE_CROSSCOMPILING_EMULATOR, the demo, the benchmark, set-up's own checks).
#
# It runs PROGRAM with the mechanism scripts/setup.sh chose for this machine (.deps/wine/mechanism),
# in that mechanism's Wine prefix, with Wine's diagnostics quiet unless WINEDEBUG is set:
#   classic  the kernel runs 32-bit code: 32-bit programs with Wine's 32-bit loader;
#   qemu     it does not: the program runs in a private user namespace whose own binfmt_misc
#            sends every i386 ELF executable (Wine's 32-bit loader, its preloader, each 32-bit
#            process it starts) through .deps/wine/qemu-i386, with .deps/wine/sigfix.so preloaded
#            into those processes (tools/wine-qemu/sigfix.c says why). Nothing outside this
#            process tree sees the registration.
# A 64-bit program (PE32+) always goes straight to Wine's 64-bit loader; a name that is not a
# file (wineboot) is taken as 64-bit. Wine writes CRLF: strip \r to compare output.
#
# With NMAPI_WINE_HEAP_CHECK=1 (the *-heap-check test presets), Wine's heap checker is on
# (WINEDEBUG=warn+heap: parameter validation, freed-block checks) and the run fails when it
# reports anything but a refusal to allocate (absurd sizes and exhausted address space are
# refused on purpose by the tests). Its messages share stderr with the program, so stderr is
# captured and passed on when the program ends; when stderr is a terminal it cannot be
# captured without ceasing to be one, and the run is not checked (said on stderr).
here=$(cd "$(dirname "$0")/.." && pwd)
wine_dir="$here/.deps/wine"
BINFMT=/proc/sys/fs/binfmt_misc
ENTRY=nmapi-qemu-i386

mechanism=$(cat "$wine_dir/mechanism" 2>/dev/null)
case $mechanism in
    classic|qemu) ;;
    *) echo "wine-run.sh: no Wine mechanism chosen for this machine yet: run scripts/setup.sh" >&2
       exit 127 ;;
esac
export WINEPREFIX="$wine_dir/prefix-$mechanism"

# qemu: enter a private user and mount namespace (unshare re-executes this script with the same
# arguments), mount a binfmt_misc instance of its own there and register qemu-i386 in it.
if [ "$mechanism" = qemu ] && [ ! -e "$BINFMT/$ENTRY" ]; then
    if [ "${NMAPI_WINE_NAMESPACE:-}" != entered ]; then
        NMAPI_WINE_NAMESPACE=entered exec unshare --user --map-root-user --mount -- "$0" "$@"
    fi
    unset NMAPI_WINE_NAMESPACE
    mount -t binfmt_misc binfmt_misc "$BINFMT" || {
        echo "wine-run.sh: cannot mount a private binfmt_misc (Linux >= 6.7 with user namespaces is needed)" >&2
        exit 127; }
    # i386 ELF executables and shared objects (e_ident class 1, little-endian; e_machine 3);
    # O: qemu gets the file open, P: argv[0] kept, F: qemu opened now, whatever mounts follow.
    printf ':%s:M::\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x03\\x00:\\xff\\xff\\xff\\xff\\xff\\xfe\\xfe\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:%s:OPF' \
        "$ENTRY" "$wine_dir/qemu-i386" >"$BINFMT/register" || {
        echo "wine-run.sh: cannot register qemu-i386 in the private binfmt_misc" >&2; exit 127; }
fi
if [ "$mechanism" = qemu ]; then
    export QEMU_SET_ENV="LD_PRELOAD=$wine_dir/sigfix.so"
fi

# The PE machine of $1: 14c (i386), 8664 (x86_64), or nothing when $1 is not a PE file.
pe_machine() {
    [ -f "$1" ] || return 0
    [ "$(od -An -c -N2 "$1" | tr -d ' ')" = MZ ] || return 0
    pe=$(od -An -tu4 -j60 -N4 "$1" | tr -d ' ')
    od -An -tx2 -j$((pe + 4)) -N2 "$1" | tr -d ' '
}
case $(pe_machine "$1") in
    14c) loader=/usr/lib/wine/wine ;;
    *)   loader=/usr/lib/wine/wine64 ;;
esac

if [ "${NMAPI_WINE_HEAP_CHECK:-}" != 1 ]; then
    export WINEDEBUG="${WINEDEBUG:--all}"
    exec "$loader" "$@"
fi

export WINEDEBUG=-all,err+heap,warn+heap
if [ -t 2 ]; then
    echo "wine-run.sh: stderr is a terminal: Wine's heap messages for $1 are shown, not checked" >&2
    exec "$loader" "$@"
fi
log=$(mktemp)
"$loader" "$@" 2>"$log"
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
