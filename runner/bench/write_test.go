package bench

import (
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"
)

// BenchmarkLoopbackWrite measures what one write over loopback TCP costs
// this process, writer and reader together, in CPU time: the figure
// behind lab 10's brief, where nearly all of a chat room's CPU goes to its
// writes. Two sizes: about what lab 10's reference writes per listener
// when paced (400 bytes) and when flooded (5,000). Two ways to run:
//
//   - wake: the reader waits in Read for each write, so that each write
//     wakes a goroutine the scheduler may have to bring back on the other
//     core, as netbook bench's listeners are woken by a server's writes;
//   - onecore: GOMAXPROCS 1, so that writer and reader take turns on one
//     thread and no write has anyone to wake.
//
// The gap between them is what waking a reader on another core costs on
// this machine: on the book's two-core virtual machine it was most of a
// write's cost. Run it with
//
//	go test -run - -bench LoopbackWrite ./runner/bench
func BenchmarkLoopbackWrite(b *testing.B) {
	if selfCPU() == 0 {
		b.Skip("this system does not report the process's CPU time")
	}
	for _, size := range []int{400, 5000} {
		for _, mode := range []string{"wake", "onecore"} {
			b.Run(fmt.Sprintf("bytes=%d/%s", size, mode), func(b *testing.B) {
				if mode == "onecore" {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
				}
				benchmarkWrites(b, size)
			})
		}
	}
}

// benchmarkWrites writes b.N messages of size bytes over a loopback
// connection whose other end reads them as they come, and reports the
// process's CPU time per write.
func benchmarkWrites(b *testing.B, size int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	w, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	r, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	deadline := time.Now().Add(time.Minute)
	w.SetDeadline(deadline)
	r.SetDeadline(deadline)

	read := make(chan error, 1)
	go func() {
		_, err := io.CopyN(io.Discard, r, int64(size)*int64(b.N))
		read <- err
	}()
	msg := make([]byte, size)
	cpu := selfCPU()
	b.ResetTimer()
	for range b.N {
		if _, err := w.Write(msg); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-read; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(selfCPU()-cpu)/float64(b.N), "cpu-ns/write")
}
