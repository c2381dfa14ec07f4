#!/usr/bin/perl
# loopback_traffic.pl - real traffic on the loopback interface for make_captures.sh to capture
# with dumpcap: HTTP/1.1 on 127.0.0.1:8080 (and [::1]:8080 where the machine has IPv6 on lo),
# several connections of several requests each, one answer of 200,000 bytes (several TCP
# segments); DNS queries and answers on 127.0.0.1:53; two datagrams to the closed port 9,
# which the kernel answers with ICMP "port unreachable". Everything is bounded: each socket
# times out after 10 s, the servers are killed at the end. Perl's own modules only.
use strict;
use warnings;
use IO::Socket::IP;
use POSIX ();

my $TIMEOUT = 10;

sub http_server {
    my ($host) = @_;
    my $listen = IO::Socket::IP->new(LocalHost => $host, LocalPort => 8080, Listen => 16,
                                     ReuseAddr => 1, Proto => 'tcp')
        or return undef;
    my $pid = fork // die "loopback_traffic: fork: $!\n";
    return $pid if $pid;
    local $SIG{ALRM} = sub { POSIX::_exit(0) };
    alarm 60;
    while (my $c = $listen->accept) {
        my $buffer = '';
        while (1) {
            my $end = index $buffer, "\r\n\r\n";
            if ($end < 0) {
                my $n = sysread $c, $buffer, 65536, length $buffer;
                last unless $n;
                next;
            }
            my ($path) = $buffer =~ m{^GET (\S+)};
            $buffer = substr $buffer, $end + 4;
            my $body = ($path // '') eq '/big' ? 'x' x 200_000 : "item $path\n";
            my $answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                       . "Content-Length: " . length($body) . "\r\n\r\n" . $body;
            while (length $answer) {
                my $n = syswrite $c, $answer or last;
                substr $answer, 0, $n, '';
            }
        }
        close $c;
    }
    POSIX::_exit(0);
}

sub dns_server {
    my $socket = IO::Socket::IP->new(LocalHost => '127.0.0.1', LocalPort => 53, Proto => 'udp')
        or die "loopback_traffic: cannot bind 127.0.0.1:53/udp: $@\n";
    my $pid = fork // die "loopback_traffic: fork: $!\n";
    return $pid if $pid;
    local $SIG{ALRM} = sub { POSIX::_exit(0) };
    alarm 60;
    while (defined $socket->recv(my $query, 512)) {
        next if length $query < 17;
        my $question = substr $query, 12;
        # The answer: the query's id, "response, recursion available", one question, one A.
        my $answer = substr($query, 0, 2) . pack('nnnnn', 0x8180, 1, 1, 0, 0) . $question
                   . pack('nnnNn', 0xC00C, 1, 1, 300, 4) . pack('C4', 192, 0, 2, 7);
        $socket->send($answer);
    }
    POSIX::_exit(0);
}

sub http_client {
    my ($host, $requests, @paths) = @_;
    my $c = IO::Socket::IP->new(PeerHost => $host, PeerPort => 8080, Proto => 'tcp',
                                Timeout => $TIMEOUT)
        or die "loopback_traffic: connecting to $host:8080: $@\n";
    for my $path (@paths) {
        print $c "GET $path HTTP/1.1\r\nHost: localhost\r\n\r\n";
        $c->flush;
        my $buffer = '';
        local $SIG{ALRM} = sub { die "loopback_traffic: no answer for $path\n" };
        alarm $TIMEOUT;
        while (1) {
            my $end = index $buffer, "\r\n\r\n";
            if ($end >= 0 && $buffer =~ /Content-Length: (\d+)/ && length($buffer) >= $end + 4 + $1) {
                last;
            }
            sysread $c, $buffer, 65536, length $buffer or die "loopback_traffic: $host closed\n";
        }
        alarm 0;
        $$requests++;
    }
    close $c;
}

sub dns_query {
    my ($id, $name) = @_;
    my $c = IO::Socket::IP->new(PeerHost => '127.0.0.1', PeerPort => 53, Proto => 'udp')
        or die "loopback_traffic: $@\n";
    my $qname = join('', map { chr(length) . $_ } split /\./, $name) . "\0";
    $c->send(pack('nnnnnn', $id, 0x0100, 1, 0, 0, 0) . $qname . pack('nn', 1, 1));
    local $SIG{ALRM} = sub { die "loopback_traffic: no DNS answer for $name\n" };
    alarm $TIMEOUT;
    defined $c->recv(my $answer, 512) or die "loopback_traffic: DNS: $!\n";
    alarm 0;
}

my @servers = (http_server('127.0.0.1') // die "loopback_traffic: cannot listen on 127.0.0.1:8080: $@\n");
my $v6 = http_server('::1');
push @servers, $v6 if $v6;
push @servers, dns_server();

my $requests = 0;
for my $c (1 .. 8) {
    http_client('127.0.0.1', \$requests, map { "/item/$c/$_" } 1 .. 3);
    dns_query(0x4e00 + $c, "host$c.example.test");
}
http_client('127.0.0.1', \$requests, '/big', '/after-big');
if ($v6) {
    http_client('::1', \$requests, map { "/v6/$_" } 1 .. 4) for 1 .. 3;
}
for (1 .. 2) {
    my $u = IO::Socket::IP->new(PeerHost => '127.0.0.1', PeerPort => 9, Proto => 'udp') or die;
    $u->send('nobody listens');
    select undef, undef, undef, 0.05;
}
kill 'TERM', @servers;
waitpid $_, 0 for @servers;
printf "loopback_traffic: %d HTTP exchanges (%s), 8 DNS queries, 2 datagrams to a closed port\n",
    $requests, $v6 ? 'IPv4 and IPv6' : 'IPv4 only: no ::1 on this machine';
