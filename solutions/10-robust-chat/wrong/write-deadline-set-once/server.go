package chat

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/labs/chatproto"
)

// Server is a chat room that survives its clients. Set the fields before
// calling Serve; a zero field takes its default.
type Server struct {
	// IdleTimeout disconnects a client that sends no complete message for
	// this long (DefaultIdleTimeout if zero). A ping counts as a message.
	IdleTimeout time.Duration
	// WriteTimeout disconnects a client when one write to it takes longer
	// (DefaultWriteTimeout if zero).
	WriteTimeout time.Duration
	// MaxLine is the longest message, in bytes, without its newline
	// (DefaultMaxLine if zero). A client that sends a longer one gets an
	// error message and is disconnected. The server sends no longer line
	// either: a broadcast whose relayed line would be longer is refused.
	// Keep it at 1000 or more: the server's own lines (an error that
	// quotes a long message type, an announcement of a 64-byte nickname)
	// take up to about 800 bytes, and they must fit too.
	MaxLine int
	// QueueLen is how many messages may wait to be written to one client
	// (DefaultQueueLen if zero). A client whose queue is full is
	// disconnected: the room never waits for one client.
	QueueLen int
	// Logger receives a record for each client that connects, logs in,
	// leaves or is disconnected (nil: nothing is logged).
	Logger *slog.Logger

	mu       sync.Mutex
	ln       net.Listener
	nextID   int
	clients  map[*client]bool // every connection not yet hung up
	members  []*client        // logged in, in the order they logged in
	shutting bool             // Shutdown has begun, or Serve's listener was closed
	wg       sync.WaitGroup   // every reader, and every writer while it runs
}

// client is one connection. Its reader goroutine reads and acts on what
// the client sends. Its writer goroutine, started when there is something
// to send and gone when there is nothing left, is the only one that writes
// to conn. Everyone else just puts lines in the outbox.
type client struct {
	conn     net.Conn
	addr     string
	out      outbox
	kicked   bool // disconnected for being too slow (guarded by Server.mu)
	id       int  // 0 until login (guarded by Server.mu)
	nickname string
}

// outbox is a client's queue: the encoded lines waiting for its writer.
// Putting never waits; the writer takes every line at once.
//
// It is a slice behind a lock of its own rather than a buffered channel,
// for the sake of idle clients: a channel of QueueLen lines holds 6 KB for
// each client whether anything waits in it or not, and needs a goroutine
// waiting on it for ever, where an idle client's outbox holds nothing and
// has no writer. Its lock is its own so that a writer taking its lines
// never waits for the room's lock.
type outbox struct {
	mu      sync.Mutex
	lines   [][]byte
	writing bool // a writer is running, and will take what is put
	closed  bool // nothing more will come: the last writer hangs up
}

// put adds line, unless the outbox already holds limit lines: then ok is
// false, since the client is not keeping up. A closed outbox takes nothing
// more. start tells the caller to start a writer, because none is running.
func (o *outbox) put(line []byte, limit int) (ok, start bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return true, false
	}
	if len(o.lines) >= limit {
		return false, false
	}
	if o.lines == nil {
		o.lines = (*queues.Get().(*[][]byte))[:0]
	}
	o.lines = append(o.lines, line)
	return true, o.wake()
}

// close says that nothing more will come, and drops what is left unless
// flush. start tells the caller to start a writer to hang up, because none
// is running.
func (o *outbox) close(flush bool) (start bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !flush {
		o.lines = nil
	}
	if o.closed {
		return false
	}
	o.closed = true
	return o.wake()
}

// wake reports whether a writer must be started, and counts it as
// running from now. The caller holds o.mu.
func (o *outbox) wake() bool {
	start := !o.writing
	o.writing = true
	return start
}

// take takes every line, leaving spare (the emptied slice of an earlier
// take) as the new queue, so that a busy client's two slices take turns.
// When there are no lines, the writer's work is done: it must end, and
// hang up if the outbox is closed. An outbox without lines keeps no slice:
// spare goes back to queues.
func (o *outbox) take(spare [][]byte) (lines [][]byte, hangUp bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.lines) == 0 {
		recycle(spare)
		recycle(o.lines)
		o.lines = nil
		o.writing = false
		return nil, o.closed
	}
	lines, o.lines = o.lines, spare
	return lines, false
}

// Serve accepts connections on ln and serves each with a reader goroutine,
// and a writer goroutine whenever there is something to send, until ln is
// closed or Shutdown is called. When ln is closed from outside, Serve
// closes every connection at once, waits for their goroutines, and returns
// nil. After Shutdown, it returns nil at once and leaves the draining to
// Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.ln != nil {
		s.mu.Unlock()
		return errors.New("chat: Serve called twice")
	}
	s.ln = ln
	s.init()
	shutting := s.shutting
	s.mu.Unlock()
	if shutting {
		ln.Close()
		return nil
	}

	log := s.logger()
	log.Info("serving", "addr", ln.Addr().String())
	backoff := 5 * time.Millisecond
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			s.mu.Lock()
			byShutdown := s.shutting
			s.shutting = true
			s.mu.Unlock()
			if !byShutdown {
				s.closeAll()
				s.wg.Wait()
			}
			log.Info("stopped serving", "addr", ln.Addr().String())
			return nil
		}
		if err != nil {
			// Out of file descriptors, say: rest instead of spinning.
			log.Warn("accept failed", "err", err, "retry_in", backoff)
			time.Sleep(backoff)
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 5 * time.Millisecond
		s.start(conn)
	}
}

// init makes the maps. The caller holds s.mu.
func (s *Server) init() {
	if s.clients == nil {
		s.clients = map[*client]bool{}
		s.nextID = 1
	}
}

// start registers conn and starts its reader, unless the server is
// shutting down. wg.Add happens under the lock, before Shutdown can be
// waiting.
func (s *Server) start(conn net.Conn) {
	c := &client{conn: conn, addr: conn.RemoteAddr().String()}
	s.mu.Lock()
	if s.shutting {
		s.mu.Unlock()
		conn.Close()
		return
	}
	s.clients[c] = true
	c.conn.SetWriteDeadline(time.Now().Add(s.writeTimeout())) // for the whole connection
	s.wg.Add(1)
	s.mu.Unlock()
	s.logger().Info("connected", "addr", c.addr)
	go s.read(c)
}

// read serves what c sends until it stops, is too slow to talk to, sends
// too much, falls silent, or the server shuts down.
func (s *Server) read(c *client) {
	defer s.wg.Done()
	sc := bufio.NewScanner(c.conn)
	// Room for a chat message to start with; the Scanner doubles it as
	// longer ones come, up to the message and its newline.
	sc.Buffer(make([]byte, 0, min(512, s.maxLine()+1)), s.maxLine()+1)
	sc.Split(Split)
	reason := ""
	for {
		// The deadline is set under the lock, so that it cannot undo the
		// one Shutdown sets to stop this loop.
		s.mu.Lock()
		stop := s.shutting
		if !stop {
			c.conn.SetReadDeadline(time.Now().Add(s.idleTimeout()))
		}
		s.mu.Unlock()
		if stop || !sc.Scan() {
			break
		}
		if len(sc.Bytes()) > s.maxLine() { // an object that ended at its brace, no newline
			reason = ReasonTooLong
			break
		}
		s.handle(c, sc.Bytes())
	}

	s.mu.Lock()
	shutting := s.shutting
	s.mu.Unlock()
	switch err := sc.Err(); {
	case reason != "":
	case errors.Is(err, bufio.ErrTooLong):
		reason = ReasonTooLong
	case errors.Is(err, os.ErrDeadlineExceeded) && !shutting:
		reason = ReasonIdle
	}
	if reason != "" {
		s.logger().Warn("disconnecting", "addr", c.addr, "id", c.id, "reason", reason)
		why := fmt.Sprintf("message longer than %d bytes", s.maxLine())
		if reason == ReasonIdle {
			why = fmt.Sprintf("nothing from you for %v", s.idleTimeout())
		}
		s.reply(c, chatproto.ErrorMessage(why+"; goodbye"))
	}
	s.leave(c)
}

// handle acts on one message from c.
func (s *Server) handle(c *client, data []byte) {
	var req chatproto.Request
	if err := json.Unmarshal(data, &req); err != nil {
		s.reply(c, chatproto.ErrorMessage(fmt.Sprintf("malformed message: %.200s", err))) // .200: the error may quote a long number
		return
	}
	s.mu.Lock()
	id, nickname := c.id, c.nickname
	s.mu.Unlock()
	switch req.Type {
	case TypePing:
		// Nothing to do: reading it has reset the idle deadline.
	case chatproto.TypeLogin:
		switch {
		case id != 0:
			s.reply(c, chatproto.ErrorMessage(fmt.Sprintf("already logged in as %s (%d)", nickname, id)))
		case strings.TrimSpace(req.Nickname) == "":
			s.reply(c, chatproto.ErrorMessage("login needs a nickname"))
		case len(req.Nickname) > MaxNickname:
			s.reply(c, chatproto.ErrorMessage(fmt.Sprintf("a nickname may be at most %d bytes long", MaxNickname)))
		default:
			s.join(c, req.Nickname)
		}
	case chatproto.TypeBroadcast:
		if id == 0 {
			s.reply(c, chatproto.ErrorMessage("log in first"))
			return
		}
		s.broadcast(c, chatproto.Message{SenderID: id, SenderNickname: nickname, Message: req.Message})
	default:
		s.reply(c, chatproto.ErrorMessage(fmt.Sprintf("unknown message type %.64q", req.Type))) // .64: a long type must not make a long reply
	}
}

// join logs c in. Its reply is queued before anyone can queue anything
// else for it, so it is the first thing c receives.
func (s *Server) join(c *client, nickname string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shutting {
		return
	}
	c.id, c.nickname = s.nextID, nickname
	s.nextID++
	s.enqueue(c, mustEncode(chatproto.LoginReply{ID: c.id}))
	s.sendAll(c, chatproto.Announcement(chatproto.JoinedText(c.id, nickname)))
	s.members = append(s.members, c)
	s.logger().Info("logged in", "addr", c.addr, "id", c.id, "nickname", nickname)
}

// leave takes c out of the room and closes its outbox: the writer sends
// what is left in it and hangs up.
func (s *Server) leave(c *client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := slices.Index(s.members, c); i >= 0 {
		s.members = slices.Delete(s.members, i, i+1)
		if !s.shutting {
			s.sendAll(c, chatproto.Announcement(chatproto.LeftText(c.id, c.nickname)))
		}
		s.logger().Info("left", "addr", c.addr, "id", c.id, "nickname", c.nickname)
	}
	if c.out.close(true) {
		s.startWriter(c)
	}
}

// broadcast queues msg for every member but from, unless its line is
// longer than MaxLine: the others read no longer lines, and one would cost
// each of them the connection, so from gets an error instead.
func (s *Server) broadcast(from *client, msg chatproto.Message) {
	line := mustEncode(msg)
	if n := len(line) - 1; n > s.maxLine() { // the newline does not count
		s.reply(from, chatproto.ErrorMessage(fmt.Sprintf(
			"message too long to relay: with your id and nickname it makes a line of %d bytes, "+
				"and a line may be at most %d: shorten it by at least %d bytes", n, s.maxLine(), n-s.maxLine())))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.shutting {
		s.sendLine(from, line)
	}
}

// reply queues msg for c alone.
func (s *Server) reply(c *client, msg chatproto.Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.enqueue(c, mustEncode(msg))
}

// sendAll queues msg for every member except skip, encoded once. The
// caller holds s.mu.
func (s *Server) sendAll(skip *client, msg chatproto.Message) {
	s.sendLine(skip, mustEncode(msg))
}

// sendLine queues line for every member except skip. The caller holds
// s.mu.
func (s *Server) sendLine(skip *client, line []byte) {
	for _, m := range s.members {
		if m != skip {
			s.enqueue(m, line)
		}
	}
}

// enqueue puts line in c's outbox without ever waiting, and starts c's
// writer if it is not running. A full outbox means c is not keeping up
// with the room: it is disconnected, and the room carries on. The caller
// holds s.mu.
func (s *Server) enqueue(c *client, line []byte) {
	if c.kicked {
		return
	}
	ok, start := c.out.put(line, s.queueLen())
	if start {
		s.startWriter(c)
	}
	if ok {
		return
	}
	c.kicked = true
	s.logger().Warn("disconnecting", "addr", c.addr, "id", c.id, "reason", ReasonTooSlow, "queued", s.queueLen())
	c.conn.Close() // its writer's Write and its reader's Read both fail now
}

// startWriter starts c's writer. The caller holds s.mu and is a reader,
// which still counts in wg, or Shutdown before it waits: wg's count never
// grows from zero while someone waits on it.
func (s *Server) startWriter(c *client) {
	s.wg.Add(1)
	go s.write(c)
}

// write is the only goroutine that writes to c.conn. It takes every line
// in the outbox and sends them with one Write, and again, until the outbox
// is empty: many small messages cost one system call, and a client that
// fell behind catches up in large writes. Before each take it lets every
// other goroutine that is ready to run go first (runtime.Gosched), which
// on a quiet server returns at once and on a busy one lets more lines join
// the batch. It hangs up once the outbox is closed and empty, or a write
// fails.
func (s *Server) write(c *client) {
	defer s.wg.Done()
	var spare [][]byte
	for {
		runtime.Gosched()
		lines, hangUp := c.out.take(spare)
		if len(lines) == 0 {
			if hangUp {
				c.conn.Close()
				s.forget(c)
			}
			return
		}
		if err := s.send(c, lines); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				s.mu.Lock()
				id := c.id
				s.mu.Unlock()
				s.logger().Warn("disconnecting", "addr", c.addr, "id", id, "reason", ReasonTooSlow, "err", err)
			}
			c.conn.Close()     // the reader stops too
			c.out.close(false) // drop the rest: the next take hangs up
		}
		clear(lines) // let the lines go; the slice can hold the next ones
		spare = lines[:0]
	}
}

// queues recycles the slices outboxes keep their lines in: a writer that
// ends gives its spare slice back, and an outbox that gets a line while it
// holds none borrows one. An idle client holds no slice, and a busy one
// does not grow a new one, line by line, each time its writer starts.
var queues = sync.Pool{New: func() any { return new([][]byte) }}

// recycle gives an empty slice back to queues.
func recycle(q [][]byte) {
	if cap(q) > 0 {
		queues.Put(&q)
	}
}

// batches recycles the buffers in which writers put lines end to end: a
// writer holds one only while it writes, so a thousand idle clients hold
// none.
var batches = sync.Pool{New: func() any { return new([]byte) }}

// send writes lines to c with one Write, which may take WriteTimeout.
func (s *Server) send(c *client, lines [][]byte) error {
	if len(lines) == 0 {
		return nil
	}
	out := lines[0] // one line goes as it is
	if len(lines) > 1 {
		buf := batches.Get().(*[]byte)
		defer batches.Put(buf)
		*buf = (*buf)[:0]
		for _, line := range lines {
			*buf = append(*buf, line...)
		}
		out = *buf
	}
	_, err := c.conn.Write(out)
	return err
}

// forget drops c from the server's connections once it is hung up.
func (s *Server) forget(c *client) {
	s.mu.Lock()
	delete(s.clients, c)
	s.mu.Unlock()
	s.logger().Info("disconnected", "addr", c.addr)
}

// Shutdown stops the server gracefully: it stops accepting connections
// and reading from clients, tells every client ShutdownText, lets each
// client's writer deliver what is queued, and hangs up. It returns nil
// once every connection is closed and every goroutine has ended. If ctx
// ends first, it closes whatever is still open, waits for the goroutines
// (which end at once), and returns ctx.Err().
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.init()
	s.shutting = true
	ln := s.ln
	bye := mustEncode(chatproto.Announcement(ShutdownText))
	for c := range s.clients {
		s.enqueue(c, bye)
		c.conn.SetReadDeadline(time.Now()) // the reader stops, closes the outbox, a writer drains it
	}
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	s.logger().Info("shutting down")

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.closeAll()
		<-done
		return ctx.Err()
	}
}

// closeAll closes every connection not yet hung up.
func (s *Server) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		c.conn.Close()
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

func (s *Server) idleTimeout() time.Duration {
	return cmpOr(s.IdleTimeout, DefaultIdleTimeout)
}

func (s *Server) writeTimeout() time.Duration {
	return cmpOr(s.WriteTimeout, DefaultWriteTimeout)
}

func (s *Server) maxLine() int { return cmpOr(s.MaxLine, DefaultMaxLine) }

func (s *Server) queueLen() int { return cmpOr(s.QueueLen, DefaultQueueLen) }

// cmpOr returns v, or def when v is not positive.
func cmpOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// mustEncode encodes one of the protocol's own types, which cannot fail.
func mustEncode(v any) []byte {
	line, err := chatproto.Encode(v)
	if err != nil {
		panic(err)
	}
	return line
}
