package nettest

import (
	"net"
	"sync"
	"testing"
	"time"
)

// HandleLimit bounds how long a handler started by Handle may use its
// connection: past it, reads and writes fail, so a handler the test forgot
// about cannot hang the test's clean-up.
const HandleLimit = 10 * time.Second

// Handle stands up a fake TCP peer for a test: it listens on a fresh
// loopback port and runs handle for each connection in a goroutine of its
// own, closing the connection when handle returns. When the test ends, the
// listener and every connection are closed and Handle waits for every
// handler to return. It returns the address to dial.
func Handle(t testing.TB, handle func(c net.Conn)) string {
	t.Helper()
	ln := Listen(t)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(HandleLimit))
				handle(c)
			})
		}
	})
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// Answer stands up a fake UDP peer for a test: it answers each datagram
// that arrives on a fresh loopback socket with reply(datagram), sent back
// to the datagram's sender; a nil reply sends nothing. When the test ends
// the socket is closed and Answer waits for its goroutine. It returns the
// address to send to.
func Answer(t testing.TB, reply func(datagram []byte) []byte) string {
	t.Helper()
	pc := ListenPacket(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64*1024) // the largest UDP payload fits
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if out := reply(buf[:n]); out != nil {
				pc.WriteTo(out, from)
			}
		}
	}()
	t.Cleanup(func() {
		pc.Close()
		<-done
	})
	return pc.LocalAddr().String()
}
