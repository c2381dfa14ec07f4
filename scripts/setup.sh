#!/usr/bin/env bash
# Installs everything the project needs on a Debian 12 (bookworm) amd64 machine, as root,
# unattended, and is cheap to run again:
#   - mingw-w64 (i686 + x86_64), cmake, ninja, clang/lld tools, native cmocka, and the
#     sanitizer and libFuzzer runtimes for the native build of the core;
#   - 64-bit and 32-bit Wine (wine, wine64, wine32:i386) resolved in one transaction;
#   - cmocka (for the tests) and mimalloc (the benchmark's reference allocator) cross-built
#     statically for both mingw targets from Debian's own source packages, pinned, into
#     .deps/prefix-<arch> (the presets' CMAKE_PREFIX_PATH);
#   - how this machine runs 32-bit Windows programs, decided by a probe (choose_mechanism):
#     "classic" where the kernel runs 32-bit code; "qemu" where it does not: Debian trixie's
#     static qemu-i386 and a small signal shim in .deps/wine, used through a private binfmt_misc;
#   - a Wine prefix for that mechanism, made after both Wines are installed, booted once;
#   - Linux's vm.max_map_count raised to MAP_LIMIT (raise_map_limit says why);
# and ends by proving, by the mechanism chosen (which it names), that a 32-bit and a 64-bit
# Windows program run and that a 32-bit access violation reaches its program as one.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
deps="$here/.deps"
CMOCKA_VERSION=1.1.5            # the version Debian 12 ships; tests are written against it
MIMALLOC_VERSION=2.0.9          # the version Debian 12 ships; bench/ compares against its heaps
export DEBIAN_FRONTEND=noninteractive
log() { printf '[setup] %s\n' "$*" >&2; }

# tshark (with editcap, text2pcap and dumpcap) makes and reads the capture tests' files: the
# oracle. libclang-rt-14-dev (only recommended by clang) carries ASan, UBSan and libFuzzer for the
# native build.
PACKAGES=(mingw-w64 cmake ninja-build wine wine64 wine32:i386 libcmocka-dev clang lld llvm tshark
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
apt_in() {   # $1 = a folder holding empty.list, parts/ and lists/; the rest goes to apt-get
    local dir=$1; shift
    apt-get -o Dir::Etc::SourceList="$dir/empty.list" -o Dir::Etc::SourceParts="$dir/parts" \
            -o Dir::State::Lists="$dir/lists" "$@"
}
private_apt() { apt_in "$private_apt_dir" "$@"; }
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

# Each target's cross-built libraries install into one prefix, .deps/prefix-<arch>, which the
# presets hand to CMake as CMAKE_PREFIX_PATH (the projects' own package files are found there).
# A stamp per library and version says what is installed.
prefix_of() { printf '%s\n' "$deps/prefix-$1"; }

# Configures, builds and installs the CMake project in $1 for mingw target $2 into that target's
# prefix (static, Release) as library $3; further arguments go to its configure step.
cross_build() {
    local src=$1 arch=$2 name=$3; shift 3
    local prefix; prefix=$(prefix_of "$arch")
    local build="$deps/build/$name-$arch"
    cmake -S "$src" -B "$build" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$here/cmake/toolchain-mingw-$arch.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" "$@" >/dev/null
    cmake --build "$build" >/dev/null
    cmake --install "$build" >/dev/null
}

installed() {   # $1 = arch, $2 = library, $3 = version
    [ -f "$(prefix_of "$1")/.installed-$2-$3" ]
}
mark_installed() {
    touch "$(prefix_of "$1")/.installed-$2-$3"
}

build_cmocka() {   # $1 = i686 | x86_64
    local arch=$1 prefix; prefix=$(prefix_of "$1")
    installed "$arch" cmocka "$CMOCKA_VERSION" && return
    local src; src=$(debian_source cmocka "$CMOCKA_VERSION")
    log "building cmocka $CMOCKA_VERSION for $arch-w64-mingw32 (static)"
    cross_build "$src" "$arch" cmocka \
        -DBUILD_SHARED_LIBS=OFF -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
        -DPICKY_DEVELOPER=OFF
    # Older cmocka names the static archive libcmocka-static.a; give it one name.
    if [ ! -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/lib/libcmocka-static.a" ]; then
        cp "$prefix/lib/libcmocka-static.a" "$prefix/lib/libcmocka.a"
    fi
    [ -f "$prefix/lib/libcmocka.a" ] || { log "FATAL: cmocka build for $arch produced no library"; exit 1; }
    mark_installed "$arch" cmocka "$CMOCKA_VERSION"
}

# mimalloc as a plain library (no malloc override), for bench/ only: nmapi.dll never links it.
build_mimalloc() {   # $1 = i686 | x86_64
    local arch=$1 prefix; prefix=$(prefix_of "$1")
    installed "$arch" mimalloc "$MIMALLOC_VERSION" && return
    local src; src=$(debian_source mimalloc "$MIMALLOC_VERSION")
    log "building mimalloc $MIMALLOC_VERSION for $arch-w64-mingw32 (static)"
    cross_build "$src" "$arch" mimalloc \
        -DMI_BUILD_SHARED=OFF -DMI_BUILD_OBJECT=OFF -DMI_BUILD_TESTS=OFF -DMI_OVERRIDE=OFF \
        -DMI_INSTALL_TOPLEVEL=ON
    [ -f "$prefix/lib/libmimalloc-static.a" ] ||
        { log "FATAL: mimalloc build for $arch produced no library"; exit 1; }
    mark_installed "$arch" mimalloc "$MIMALLOC_VERSION"
}

wine_dir="$deps/wine"
run_windows() { "$here/cmake/wine-run.sh" "$@"; }

# Can this kernel execute 32-bit x86 code? A static i386 ELF that exits with 42 tells.
kernel_runs_32bit() {
    local tmp rc=0; tmp=$(mktemp -d)
    printf '.globl _start\n_start:\n movl $1, %%eax\n movl $42, %%ebx\n int $0x80\n' >"$tmp/p.s"
    as --32 -o "$tmp/p.o" "$tmp/p.s" && ld -m elf_i386 -o "$tmp/p" "$tmp/p.o" || {
        rm -rf "$tmp"; log "FATAL: binutils cannot build the 32-bit probe"; exit 1; }
    "$tmp/p" 2>/dev/null || rc=$?
    rm -rf "$tmp"
    [ "$rc" = 42 ]
}

# Can a private user namespace mount a binfmt_misc of its own (Linux >= 6.7)?
private_binfmt_misc() {
    unshare --user --map-root-user --mount -- sh -c \
        'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && [ -w /proc/sys/fs/binfmt_misc/register ]' \
        2>/dev/null
}

# Decides how 32-bit Windows programs run here and records it for cmake/wine-run.sh.
# NMAPI_WINE_MECHANISM=classic|qemu forces a choice (qemu works on any Linux >= 6.7).
choose_mechanism() {
    local mechanism=${NMAPI_WINE_MECHANISM:-}
    case $mechanism in
        classic|qemu) log "mechanism forced by NMAPI_WINE_MECHANISM: $mechanism" ;;
        '') if kernel_runs_32bit; then
                mechanism=classic
                log "probe: this kernel runs 32-bit code: 32-bit programs use Wine's 32-bit loader (mechanism: classic)"
            elif private_binfmt_misc; then
                mechanism=qemu
                log "probe: this kernel runs no 32-bit code (a static i386 ELF does not execute), and a private binfmt_misc can be mounted: 32-bit programs run under qemu-i386 (mechanism: qemu)"
            else
                log "FATAL: this machine can run no 32-bit Windows program: its kernel executes no 32-bit code, and it cannot mount a private binfmt_misc in a user namespace for qemu (that needs Linux >= 6.7 with user namespaces enabled)"
                exit 1
            fi ;;
        *) log "FATAL: NMAPI_WINE_MECHANISM must be classic or qemu, not '$mechanism'"; exit 1 ;;
    esac
    mkdir -p "$wine_dir"
    printf '%s\n' "$mechanism" >"$wine_dir/mechanism"
}

# qemu-user from Debian trixie: a static qemu-i386 (bookworm's 7.2 takes about a minute to start
# each 32-bit Wine process), downloaded with a private apt configuration, only qemu-i386 kept in
# .deps/wine. Nothing is installed into the system.
fetch_qemu() {
    [ -x "$wine_dir/qemu-i386" ] && "$wine_dir/qemu-i386" --version >/dev/null 2>&1 && return
    local dir="$deps/apt-trixie" deb
    mkdir -p "$dir/lists/partial" "$dir/parts" "$dir/cache/archives/partial" "$dir/debs"
    : >"$dir/empty.list"
    printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: trixie' \
        'Components: main' 'Architectures: amd64' \
        'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' >"$dir/parts/trixie.sources"
    log "downloading qemu-user from Debian trixie (about 71 MB; only qemu-i386, 14 MB, is kept)"
    local opts=(-q -o Dir::Cache="$dir/cache" -o APT::Sandbox::User=root)
    apt_in "$dir" "${opts[@]}" update >&2
    (cd "$dir/debs" && rm -f ./*.deb && apt_in "$dir" "${opts[@]}" download qemu-user >&2)
    deb=$(ls "$dir/debs/"qemu-user_*.deb 2>/dev/null | head -n1)
    [ -n "$deb" ] || { log "FATAL: qemu-user could not be downloaded from trixie"; exit 1; }
    dpkg-deb --fsys-tarfile "$deb" | tar -x -O ./usr/bin/qemu-i386 >"$wine_dir/qemu-i386.new"
    chmod 755 "$wine_dir/qemu-i386.new"
    mv "$wine_dir/qemu-i386.new" "$wine_dir/qemu-i386"
    rm -rf "$dir/debs" "$dir/cache"
    log "$("$wine_dir/qemu-i386" --version | head -n1)"
}

# The signal shim preloaded into 32-bit processes under qemu (tools/wine-qemu/sigfix.c).
build_sigfix() {
    local src="$here/tools/wine-qemu/sigfix.c"
    [ "$wine_dir/sigfix.so" -nt "$src" ] && return
    gcc -m32 -O2 -ffreestanding -fno-stack-protector -fPIC -nostdlib -shared -Wall -Wextra \
        -Werror -o "$wine_dir/sigfix.so" "$src"
}

prepare_wine() {
    local mechanism prefix
    mechanism=$(cat "$wine_dir/mechanism")
    prefix="$wine_dir/prefix-$mechanism"
    if [ ! -f "$prefix/system.reg" ] || [ ! -d "$prefix/drive_c/windows/syswow64" ]; then
        rm -rf "$prefix"
        log "creating the Wine prefix for the $mechanism mechanism (both Wines installed)"
        run_windows wineboot -i >/dev/null 2>&1 || true
        WINEPREFIX="$prefix" /usr/lib/wine/wineserver -w
    fi
    [ -d "$prefix/drive_c/windows/syswow64" ] ||
        { log "FATAL: the Wine prefix has no 32-bit half (syswow64): 32-bit programs cannot run"; exit 1; }
}

# Runs a 32-bit and a 64-bit program, and a 32-bit access violation caught by the program's
# own filter: a mechanism that delivers faults wrongly fails here, not in the crash tests.
prove_wine() {
    local tmp mechanism; tmp=$(mktemp -d); mechanism=$(cat "$wine_dir/mechanism")
    printf '%s\n' '#include <windows.h>' '#include <stdio.h>' \
        'static LONG WINAPI caught(EXCEPTION_POINTERS *e)' \
        '{ printf("caught %08lx\n", (unsigned long)e->ExceptionRecord->ExceptionCode);' \
        '  fflush(stdout); ExitProcess(0); }' \
        'int main(int argc, char **argv)' \
        '{ (void)argv; printf("%d-bit ok\n", (int)(sizeof(void *) * 8)); fflush(stdout);' \
        '  if (argc > 1) { SetUnhandledExceptionFilter(caught); *(volatile int *)16 = 1; }' \
        '  return 0; }' >"$tmp/p.c"
    i686-w64-mingw32-gcc -O1 -o "$tmp/p32.exe" "$tmp/p.c"
    x86_64-w64-mingw32-gcc -O1 -o "$tmp/p64.exe" "$tmp/p.c"
    local a b c
    a=$(run_windows "$tmp/p32.exe" | tr -d '\r')
    b=$(run_windows "$tmp/p64.exe" | tr -d '\r')
    c=$(run_windows "$tmp/p32.exe" fault 2>/dev/null | tr -d '\r' | tail -n1)
    rm -rf "$tmp"
    [ "$a" = "32-bit ok" ] || { log "FATAL: a 32-bit Windows program did not run ($mechanism; got '$a')"; exit 1; }
    [ "$b" = "64-bit ok" ] || { log "FATAL: a 64-bit Windows program did not run ($mechanism; got '$b')"; exit 1; }
    [ "$c" = "caught c0000005" ] ||
        { log "FATAL: a 32-bit access violation did not arrive as one ($mechanism; got '$c')"; exit 1; }
    log "Wine runs 32-bit and 64-bit programs; mechanism: $mechanism"
}

# Wine maps every reservation and every change of protection inside one as a Linux mapping,
# and Linux allows 65,530 per process by default: about 16,000 keys holding a block. Windows has
# no such limit; test_capacity keeps 100,000 keys live on x86_64, so the limit is raised (it
# is the kernel's, for every process: a larger limit only lets a process map more).
MAP_LIMIT=1048576
raise_map_limit() {
    local now; now=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
    if [ "$now" -ge "$MAP_LIMIT" ]; then return 0; fi
    if echo "$MAP_LIMIT" >/proc/sys/vm/max_map_count 2>/dev/null; then
        log "vm.max_map_count raised from $now to $MAP_LIMIT (Wine: a mapping per reservation)"
    else
        log "WARNING: cannot raise vm.max_map_count ($now) to $MAP_LIMIT: test_capacity will fail on x86_64"
    fi
}

raise_map_limit
install_packages
build_cmocka i686
build_cmocka x86_64
build_mimalloc i686
build_mimalloc x86_64
choose_mechanism
if [ "$(cat "$wine_dir/mechanism")" = qemu ]; then
    fetch_qemu
    build_sigfix
fi
prepare_wine
prove_wine
log "done in ${SECONDS} s"
