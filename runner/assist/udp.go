package assist

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"
)

// maxDatagram is the largest UDP payload.
const maxDatagram = 64 << 10

// connectUDP sends each typed line as a datagram to the server and shows
// every datagram that comes back, until the input ends (and Linger has
// passed) or ctx is done.
func (a *assistant) connectUDP(ctx context.Context) error {
	c, err := net.Dial("udp", a.o.Addr)
	if err != nil {
		return fmt.Errorf("cannot open a UDP socket: %w", err)
	}
	who := c.RemoteAddr().String()
	a.pr.note("", "sending to %s from %s: each line is one datagram", who, c.LocalAddr())
	return a.converse(ctx, conversation{
		conn: c,
		read: func() {
			buf := make([]byte, maxDatagram)
			for {
				n, err := c.Read(buf)
				switch {
				case err == nil:
					a.pr.datagram(who, buf[:n])
				case errors.Is(err, syscall.ECONNREFUSED):
					a.pr.note(who, "nothing is listening there: the kernel answered \"port unreachable\" to the last datagram")
				case errors.Is(err, net.ErrClosed):
					return
				default:
					a.pr.note(who, "read: %v", err)
					return
				}
			}
		},
		send: func(data []byte) bool {
			c.SetWriteDeadline(time.Now().Add(writeTimeout))
			if _, err := c.Write(data); err != nil {
				a.pr.note(who, "could not send: %v", err)
			}
			return true
		},
		endInput: func() {
			a.pr.note("", "end of input: waiting %v for the last replies", a.o.Linger)
		},
		lingered: func() {},
	})
}

// listenUDP shows every datagram that arrives, naming each sender, and
// sends each typed line to the last sender or to the one named, until ctx
// is done.
func (a *assistant) listenUDP(ctx context.Context) error {
	pc, err := net.ListenPacket("udp", a.o.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen: %w", err)
	}
	a.pr.println("listening on udp " + pc.LocalAddr().String())
	var (
		mu     sync.Mutex
		names  = map[string]string{} // address -> name
		byName = map[string]net.Addr{}
		last   net.Addr
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, maxDatagram)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					a.pr.note("", "read: %v", err)
				}
				return
			}
			mu.Lock()
			key := addr.String()
			nm, ok := names[key]
			if !ok && len(names) < MaxClients {
				nm = name(len(names))
				names[key], byName[nm] = nm, addr
			}
			last = addr
			mu.Unlock()
			who := key
			if nm != "" {
				who = nm + " " + key
			}
			a.pr.datagram(who, buf[:n])
		}
	}()
	defer func() {
		pc.Close()
		<-done
	}()
	a.listenForInput(ctx, func(m message) {
		mu.Lock()
		to := last
		if m.to != "" {
			to = byName[m.to]
		}
		mu.Unlock()
		switch {
		case to == nil && m.to != "":
			a.pr.note("", "not sent: no sender is called %s", m.to)
			return
		case to == nil:
			a.pr.note("", "not sent: nobody has sent a datagram yet. UDP has no connections: the assistant can only answer an address it has heard from")
			return
		}
		pc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := pc.WriteTo(m.data, to); err != nil {
			a.pr.note(to.String(), "could not send: %v", err)
		}
	})
	return nil
}
