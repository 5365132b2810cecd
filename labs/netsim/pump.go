package netsim

import (
	"errors"
	"math/rand/v2"
	"net"
	"slices"
	"sync"
	"time"
)

// chunk is what one read returned, or, with err set, how the stream ended.
type chunk struct {
	data []byte
	due  time.Time
	err  error
}

// stream is one direction of one connection.
type stream struct {
	rng       *rand.Rand
	lastDue   time.Time // the reader's: delays never let bytes overtake
	lastWrite time.Time // the writer's: fragments keep their gap across chunks
}

// queueLen bounds the chunks read but not yet written in one direction;
// when the receiver is slow the reader stops reading, and the sender feels
// TCP's usual back-pressure.
const queueLen = 16

// pump copies one direction of pr, from a reader goroutine through a
// bounded queue to the writer that runs here, until the stream ends or the
// pair is aborted.
func (p *TCPProxy) pump(pr *pair, dir Direction, name string, st *stream) {
	src, dst := pr.conns[1-dir], pr.conns[dir]
	ch := make(chan chunk, queueLen)
	var wg sync.WaitGroup
	wg.Go(func() { p.read(pr, dir, name, src, st, ch) })
	p.write(pr, dir, name, dst, st, ch)
	wg.Wait()
}

func (p *TCPProxy) read(pr *pair, dir Direction, name string, src *net.TCPConn, st *stream, ch chan<- chunk) {
	buf := make([]byte, 32*1024)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.countDir(dir, func(s *StreamStats) { s.Reads++ })
			p.rec.emit(Event{Conn: name, Dir: dir, Kind: Received, Size: n})
			c := chunk{data: slices.Clone(buf[:n]), due: st.due(&p.o)}
			select {
			case ch <- c:
			case <-pr.aborted:
				return
			}
		}
		if err != nil {
			select {
			case ch <- chunk{err: err}:
			case <-pr.aborted:
			}
			return
		}
	}
}

// due returns when bytes read now may be written: after Delay±Jitter, and
// not before bytes read earlier.
func (st *stream) due(o *TCPOptions) time.Time {
	d := o.Delay
	if o.Jitter > 0 {
		d += time.Duration((2*st.rng.Float64() - 1) * float64(o.Jitter))
	}
	st.lastDue = later(time.Now().Add(max(d, 0)), st.lastDue)
	return st.lastDue
}

func (p *TCPProxy) write(pr *pair, dir Direction, name string, dst *net.TCPConn, st *stream, ch <-chan chunk) {
	var held []byte // what Coalesce keeps until a gap or enough
	idle := time.NewTimer(time.Hour)
	idle.Stop()
	defer idle.Stop()
	for {
		var idleC <-chan time.Time
		if len(held) > 0 {
			idleC = idle.C
		}
		select {
		case <-pr.aborted:
			return
		case <-idleC:
			if !p.out(pr, dir, name, dst, st, held) {
				return
			}
			held = nil
		case c := <-ch:
			if c.err != nil {
				p.finish(pr, dir, name, dst, st, held, c.err)
				return
			}
			if wait := time.Until(c.due); wait > 0 && !sleep(pr.aborted, wait) {
				return
			}
			if !p.o.Coalesce {
				if !p.out(pr, dir, name, dst, st, c.data) {
					return
				}
				continue
			}
			held = append(held, c.data...)
			if len(held) < p.o.CoalesceSize {
				idle.Reset(p.o.CoalesceGap)
				continue
			}
			idle.Stop()
			if !p.out(pr, dir, name, dst, st, held) {
				return
			}
			held = nil
		}
	}
}

// finish passes the end of the stream on: end of file as a half-close, so
// the receiver can still answer, and anything else by closing both sides.
func (p *TCPProxy) finish(pr *pair, dir Direction, name string, dst *net.TCPConn, st *stream, held []byte, err error) {
	if len(held) > 0 && !p.out(pr, dir, name, dst, st, held) {
		return
	}
	if isEOF(err) {
		if err := dst.CloseWrite(); err != nil {
			pr.abort(true)
			return
		}
		p.rec.emit(Event{Conn: name, Dir: dir, Kind: HalfClosed})
		return
	}
	if !errors.Is(err, net.ErrClosed) {
		p.rec.emit(Event{Conn: name, Dir: dir, Kind: Failed, Err: err})
	}
	pr.abort(isReset(err))
}

// out writes data to dst, in pieces of at most Fragment bytes with
// FragmentGap between any two writes when fragmenting. It reports false
// when the pair is finished.
func (p *TCPProxy) out(pr *pair, dir Direction, name string, dst *net.TCPConn, st *stream, data []byte) bool {
	size := len(data)
	if p.o.Fragment > 0 {
		size = p.o.Fragment
	}
	for len(data) > 0 {
		if p.o.Fragment > 0 && !st.lastWrite.IsZero() {
			if wait := p.o.FragmentGap - time.Since(st.lastWrite); wait > 0 && !sleep(pr.aborted, wait) {
				return false
			}
		}
		piece := data[:min(size, len(data))]
		_, err := dst.Write(piece)
		st.lastWrite = time.Now()
		if err != nil {
			// The receiver is gone: reset the sender, so its peer knows.
			if !errors.Is(err, net.ErrClosed) {
				p.rec.emit(Event{Conn: name, Dir: dir, Kind: Failed, Err: err})
			}
			pr.abort(true)
			return false
		}
		p.countDir(dir, func(s *StreamStats) { s.Writes++; s.Bytes += uint64(len(piece)) })
		p.rec.emit(Event{Conn: name, Dir: dir, Kind: Sent, Size: len(piece)})
		data = data[len(piece):]
	}
	return true
}
