#!/usr/bin/env bash
# make_captures.sh OUT - the capture files the capture tests read, made by Wireshark's own
# tools (text2pcap, mergecap, editcap), and what tshark, the oracle, sees in each.
#
# Traffic: the hand-made frames of frames.txt (one per protocol case), and a few thousand
# frames of generated conversations - HTTP over TCP, DNS over UDP, IPv6 TCP - to which
# text2pcap adds its own Ethernet, IP and TCP/UDP headers. Formats, all of the same frames
# where the format can hold them:
#   all.pcap        libpcap, microseconds, little-endian       (text2pcap, mergecap)
#   all_ns.pcap     libpcap, nanoseconds                       (editcap -F nsecpcap)
#   all_be.pcap     libpcap, big-endian: all.pcap with every header field byte-swapped
#                   by this script (no tool here writes one), checked by tshark like the rest
#   all.pcapng      pcapng                                     (editcap -F pcapng)
#   all.cap         Network Monitor 2.0                        (editcap -F netmon2)
#   all_v1.cap      Network Monitor 1.1, millisecond times     (editcap -F netmon1)
#   links.pcapng    three interfaces: Ethernet, raw IP, Linux cooked (mergecap), and a
#                   capture comment (editcap --capture-comment)
#   wireless.pcapng three interfaces: 802.11, 802.11 behind radiotap, Linux cooked v2, from
#                   the hex dumps wlan.txt, radiotap.txt, sll2.txt (netmon2 cannot hold them)
#   loopback.pcapng real traffic captured on lo by dumpcap while loopback_traffic.pl runs
#                   (HTTP on 127.0.0.1 and ::1, DNS, ICMP errors; nanosecond times, the
#                   blocks dumpcap writes), and the same frames as loopback.pcap (editcap
#                   -F pcap) and loopback.cap (editcap -F netmon2)
# For each file F: F.fields (tshark -T fields, one line per frame); for all.pcap,
# links.pcapng, wireless.pcapng and loopback.pcapng, for each display filter of filters.tsv,
# F.<name>.frames (the frame numbers tshark's filter selects). tshark looks at each frame on
# its own, as the runtime's recogniser does: no TCP reassembly (a segment's protocols are its
# own).
# Every time is UTC (TZ=UTC): Network Monitor headers hold a local time.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
export TZ=UTC
for tool in text2pcap mergecap editcap tshark dumpcap perl flock; do
    command -v "$tool" >/dev/null || { echo "make_captures: $tool not found (scripts/setup.sh installs tshark)" >&2; exit 1; }
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

hex() { printf '%s' "$1" | od -An -v -tx1 | tr -s ' \n' ' '; }
# packet TIME TEXT: a text2pcap packet of TEXT's bytes at TIME.
packet() {
    printf '%s\n' "$1"
    hex "$2" | awk '{ for (i = 1; i <= NF; i++) { if ((i - 1) % 16 == 0) printf "%s%04x ", (i > 1 ? "\n" : ""), i - 1; printf " %s", $i } print "" }'
}
t2p() { text2pcap -q -t '%H:%M:%S.%f' "$@"; }

t2p -F pcap "$here/frames.txt" "$work/frames.pcap"
parts=("$work/frames.pcap")
# HTTP conversations: requests from clients, answers from servers, interleaved in time.
for c in $(seq 1 40); do
    client=10.1.$((c % 5)).$c server=10.2.0.$((c % 7 + 1)) port=$((40000 + c))
    : >"$work/req$c.txt"; : >"$work/rsp$c.txt"
    for r in $(seq 1 25); do
        s=$(printf '%02d' $((c % 60))) us=$(printf '%06d' $((r * 20000)))
        packet "11:$s:$(printf '%02d' $((r % 60))).$us" "GET /item/$c/$r HTTP/1.1
Host: $server

" >>"$work/req$c.txt"
        us=$(printf '%06d' $((r * 20000 + 5000)))
        packet "11:$s:$(printf '%02d' $((r % 60))).$us" "HTTP/1.1 200 OK
Content-Length: 2

ok" >>"$work/rsp$c.txt"
    done
    t2p -F pcap -e 0x800 -4 "$client,$server" -T "$port,80" "$work/req$c.txt" "$work/q$c.pcap"
    t2p -F pcap -e 0x800 -4 "$server,$client" -T "80,$port" "$work/rsp$c.txt" "$work/a$c.pcap"
    parts+=("$work/q$c.pcap" "$work/a$c.pcap")
done
# DNS over UDP and TCP over IPv6.
for c in $(seq 1 10); do
    : >"$work/dns$c.txt"; : >"$work/v6$c.txt"
    for r in $(seq 1 20); do
        packet "12:00:$(printf '%02d' $r).$(printf '%06d' $((c * 1000)))" "$(printf 'q%02dname%02d' $c $r)" >>"$work/dns$c.txt"
        packet "12:01:$(printf '%02d' $r).$(printf '%06d' $((c * 1000)))" "data $c $r" >>"$work/v6$c.txt"
    done
    t2p -F pcap -e 0x800 -4 "10.3.0.$c,10.3.1.1" -u "$((5000 + c)),53" "$work/dns$c.txt" "$work/d$c.pcap"
    t2p -F pcap -e 0x86dd -6 "2001:db8::$c,2001:db8:1::1" -T "$((33000 + c)),8000" "$work/v6$c.txt" "$work/v$c.pcap"
    parts+=("$work/d$c.pcap" "$work/v$c.pcap")
done
mergecap -F pcap -w "$out/all.pcap" "${parts[@]}"
editcap -F nsecpcap "$out/all.pcap" "$out/all_ns.pcap"
editcap -F pcapng "$out/all.pcap" "$out/all.pcapng"
editcap -F netmon2 "$out/all.pcap" "$out/all.cap"
editcap -F netmon1 "$out/all.pcap" "$out/all_v1.cap"

# all_be.pcap: the same file written the other way round (header fields swapped, data not).
perl -e '
    local $/; open my $in, "<:raw", $ARGV[0] or die; my $d = <$in>;
    my @h = unpack "VvvVVVV", substr($d, 0, 24);
    my $o = pack "NnnNNNN", @h; my $at = 24;
    while ($at + 16 <= length $d) {
        my @r = unpack "VVVV", substr($d, $at, 16);
        $o .= pack("NNNN", @r) . substr($d, $at + 16, $r[2]); $at += 16 + $r[2];
    }
    open my $w, ">:raw", $ARGV[1] or die; print $w $o;' "$out/all.pcap" "$out/all_be.pcap"

# links.pcapng: interfaces of three link types in one file.
t2p -F pcap -l 101 -i 17 -4 10.9.0.1,10.9.0.2 -u 7000,53 "$work/dns1.txt" "$work/raw.pcap"
t2p -F pcap -l 113 "$here/sll.txt" "$work/sll.pcap"
mergecap -F pcapng -w "$work/links.pcapng" "$work/frames.pcap" "$work/raw.pcap" "$work/sll.pcap"
editcap --capture-comment "three link types, one file" "$work/links.pcapng" "$out/links.pcapng"

# wireless.pcapng: 802.11 (105), radiotap (127) and SLL2 (276) interfaces.
t2p -F pcap -l 105 "$here/wlan.txt" "$work/wlan.pcap"
t2p -F pcap -l 127 "$here/radiotap.txt" "$work/radiotap.pcap"
t2p -F pcap -l 276 "$here/sll2.txt" "$work/sll2.pcap"
mergecap -F pcapng -w "$out/wireless.pcapng" "$work/wlan.pcap" "$work/radiotap.pcap" "$work/sll2.pcap"

# loopback.*: dumpcap on lo, bounded (the traffic ends by itself, dumpcap is stopped after it),
# one capture at a time on this machine (the servers' ports are fixed: 8080, 53).
exec 9>"${TMPDIR:-/tmp}/nmapi-loopback-capture.lock"
flock -w 600 9
dumpcap -i lo -f 'tcp port 8080 or udp port 53 or udp port 9 or icmp or icmp6' \
        -a duration:60 -w "$work/loopback.pcapng" 2>"$work/dumpcap.log" &
dumpcap_pid=$!
for _ in $(seq 100); do grep -q 'Capturing on' "$work/dumpcap.log" && break; sleep 0.1; done
grep -q 'Capturing on' "$work/dumpcap.log" ||
    { cat "$work/dumpcap.log" >&2; echo "make_captures: dumpcap cannot capture on lo" >&2; exit 1; }
perl "$here/loopback_traffic.pl" || { kill "$dumpcap_pid"; exit 1; }
sleep 0.5
kill -INT "$dumpcap_pid"
wait "$dumpcap_pid" || { cat "$work/dumpcap.log" >&2; echo "make_captures: dumpcap failed" >&2; exit 1; }
exec 9>&-
cp "$work/loopback.pcapng" "$out/loopback.pcapng"
editcap -F pcap "$out/loopback.pcapng" "$out/loopback.pcap"
editcap -F netmon2 "$out/loopback.pcapng" "$out/loopback.cap"

tshark() { command tshark -o tcp.desegment_tcp_streams:FALSE "$@"; }
fields=(frame.number frame.time_epoch frame.len frame.cap_len frame.protocols eth.src eth.dst
        ip.src ip.dst ipv6.src ipv6.dst tcp.srcport tcp.dstport udp.srcport udp.dstport tcp.len
        wlan.sa wlan.da sll.src.eth)
args=(); for f in "${fields[@]}"; do args+=(-e "$f"); done
for f in "$out"/all.pcap "$out"/all_ns.pcap "$out"/all_be.pcap "$out"/all.pcapng "$out"/all.cap \
         "$out"/all_v1.cap "$out"/links.pcapng "$out"/wireless.pcapng "$out"/loopback.pcapng \
         "$out"/loopback.pcap "$out"/loopback.cap; do
    tshark -n -r "$f" -T fields -E separator=/t -E occurrence=f "${args[@]}" >"$f.fields"
done
# The filters select by content, the same frames whatever the container: all.pcap's lists
# serve every all.* file.
for f in "$out"/all.pcap "$out"/links.pcapng "$out"/wireless.pcapng "$out"/loopback.pcapng; do
    while IFS=$'\t' read -r name filter; do
        case $name in ''|\#*) continue ;; esac
        tshark -n -r "$f" -Y "$filter" -T fields -e frame.number >"$f.$name.frames"
    done <"$here/filters.tsv"
done
echo "make_captures: $(wc -l <"$out/all.pcap.fields") frames in each of all.*," \
     "$(wc -l <"$out/loopback.pcapng.fields") in each of loopback.*; files in $out"
