#!/usr/bin/env bash
# Installs everything the project needs on a Debian 12 (bookworm) amd64 machine, as root,
# unattended, and is cheap to run again:
#   - mingw-w64 (i686 + x86_64), cmake, ninja, clang/lld tools, native cmocka, and the
#     sanitizer and libFuzzer runtimes for the native build of the core;
#   - 64-bit and 32-bit Wine (wine, wine64, wine32:i386) resolved in one transaction;
#   - cmocka (for the tests) and mimalloc (the benchmark's reference allocator) cross-built
#     statically for both mingw targets from Debian's own source packages, pinned;
#   - a Wine prefix made after both Wines are installed, booted once;
# and ends by proving that a 32-bit and a 64-bit Windows program run.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
deps="$here/.deps"
CMOCKA_VERSION=1.1.5            # the version Debian 12 ships; tests are written against it
MIMALLOC_VERSION=2.0.9          # the version Debian 12 ships; bench/ compares against its heaps
export DEBIAN_FRONTEND=noninteractive
log() { printf '[setup] %s\n' "$*" >&2; }

# libclang-rt-14-dev (only recommended by clang) carries ASan, UBSan and libFuzzer for the
# native build.
PACKAGES=(mingw-w64 cmake ninja-build wine wine64 wine32:i386 libcmocka-dev clang lld llvm
          libclang-rt-14-dev dpkg-dev ca-certificates)

have_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
    done
}

# A private apt configuration: the machine's own Debian sources with deb-src added and, when
# the security suite serves a broken i386 index, without that suite. Nothing under /etc changes.
private_apt_dir="$deps/apt"
private_apt() {
    apt-get -o Dir::Etc::SourceList="$private_apt_dir/empty.list" \
            -o Dir::Etc::SourceParts="$private_apt_dir/parts" \
            -o Dir::State::Lists="$private_apt_dir/lists" "$@"
}
setup_private_apt() {   # $1 = with-security | without-security; fails if the index is broken
    local mode=$1 f
    mkdir -p "$private_apt_dir/lists/partial" "$private_apt_dir/parts"
    rm -f "$private_apt_dir/parts/"*
    : >"$private_apt_dir/empty.list"
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] || continue
        awk -v mode="$mode" 'BEGIN { RS=""; ORS="\n\n" }
            /URIs:[^\n]*debian/ {
                if (mode == "without-security" && $0 ~ /-security/) next
                sub(/Types:[^\n]*/, "Types: deb deb-src"); print
            }' "$f" >>"$private_apt_dir/parts/project.sources"
    done
    if [ -f /etc/apt/sources.list ]; then
        grep -E '^deb ' /etc/apt/sources.list |
            { if [ "$mode" = without-security ]; then grep -v -- '-security' || true; else cat; fi; } |
            sed 'p; s/^deb /deb-src /' >"$private_apt_dir/parts/project.list" || true
    fi
    private_apt update -q 2>&1 | tee "$private_apt_dir/update.log" >&2
    ! grep -qE '^(E:|Err:|W: Failed)|unexpected size|Mirror sync' "$private_apt_dir/update.log"
}

install_packages() {
    if have_packages; then log "packages already installed"; return; fi
    [ "$(id -u)" = 0 ] || { log "FATAL: packages are missing and installing them needs root"; exit 1; }
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        log "adding the i386 architecture (before any Wine package)"
        dpkg --add-architecture i386
    fi
    log "apt: resolving with the machine's sources (security suite included)"
    if setup_private_apt with-security &&
       private_apt install -y -q --no-install-recommends "${PACKAGES[@]}" >&2; then
        :
    else
        log "apt: resolving with the security suite failed (its i386 index is often inconsistent); using the release suites only"
        setup_private_apt without-security || log "apt update still reported errors; trying anyway"
        private_apt install -y -q --no-install-recommends "${PACKAGES[@]}" >&2
    fi
    have_packages || { log "FATAL: packages missing after install"; exit 1; }
}

# Unpacks Debian's source package $1 at upstream version $2 under .deps/src (once) and prints
# the folder. The version is pinned: a different one in the archive stops the set-up.
debian_source() {
    local package=$1 version=$2 tarball
    tarball=$(ls "$deps/src/${package}_$version"*.orig.tar.* 2>/dev/null | head -n1)
    if [ -z "$tarball" ]; then
        mkdir -p "$deps/src"
        # The private sources carry deb-src; make them if packages were installed earlier.
        if [ ! -f "$private_apt_dir/empty.list" ]; then
            log "apt: source index with the machine's sources (security suite included)"
            setup_private_apt with-security || {
                log "apt: the security suite's index failed (often inconsistent for i386, see the errors above); using the release suites only"
                setup_private_apt without-security || true; }
        fi
        (cd "$deps/src" && private_apt source --download-only "$package" >&2)
        tarball=$(ls "$deps/src/${package}_$version"*.orig.tar.* 2>/dev/null | head -n1)
        [ -n "$tarball" ] || { log "FATAL: $package $version source not found (pinned version)"; exit 1; }
    fi
    local top; top=$(tar -tf "$tarball" | sed -n 1p); top=${top%%/*}
    [ -d "$deps/src/$top" ] || tar -C "$deps/src" -xf "$tarball"
    printf '%s\n' "$deps/src/$top"
}

# Configures, builds and installs a CMake project $1 for mingw target $2 into $3 (static,
# Release); further arguments go to its configure step.
cross_build() {
    local src=$1 arch=$2 prefix=$3; shift 3
    cmake -S "$src" -B "$deps/build/$(basename "$prefix")" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$here/cmake/toolchain-mingw-$arch.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" "$@" >/dev/null
    cmake --build "$deps/build/$(basename "$prefix")" >/dev/null
    cmake --install "$deps/build/$(basename "$prefix")" >/dev/null
}

build_cmocka() {   # $1 = i686 | x86_64
    local arch=$1 prefix="$deps/cmocka-$CMOCKA_VERSION-$1"
    [ -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/include/cmocka.h" ] && return
    local src; src=$(debian_source cmocka "$CMOCKA_VERSION")
    log "building cmocka $CMOCKA_VERSION for $arch-w64-mingw32 (static)"
    cross_build "$src" "$arch" "$prefix" \
        -DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
        -DPICKY_DEVELOPER=OFF
    # Older cmocka names the static archive libcmocka-static.a; give it one name.
    if [ ! -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/lib/libcmocka-static.a" ]; then
        cp "$prefix/lib/libcmocka-static.a" "$prefix/lib/libcmocka.a"
    fi
    [ -f "$prefix/lib/libcmocka.a" ] || { log "FATAL: cmocka build for $arch produced no library"; exit 1; }
}

# mimalloc as a plain library (no malloc override), for bench/ only: nmapi.dll never links it.
build_mimalloc() {   # $1 = i686 | x86_64
    local arch=$1 prefix="$deps/mimalloc-$MIMALLOC_VERSION-$1"
    [ -f "$prefix/lib/libmimalloc-static.a" ] && [ -f "$prefix/include/mimalloc.h" ] && return
    local src; src=$(debian_source mimalloc "$MIMALLOC_VERSION")
    log "building mimalloc $MIMALLOC_VERSION for $arch-w64-mingw32 (static)"
    cross_build "$src" "$arch" "$prefix" \
        -DMI_BUILD_SHARED=OFF -DMI_BUILD_OBJECT=OFF -DMI_BUILD_TESTS=OFF -DMI_OVERRIDE=OFF \
        -DMI_INSTALL_TOPLEVEL=ON
    [ -f "$prefix/lib/libmimalloc-static.a" ] ||
        { log "FATAL: mimalloc build for $arch produced no library"; exit 1; }
}

prepare_wine() {
    export WINEPREFIX="$deps/wineprefix" WINEDEBUG=-all
    if [ ! -f "$WINEPREFIX/system.reg" ] || [ ! -d "$WINEPREFIX/drive_c/windows/syswow64" ]; then
        rm -rf "$WINEPREFIX"
        log "creating the Wine prefix (both Wines installed)"
        wineboot -i >/dev/null 2>&1 || true
        wineserver -w
    fi
    [ -d "$WINEPREFIX/drive_c/windows/syswow64" ] ||
        { log "FATAL: the Wine prefix cannot run 32-bit programs"; exit 1; }
}

prove_wine() {
    local tmp; tmp=$(mktemp -d)
    printf '#include <stdio.h>\nint main(void){printf("%%d-bit ok\\n",(int)(sizeof(void*)*8));return 0;}\n' >"$tmp/p.c"
    i686-w64-mingw32-gcc -O1 -o "$tmp/p32.exe" "$tmp/p.c"
    x86_64-w64-mingw32-gcc -O1 -o "$tmp/p64.exe" "$tmp/p.c"
    local a b
    a=$("$here/cmake/wine-run.sh" "$tmp/p32.exe" | tr -d '\r')
    b=$("$here/cmake/wine-run.sh" "$tmp/p64.exe" | tr -d '\r')
    rm -rf "$tmp"
    [ "$a" = "32-bit ok" ] || { log "FATAL: 32-bit Wine did not run a test program (got '$a')"; exit 1; }
    [ "$b" = "64-bit ok" ] || { log "FATAL: 64-bit Wine did not run a test program (got '$b')"; exit 1; }
    log "Wine runs 32-bit and 64-bit programs"
}

install_packages
build_cmocka i686
build_cmocka x86_64
build_mimalloc i686
build_mimalloc x86_64
prepare_wine
prove_wine
log "done"
