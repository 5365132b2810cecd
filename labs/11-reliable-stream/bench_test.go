package rstream

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/netsim"
)

// benchChunk is what one iteration of a throughput benchmark writes.
const benchChunk = 64 * 1024

// BenchmarkThroughput measures how fast your transport moves a stream over
// UDP on loopback: straight (clean), and through netsim's proxy losing 1%
// and 10% of the datagrams each way. Each result has a tcp-ratio: its
// throughput divided by that of a plain TCP connection on loopback,
// measured at the start of the same run (the tcp line). Run it with
//
//	go test -run '^$' -bench Throughput ./labs/11-reliable-stream
//
// and look at the ratios, not the numbers, which depend on the machine (and
// on what else it is doing: the tcp line's own ratio shows how far apart two
// measurements of the same thing fall).
// Loss costs far more than the lost datagrams: each one stalls the stream
// for a retransmission timeout.
func BenchmarkThroughput(b *testing.B) {
	tcp := 0.0
	for range 3 { // the best of three: a busy machine only ever slows it down
		tcp = max(tcp, tcpRate(b, 32<<20))
	}
	b.Run("tcp", func(b *testing.B) { benchTCP(b, tcp) })
	for _, c := range []struct {
		name string
		drop float64
	}{{"clean", 0}, {"loss-1%", 0.01}, {"loss-10%", 0.10}} {
		b.Run(c.name, func(b *testing.B) { benchStream(b, c.drop, tcp) })
	}
}

// tcpRate returns the bytes per second that one TCP connection on
// loopback carries, moving size bytes.
func tcpRate(b *testing.B, size int) float64 {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		_, err = io.CopyN(io.Discard, c, int64(size))
		done <- err
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	chunk := make([]byte, benchChunk)
	start := time.Now()
	for sent := 0; sent < size; sent += len(chunk) {
		if _, err := c.Write(chunk); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	return float64(size) / time.Since(start).Seconds()
}

// benchTCP measures TCP's throughput on the same footing as the others.
func benchTCP(b *testing.B, tcp float64) {
	b.SetBytes(benchChunk)
	b.ReportMetric(tcpRate(b, b.N*benchChunk)/tcp, "tcp-ratio")
}

// benchStream moves b.N chunks over one connection of the transport,
// through a proxy that drops that fraction of datagrams (none: no proxy),
// and reports the throughput as a fraction of tcp's.
func benchStream(b *testing.B, drop float64, tcp float64) {
	cfg := Config{TimeWait: 50 * time.Millisecond}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	l := Listen(pc, cfg)
	defer l.Close()
	target := l.Addr().String()
	if drop > 0 {
		p, err := netsim.ListenUDP(target, netsim.UDPOptions{Drop: drop, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		target = p.Addr()
	}
	to, err := net.ResolveUDPAddr("udp", target)
	if err != nil {
		b.Fatal(err)
	}
	cpc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	size := int64(b.N) * benchChunk
	received := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			received <- err
			return
		}
		defer c.Close()
		_, err = io.CopyN(io.Discard, c, size)
		received <- err
	}()
	c, err := Dial(UDPLink(cpc, to), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()

	chunk := make([]byte, benchChunk)
	b.SetBytes(benchChunk)
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(chunk); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-received; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	rate := float64(size) / b.Elapsed().Seconds()
	b.ReportMetric(rate/tcp, "tcp-ratio")
}
