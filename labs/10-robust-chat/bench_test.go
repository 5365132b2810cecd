package chat

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/chatproto"
)

// BenchmarkFanOut measures how many messages per second the room delivers
// when one client talks and 100 listen: each message becomes 100
// deliveries. It compares two rooms:
//
//   - direct: lab 09's design, where the goroutine that reads a message
//     writes it to every other client, one Write per client per message,
//     holding the room's lock;
//   - queued: your Server, where the reading goroutine only queues, and
//     each client's writer sends everything that has piled up in one Write.
//
// Run it with
//
//	go test -run '^$' -bench FanOut ./labs/10-robust-chat
//
// and compare the deliveries/s of the two in the same run: the ratio, not
// the numbers, is the lesson (it depends on the machine).
func BenchmarkFanOut(b *testing.B) {
	const listeners = 100
	b.Run("direct", func(b *testing.B) { testFanOut(b, testDirectServe, listeners) })
	b.Run("queued", func(b *testing.B) {
		testFanOut(b, func(ln net.Listener) error { return (&Server{QueueLen: 4 * testFanRound}).Serve(ln) }, listeners)
	})
}

// testFanRound is how many messages the talker sends before it waits for every
// listener to have received all but the last round: so no queue ever holds
// more than two rounds, and no listener is dropped for being slow.
const testFanRound = 256

func testFanOut(b *testing.B, serve func(net.Listener) error, listeners int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- serve(ln) }()
	defer func() {
		ln.Close()
		<-served
	}()

	dial := func(name string) (net.Conn, *bufio.Reader) {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err != nil {
			b.Fatal(err)
		}
		line, _ := chatproto.Encode(chatproto.Login{Type: chatproto.TypeLogin, Nickname: name})
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write(line)
		r := bufio.NewReaderSize(conn, 64*1024)
		if _, err := r.ReadString('\n'); err != nil {
			b.Fatalf("%s logging in: %v", name, err)
		}
		conn.SetDeadline(time.Time{})
		return conn, r
	}

	// The listeners log in first, and count lines as they come: the
	// talker's join announcement, then b.N messages.
	var rounds = make([]atomic.Int64, listeners) // rounds each listener has received whole
	wake := make(chan struct{}, 1)
	var wg sync.WaitGroup
	errs := make(chan error, listeners)
	for i := 0; i < listeners; i++ {
		conn, r := dial(fmt.Sprintf("listener%d", i))
		defer conn.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := 1 + b.N
			buf := make([]byte, 64*1024)
			seen := 0
			conn.SetReadDeadline(time.Now().Add(time.Minute))
			for seen < want {
				n, err := r.Read(buf)
				seen += bytes.Count(buf[:n], []byte{'\n'})
				if done := int64((seen - 1) / testFanRound); seen > 0 && done > rounds[i].Load() {
					rounds[i].Store(done)
					select {
					case wake <- struct{}{}:
					default:
					}
				}
				if err != nil && seen < want {
					errs <- fmt.Errorf("listener %d after %d of %d lines: %v", i, seen, want, err)
					return
				}
			}
			rounds[i].Store(int64(b.N/testFanRound + 1))
			select {
			case wake <- struct{}{}:
			default:
			}
		}()
	}
	talker, _ := dial("talker")
	defer talker.Close()
	go io.Copy(io.Discard, talker) // the talker hears nothing, but drain it anyway

	line, _ := chatproto.Encode(chatproto.Broadcast{Type: chatproto.TypeBroadcast, SenderID: 0, Message: "the quick brown fox jumps"})
	round := bytes.Repeat(line, testFanRound)
	lowest := func() int64 {
		low := int64(1 << 62)
		for i := range rounds {
			low = min(low, rounds[i].Load())
		}
		return low
	}

	b.ResetTimer()
	talker.SetWriteDeadline(time.Now().Add(time.Minute))
	for sent := 0; sent < b.N; {
		k := min(testFanRound, b.N-sent)
		if _, err := talker.Write(round[:k*len(line)]); err != nil {
			b.Fatalf("the talker's write: %v", err)
		}
		sent += k
		r := int64(sent/testFanRound) - 1 // every listener must have all rounds before the last one
		for lowest() < r {
			select {
			case <-wake:
			case err := <-errs:
				b.Fatal(err)
			case <-time.After(10 * time.Second):
				b.Fatalf("listeners stuck below round %d", r)
			}
		}
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case err := <-errs:
		b.Fatal(err)
	case <-time.After(time.Minute):
		b.Fatal("the listeners did not receive every message within a minute")
	}
	b.StopTimer()
	b.ReportMetric(float64(listeners)*float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}

// testDirectServe is lab 09's room reduced to what the benchmark needs:
// logins and broadcasts, every write made by the goroutine that read the
// message, one Write per client per message, under the room's lock.
func testDirectServe(ln net.Listener) error {
	var mu sync.Mutex
	members := map[int]net.Conn{}
	next := 1
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			mu.Lock()
			for _, c := range members {
				c.Close()
			}
			mu.Unlock()
			return nil
		}
		wg.Go(func() {
			defer conn.Close()
			id := 0
			sc := bufio.NewScanner(conn)
			sc.Split(Split)
			for sc.Scan() {
				var req chatproto.Request
				if json.Unmarshal(sc.Bytes(), &req) != nil {
					continue
				}
				mu.Lock()
				switch {
				case req.Type == chatproto.TypeLogin && id == 0:
					id = next
					next++
					reply, _ := chatproto.Encode(chatproto.LoginReply{ID: id})
					conn.Write(reply)
					testJoined, _ := chatproto.Encode(chatproto.Announcement(chatproto.JoinedText(id, req.Nickname)))
					for _, c := range members {
						c.Write(testJoined)
					}
					members[id] = conn
				case req.Type == chatproto.TypeBroadcast && id != 0:
					msg, _ := chatproto.Encode(chatproto.Message{SenderID: id, Message: req.Message})
					for other, c := range members {
						if other != id {
							c.Write(msg)
						}
					}
				}
				mu.Unlock()
			}
			mu.Lock()
			delete(members, id)
			mu.Unlock()
		})
	}
}
