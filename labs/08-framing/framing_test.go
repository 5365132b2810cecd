package framing

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chat is the newline-delimited JSON of the chat room in chapter 9: what
// its client and server say to each other.
var chat = []string{
	`{"type":"login","nickname":"Michael"}`,
	`{"id":1}`,
	`{"type":"broadcast","sender_id":1,"message":"你好, Tracy!"}`,
	`{"sender_id":2,"sender_nickname":"Tracy","message":"Hello, Michael!"}`,
}

// errBroken is the error of a test's reader or writer that breaks.
var errBroken = errors.New("the test's connection broke")

// lines joins messages into a newline-delimited stream.
func lines(msgs ...string) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m)
		b.WriteByte('\n')
	}
	return b.String()
}

// header is a length prefix for n bytes.
func header(n uint32) []byte {
	return binary.BigEndian.AppendUint32(nil, n)
}

// frame is msg with its length prefix.
func frame(msg string) []byte {
	return append(header(uint32(len(msg))), msg...)
}

// frames joins messages into a length-prefixed stream.
func frames(msgs ...string) []byte {
	var b []byte
	for _, m := range msgs {
		b = append(b, frame(m)...)
	}
	return b
}

// readers are the ways a test hands a stream to a reader: all at once, and
// in the odd ways an io.Reader is allowed to behave.
var readers = []struct {
	name string
	wrap func(io.Reader) io.Reader
	why  string
}{
	{"in one piece", func(r io.Reader) io.Reader { return r }, "the whole stream came in one Read"},
	{"a byte at a time", iotest.OneByteReader, "each Read returned a single byte (iotest.OneByteReader): one Read is not one message, keep reading"},
	{"half at a time", iotest.HalfReader, "each Read returned half of what was asked for (iotest.HalfReader)"},
	{"with EOF on the last data", iotest.DataErrReader, "the last Read returned data and io.EOF together (iotest.DataErrReader): use the data before looking at the error"},
}

// expectMessages reads want from mr, one call per message, and then the
// clean end of the stream.
func expectMessages(t *testing.T, mr MessageReader, want []string, how string) {
	t.Helper()
	for i, w := range want {
		got, err := read(t, mr, fmt.Sprintf("message %d", i+1))
		if errors.Is(err, bufio.ErrBufferFull) {
			how += "\nbufio.ErrBufferFull is no failure: the line is longer than the bufio.Reader's buffer (4 KiB). " +
				"Keep the piece ReadSlice returned and call it again for the rest of the line."
		}
		if i > 0 && skippedAhead(want[i:], got, err) {
			how += "\n" + skippedAheadHint(mr)
		}
		require.NoError(t, err, "ReadMessage returned an error for message %d of %d (want %s).\n%s", i+1, len(want), show([]byte(w)), how)
		requireMessage(t, w, got, "message %d of %d is wrong.\n%s", i+1, len(want), how)
	}
	_, err := read(t, mr, "the end of the stream")
	require.Error(t, err, "after the last message the stream ended: ReadMessage should return io.EOF")
	require.True(t, err == io.EOF,
		"after the last message the stream ended cleanly: ReadMessage should return io.EOF itself, got %v.\n%s", err, how)
}

// skippedAhead reports whether a ReadMessage that should have returned
// rest[0] returned the end of the stream, or bytes from further on (not a
// piece of rest[0] itself): the reader lost the bytes between the last
// message and those.
func skippedAhead(rest []string, got []byte, err error) bool {
	if err == io.EOF {
		return true
	}
	return err == nil && len(got) > 0 && !strings.Contains(rest[0], string(got)) && strings.Contains(strings.Join(rest, "\n"), string(got))
}

// skippedAheadHint says where the bytes a reader skipped went.
func skippedAheadHint(mr MessageReader) string {
	if _, ok := mr.(*LineReader); ok {
		return "Bytes went missing between two calls of ReadMessage: the message before came back right, and then the reader was further on in the stream. " +
			"Keep one bufio.Reader for the whole stream (make it in NewLineReader and keep it in the LineReader): " +
			"what it read ahead of one message's \"\\n\" is the start of the next, and a new bufio.Reader starts without those bytes."
	}
	return "Bytes went missing between two calls of ReadMessage: the message before came back right, and then the reader was further on in the stream. " +
		"Read exactly HeaderSize bytes for the header and exactly the length it gives for the message (io.ReadFull), and nothing more: " +
		"bytes read past the end of one message are the start of the next."
}

// requireMessage fails the test unless got is want. Long messages are shown
// cut in the middle, with where they first differ: testify cannot print a
// line longer than 64 KiB.
func requireMessage(t *testing.T, want string, got []byte, msgAndArgs ...any) {
	t.Helper()
	if len(want) <= 200 && len(got) <= 200 {
		require.Equal(t, want, string(got), msgAndArgs...)
		return
	}
	if string(got) == want {
		return
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	require.Fail(t, fmt.Sprintf("got %d bytes, %s\nwant %d bytes, %s\nthey differ from byte %d on", len(got), show(got), len(want), show([]byte(want)), i), msgAndArgs...)
}

// Frame a message with a newline, in one Write, and refuse one that holds a newline.
func TestTask1LineWriter(t *testing.T) {
	var rec recorder
	w := NewLineWriter(&rec)
	for _, m := range append(chat, "", "你好, 世界", strings.Repeat("long ", 2000)) {
		require.NoError(t, write(t, w, []byte(m)), "WriteMessage(%s) returned an error", show([]byte(m)))
		got := rec.take()
		require.Len(t, got, 1,
			"WriteMessage(%s) called the underlying Write %d times: %s.\n"+
				"Build the whole frame, message and newline, in one slice and call Write once: "+
				"then two goroutines writing to one connection can never interleave their messages.",
			show([]byte(m)), len(got), showWrites(got))
		requireMessage(t, m+"\n", got[0], "WriteMessage should write the message followed by \"\\n\"")
	}

	// A message with spare capacity behind it: appending '\n' to it would
	// overwrite the caller's next byte.
	buf := []byte("hello world")
	require.NoError(t, write(t, w, buf[:5]))
	rec.take()
	assert.Equal(t, "hello world", string(buf),
		"WriteMessage(buf[:5]) changed the caller's buffer: append(msg, '\\n') writes into msg's spare capacity. Copy into a new slice.")

	for _, bad := range []string{"two\nlines", "\n", "trailing newline\n"} {
		err := write(t, w, []byte(bad))
		assert.ErrorIs(t, err, ErrEmbeddedNewline,
			"WriteMessage(%q) should refuse the message with ErrEmbeddedNewline: the reader would see the newline as the end of the message", bad)
		assert.Empty(t, rec.take(), "WriteMessage(%q) should write nothing at all when it refuses the message", bad)
	}

	broken := NewLineWriter(&recorder{fail: errBroken})
	assert.ErrorIs(t, write(t, broken, []byte("hello")), errBroken,
		"the underlying Write failed: WriteMessage should return its error")
}

// Read newline-delimited messages back, however the reads cut up the stream.
func TestTask2LineReader(t *testing.T) {
	long := strings.Repeat("0123456789", 1000) // longer than a bufio.Reader's 4 KiB buffer
	want := append(append([]string{}, chat...), "", "你好, 世界", long, "last")
	stream := lines(want...)
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			r := NewLineReader(rd.wrap(strings.NewReader(stream)), 64*1024)
			expectMessages(t, r, want, "The stream was: "+show([]byte(stream))+"\nHow it was read: "+rd.why+".")
		})
	}

	t.Run("an empty stream", func(t *testing.T) {
		_, err := read(t, NewLineReader(strings.NewReader(""), 100), "the end of an empty stream")
		require.True(t, err == io.EOF, "an empty stream holds no message: ReadMessage should return io.EOF itself, got %v", err)
	})

	t.Run("the caller keeps each message", func(t *testing.T) {
		r := NewLineReader(iotest.OneByteReader(strings.NewReader("first\nsecond\n")), 100)
		first, err := read(t, r, "the first message")
		require.NoError(t, err)
		second, err := read(t, r, "the second message")
		require.NoError(t, err)
		assert.Equal(t, "second", string(second))
		assert.Equal(t, "first", string(first),
			"reading the second message changed the first one the caller holds: ReadSlice returns a view into the bufio.Reader's buffer, "+
				"which the next read overwrites. Return a copy.")
	})
}

// Tell a cut-off message from a clean end, and pass on the reader's own errors.
func TestTask3LineReaderEnds(t *testing.T) {
	for _, tc := range []struct {
		stream string
		before []string
	}{
		{"no newline at all", nil},
		{"ok\ncut off", []string{"ok"}},
		{strings.Repeat("x", 10000), nil},
	} {
		for _, rd := range readers {
			r := NewLineReader(rd.wrap(strings.NewReader(tc.stream)), 64*1024)
			for _, w := range tc.before {
				got, err := read(t, r, "a complete message")
				require.NoError(t, err)
				requireMessage(t, w, got)
			}
			_, err := read(t, r, "a cut-off message")
			require.ErrorIs(t, err, io.ErrUnexpectedEOF,
				"the stream %s ended in the middle of a message, without its \"\\n\" (%s): "+
					"ReadMessage should return io.ErrUnexpectedEOF, not the partial message and not io.EOF, which means a clean end",
				show([]byte(tc.stream)), rd.why)
			_, err = read(t, r, "after a cut-off message")
			require.ErrorIs(t, err, io.ErrUnexpectedEOF,
				"after io.ErrUnexpectedEOF the stream is finished: a second call should return the same error, not io.EOF (remember the error)")
		}
	}

	t.Run("a read error", func(t *testing.T) {
		r := NewLineReader(io.MultiReader(strings.NewReader("ok\nhal"), iotest.ErrReader(errBroken)), 100)
		got, err := read(t, r, "the message before the error")
		require.NoError(t, err)
		require.Equal(t, "ok", string(got))
		_, err = read(t, r, "a message the underlying reader broke off")
		require.ErrorIs(t, err, errBroken, "the underlying Read failed: ReadMessage should return that error")
		_, err = read(t, r, "after the error")
		require.ErrorIs(t, err, errBroken, "a read error is final: the next call should return the same error")
	})

	t.Run("a read error between two messages", func(t *testing.T) {
		r := NewLineReader(io.MultiReader(strings.NewReader("ok\n"), iotest.ErrReader(errBroken)), 100)
		got, err := read(t, r, "the message before the error")
		require.NoError(t, err)
		require.Equal(t, "ok", string(got))
		_, err = read(t, r, "a read that failed right after a \"\\n\"")
		require.ErrorIs(t, err, errBroken,
			"the underlying Read failed right after a \"\\n\", and ReadMessage returned %v: it should return the reader's error. "+
				"Only io.EOF from the reader is the end of the stream; any other error is a connection that broke, even between two messages", err)
		_, err = read(t, r, "after the error")
		require.ErrorIs(t, err, errBroken, "a read error is final: the next call should return the same error")
	})
}

// Over real TCP, in 1-byte pieces and merged into one: the same messages.
func TestTask4LinesOverTCP(t *testing.T) {
	var wire [][]byte
	for _, m := range chat {
		wire = append(wire, []byte(m+"\n"))
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			w, conn := through(t, sh.opts)
			sendFrames(t, w, wire)
			expectMessages(t, NewLineReader(conn, 4096), chat, sh.why)
		})
	}
}

// Skip a line longer than the limit, without ever holding it in memory, and go on.
func TestTask5LineLimit(t *testing.T) {
	t.Run("in memory", func(t *testing.T) {
		sixteen, seventeen, huge := strings.Repeat("x", 16), strings.Repeat("y", 17), strings.Repeat("z", 5000)
		stream := lines("short", sixteen, seventeen, "after", huge, "", "last")
		for _, rd := range readers {
			r := NewLineReader(rd.wrap(strings.NewReader(stream)), 16)
			expectGood(t, r, "short")
			expectGood(t, r, sixteen)
			expectTooLarge(t, r, 17, 16)
			expectGood(t, r, "after")
			expectTooLarge(t, r, 5000, 16)
			expectGood(t, r, "")
			expectMessages(t, r, []string{"last"}, rd.why)
		}
	})

	t.Run("fragmented over TCP", func(t *testing.T) {
		w, conn := through(t, shapes[0].opts)
		sendFrames(t, w, [][]byte{[]byte("hi\n"), []byte(strings.Repeat("x", 40) + "\n"), []byte("still here\n")})
		r := NewLineReader(conn, 16)
		expectGood(t, r, "hi")
		expectTooLarge(t, r, 40, 16)
		expectMessages(t, r, []string{"still here"}, shapes[0].why)
	})

	t.Run("memory", func(t *testing.T) {
		const size, limit = 32 * MiB, 64 * 1024
		src := &endless{n: size, tail: strings.NewReader("\nok\n")}
		var err error
		var ok []byte
		used := allocated(func() {
			r := NewLineReader(src, limit)
			_, err = read(t, r, "a 32 MiB line")
			ok, _ = read(t, r, "the message after the 32 MiB line")
		})
		require.ErrorIs(t, err, ErrTooLarge, "a 32 MiB line with a limit of 64 KiB should give ErrTooLarge")
		requireMessage(t, "ok", ok, "after skipping the 32 MiB line, the next message is \"ok\"")
		assert.Less(t, used, uint64(MiB),
			"reading a 32 MiB line with a limit of 64 KiB allocated %.1f MiB. "+
				"Check the limit while the line comes in, and once it is passed only count the bytes: "+
				"never gather the whole line first (ReadBytes, ReadString, io.ReadAll) and measure it afterwards.", float64(used)/MiB)
	})
	t.Run("a long line cut off", func(t *testing.T) {
		stream := "short\n" + strings.Repeat("x", 40)
		for _, rd := range readers {
			r := NewLineReader(rd.wrap(strings.NewReader(stream)), 16)
			expectGood(t, r, "short")
			got, err := read(t, r, "a line over the limit that the stream cut off")
			require.ErrorIs(t, err, io.ErrUnexpectedEOF,
				"the stream %s ended inside a 40-byte line, over the limit of 16 (%s): that line was cut off, "+
					"so ReadMessage should return io.ErrUnexpectedEOF, got %s and error %v. "+
					"You kept none of its bytes, but the stream did not end after a \"\\n\": "+
					"tell the two apart by the count of bytes since the last \"\\n\", not by the message you kept",
				show([]byte(stream)), rd.why, show(got), err)
		}
	})
	t.Run("a negative limit", func(t *testing.T) {
		// A negative limit counts as 0: only empty messages.
		r := NewLineReader(strings.NewReader("\nx\n\n"), -1)
		got, err := read(t, r, "an empty message, with a limit of -1")
		require.NoError(t, err, "NewLineReader(r, -1) accepts empty messages: a negative limit counts as 0 (keep max(limit, 0))")
		require.Empty(t, got, "the first line is empty")
		expectTooLarge(t, r, 1, 0)
		expectMessages(t, r, []string{""}, "NewLineReader(r, -1): a negative limit counts as 0 (keep max(limit, 0)).")
	})
}

// expectGood reads one message and requires it to be want.
func expectGood(t *testing.T, r MessageReader, want string) {
	t.Helper()
	got, err := read(t, r, "message "+show([]byte(want)))
	if errors.Is(err, ErrTooLarge) {
		require.NoError(t, err, "ReadMessage should return the message %s (%d bytes), which is within the limit. "+
			"Does the reader count its framing (the \"\\n\", the header) in the message's length? "+
			"Or did it keep an earlier ErrTooLarge as final? A line reader skips a line that is too long and goes on with the next. "+
			"Or did it stop reading a line that was too long as soon as it passed the limit? Then the rest of that line came back as this message: "+
			"read on to its \"\\n\", counting the bytes without keeping them, before returning ErrTooLarge.",
			show([]byte(want)), len(want))
	}
	require.NoError(t, err, "ReadMessage should return the message %s (%d bytes)", show([]byte(want)), len(want))
	requireMessage(t, want, got)
}

// expectTooLarge reads one message and requires ErrTooLarge with its size
// in the error's text.
func expectTooLarge(t *testing.T, r MessageReader, size, limit int) {
	t.Helper()
	got, err := read(t, r, fmt.Sprintf("a %d-byte message", size))
	require.ErrorIs(t, err, ErrTooLarge,
		"a %d-byte message is over the limit of %d bytes: ReadMessage should return an error that wraps ErrTooLarge "+
			"(fmt.Errorf(\"%%w: ...\", ErrTooLarge, ...)), got %s and error %v", size, limit, show(got), err)
	if _, ok := r.(*LineReader); ok {
		assert.Contains(t, err.Error(), strconv.Itoa(size),
			"the error should give the line's whole size, %d bytes: read on to its \"\\n\", counting the bytes without keeping them, "+
				"and only then return ErrTooLarge (the rest of the line must not come back as the next message)", size)
	} else {
		assert.Contains(t, err.Error(), strconv.Itoa(size), "the error should give the message's size, %d bytes", size)
	}
	assert.Contains(t, err.Error(), strconv.Itoa(limit), "the error should give the limit, %d bytes", limit)
}

// Prefix a message with its length, four bytes big-endian, in one Write.
func TestTask6LengthWriter(t *testing.T) {
	var rec recorder
	w := NewLengthWriter(&rec)
	for _, m := range append(chat, "", "two\nlines", strings.Repeat("a", 300), strings.Repeat("b", 70000)) {
		require.NoError(t, write(t, w, []byte(m)), "WriteMessage(%s) returned an error", show([]byte(m)))
		got := rec.take()
		require.Len(t, got, 1,
			"WriteMessage(%s) called the underlying Write %d times: %s.\n"+
				"Put the header and the message in one slice and call Write once: "+
				"then two goroutines writing to one connection can never interleave their messages.",
			show([]byte(m)), len(got), showWrites(got))
		require.GreaterOrEqual(t, len(got[0]), HeaderSize, "WriteMessage wrote %s, too short to hold a header", show(got[0]))
		require.Equal(t, header(uint32(len(m))), got[0][:HeaderSize],
			"the header of a %d-byte message should be % x: its length as a 4-byte big-endian number, most significant byte first "+
				"(binary.BigEndian.PutUint32)", len(m), header(uint32(len(m))))
		requireMessage(t, m, got[0][HeaderSize:], "after the header comes the message itself, unchanged")
	}

	buf := []byte("hello world")
	require.NoError(t, write(t, w, buf[:5]))
	rec.take()
	assert.Equal(t, "hello world", string(buf), "WriteMessage(buf[:5]) changed the caller's buffer: build the frame in a new slice")

	broken := NewLengthWriter(&recorder{fail: errBroken})
	assert.ErrorIs(t, write(t, broken, []byte("hello")), errBroken,
		"the underlying Write failed: WriteMessage should return its error")
}

// Read length-prefixed messages back, however the reads cut up the stream, and tell a cut-off one from a clean end.
func TestTask7LengthReader(t *testing.T) {
	want := append(append([]string{}, chat...), "", "two\nlines", strings.Repeat("0123456789", 1000), "last")
	stream := frames(want...)
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			r := NewLengthReader(rd.wrap(bytes.NewReader(stream)), 64*1024)
			expectMessages(t, r, want, "How it was read: "+rd.why+".")
		})
	}

	t.Run("an empty stream", func(t *testing.T) {
		_, err := read(t, NewLengthReader(strings.NewReader(""), 100), "the end of an empty stream")
		require.True(t, err == io.EOF, "an empty stream holds no message: ReadMessage should return io.EOF itself, got %v", err)
	})

	t.Run("the caller keeps each message", func(t *testing.T) {
		// Longer, then shorter, then longer: a buffer the reader keeps and
		// grows only when it must is overwritten by the shorter message.
		want := []string{"the first message", "second", "the third and longest message"}
		r := NewLengthReader(bytes.NewReader(frames(want...)), 100)
		var got [][]byte
		for i, w := range want {
			msg, err := read(t, r, fmt.Sprintf("message %d", i+1))
			require.NoError(t, err)
			require.Equal(t, w, string(msg))
			got = append(got, msg)
		}
		for i, w := range want {
			assert.Equal(t, w, string(got[i]),
				"reading the messages after it changed message %d, which the caller still holds: "+
					"return a new slice for each message (make([]byte, n) on every call), never a buffer the LengthReader keeps and reuses", i+1)
		}
	})

	for _, tc := range []struct {
		name   string
		stream []byte
	}{
		{"a cut-off header", []byte{0, 0}},
		{"a header and no message", header(5)},
		{"a cut-off message", append(header(5), "abc"...)},
		{"a cut-off second message", append(frame("ok"), append(header(5), "abc"...)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, rd := range readers {
				r := NewLengthReader(rd.wrap(bytes.NewReader(tc.stream)), 100)
				if bytes.HasPrefix(tc.stream, frame("ok")) {
					expectGood(t, r, "ok")
				}
				_, err := read(t, r, tc.name)
				require.ErrorIs(t, err, io.ErrUnexpectedEOF,
					"the stream % x ended in the middle of a frame (%s): ReadMessage should return io.ErrUnexpectedEOF, "+
						"never io.EOF, which means a clean end between two messages. "+
						"Careful: io.ReadFull returns io.EOF when it reads nothing at all.", tc.stream, rd.why)
				_, err = read(t, r, "after "+tc.name)
				require.ErrorIs(t, err, io.ErrUnexpectedEOF,
					"every error is final: a second call should return the same io.ErrUnexpectedEOF (remember the error)")
			}
		})
	}

	for _, tc := range []struct {
		name  string
		until []byte // what the underlying reader gives before it fails
	}{
		{"between two messages", nil},
		{"inside a header", []byte{0, 0}},
		{"right after a header", header(5)},
		{"inside a message", append(header(5), "abc"...)},
	} {
		t.Run("a read error "+tc.name, func(t *testing.T) {
			stream := append(frame("ok"), tc.until...)
			r := NewLengthReader(io.MultiReader(bytes.NewReader(stream), iotest.ErrReader(errBroken)), 100)
			expectGood(t, r, "ok")
			_, err := read(t, r, "a frame the underlying reader broke off "+tc.name)
			require.ErrorIs(t, err, errBroken,
				"the underlying Read gave % x and then failed, %s, and ReadMessage returned %v: it should return the reader's error as it is. "+
					"io.ErrUnexpectedEOF is only for a stream that ended (io.EOF) too early; any other error is a connection that broke", stream, tc.name, err)
			_, err = read(t, r, "after the error")
			require.ErrorIs(t, err, errBroken, "every error is final: the next call should return the same error")
		})
	}

	for _, sh := range shapes {
		t.Run(sh.name+" over TCP", func(t *testing.T) {
			w, conn := through(t, sh.opts)
			var wire [][]byte
			for _, m := range chat {
				wire = append(wire, frame(m))
			}
			sendFrames(t, w, wire)
			expectMessages(t, NewLengthReader(conn, 4096), chat, sh.why)
		})
	}
}

// Check the length before allocating anything, and stop for good at a message that is too large.
func TestTask8LengthLimit(t *testing.T) {
	sixteen := strings.Repeat("x", 16)
	// Seventeen bytes that look like a frame of their own: a reader that
	// skips the long message, or reads its body as the next header, would
	// find "hi" in them.
	body := append(frame("hi"), "and more!!!"...)
	require.Len(t, body, 17)
	stream := append(frames("short", sixteen), append(header(17), body...)...)
	stream = append(stream, frame("after")...)
	for _, rd := range readers {
		r := NewLengthReader(rd.wrap(bytes.NewReader(stream)), 16)
		expectGood(t, r, "short")
		expectGood(t, r, sixteen)
		expectTooLarge(t, r, 17, 16)
		for i := 0; i < 2; i++ {
			got, err := read(t, r, "after a message that was too large")
			require.ErrorIs(t, err, ErrTooLarge,
				"after a message that is too large, a length reader stops for good (see the package documentation): "+
					"every later call returns the same error. ReadMessage returned %s and error %v", show(got), err)
		}
	}

	t.Run("memory", func(t *testing.T) {
		const limit = 64 * 1024
		claim := uint32(64 * MiB)
		src := bytes.NewReader(append(header(claim), "only a few bytes follow"...))
		var err error
		used := allocated(func() {
			_, err = read(t, NewLengthReader(src, limit), "a header claiming 64 MiB")
		})
		require.ErrorIs(t, err, ErrTooLarge,
			"the header claims %d bytes, over the limit of %d: ReadMessage should return ErrTooLarge at once, "+
				"without waiting for bytes that may never come", claim, limit)
		assert.Contains(t, err.Error(), strconv.Itoa(int(claim)), "the error should give the claimed size")
		require.Less(t, used, uint64(MiB),
			"a header that claimed 64 MiB made ReadMessage allocate %.1f MiB: never trust the length a peer sends. "+
				"Compare it with the limit before make([]byte, n).", float64(used)/MiB)

		// The largest length a header can hold. Converting it to int32 gives
		// -1, and make([]byte, -1) panics.
		_, err = read(t, NewLengthReader(bytes.NewReader(header(0xFFFFFFFF)), limit), "a header claiming 4 GiB - 1 bytes, which is -1 as an int32: compare the length with the limit as a uint32 or uint64")
		require.ErrorIs(t, err, ErrTooLarge, "the header claims 4 GiB - 1 bytes: ReadMessage should return ErrTooLarge")
		assert.Contains(t, err.Error(), "4294967295", "the error should give the claimed size")
	})
	t.Run("a negative limit", func(t *testing.T) {
		// A negative limit counts as 0: only empty messages. Kept as it is
		// and compared as unsigned, -1 would be the largest limit of all.
		r := NewLengthReader(bytes.NewReader(append(frame(""), append(header(64*MiB), "a few bytes"...)...)), -1)
		got, err := read(t, r, "an empty message, with a limit of -1")
		require.NoError(t, err, "NewLengthReader(r, -1) accepts empty messages: a negative limit counts as 0")
		require.Empty(t, got, "the first frame holds an empty message")
		used := allocated(func() {
			got, err = read(t, r, "a header claiming 64 MiB, with a limit of -1")
		})
		require.ErrorIs(t, err, ErrTooLarge,
			"NewLengthReader(r, -1) got a header claiming 64 MiB and returned %s and error %v, want ErrTooLarge. "+
				"A negative limit counts as 0 (keep max(limit, 0)): as a uint64, -1 is 18446744073709551615, which lets any claim through",
			show(got), err)
		assert.Less(t, used, uint64(MiB), "with a limit of -1, a header claiming 64 MiB made ReadMessage allocate %.1f MiB", float64(used)/MiB)
	})
}

// Survive any input: the properties the fuzz tests check, on their seeds and on generated streams.
func TestTask9Properties(t *testing.T) {
	failure := guarded(func() string {
		for _, s := range lineSeeds {
			if msg := checkLine(s.data, int(s.limit)); msg != "" {
				return fmt.Sprintf("FuzzLineReader's seed: stream %s, limit %d:\n%s", show(s.data), s.limit, msg)
			}
		}
		for _, s := range lengthSeeds {
			if msg := checkLength(s.data, int(s.limit)); msg != "" {
				return fmt.Sprintf("FuzzLengthReader's seed: stream %s, limit %d:\n%s", show(s.data), s.limit, msg)
			}
		}
		g := newGenerator(1)
		for i := 1; i <= 300; i++ {
			data, limit := g.lineStream()
			if msg := checkLine(data, limit); msg != "" {
				return fmt.Sprintf("generated line stream %d: %s, limit %d:\n%s", i, show(data), limit, msg)
			}
			data, limit = g.lengthStream()
			if msg := checkLength(data, limit); msg != "" {
				return fmt.Sprintf("generated length-prefixed stream %d: %s, limit %d:\n%s", i, show(data), limit, msg)
			}
		}
		return ""
	})
	if failure != "" {
		t.Fatal(failure + "\n\nTo search for more such inputs: go test ./labs/08-framing -run='^$' -fuzz=FuzzLineReader (or FuzzLengthReader)")
	}
}

// Messages from many goroutines on one connection arrive whole.
func TestTask10ConcurrentWriters(t *testing.T) {
	const writers, each = 8, 300
	for _, kind := range []struct {
		name   string
		writer func(io.Writer) MessageWriter
		reader func(io.Reader) MessageReader
	}{
		{"lines", func(w io.Writer) MessageWriter { return NewLineWriter(w) }, func(r io.Reader) MessageReader { return NewLineReader(r, 64*1024) }},
		{"length-prefixed", func(w io.Writer) MessageWriter { return NewLengthWriter(w) }, func(r io.Reader) MessageReader { return NewLengthReader(r, 64*1024) }},
	} {
		t.Run(kind.name, func(t *testing.T) {
			a, b := pair(t)
			mw := kind.writer(a)
			errs := make(chan error, writers)
			var wg sync.WaitGroup
			t.Cleanup(func() {
				a.Close() // wakes any writer still blocked
				wg.Wait()
			})
			a.SetWriteDeadline(time.Now().Add(callLimit))
			b.SetReadDeadline(time.Now().Add(callLimit))
			for id := 0; id < writers; id++ {
				wg.Add(1)
				go func(id int) {
					defer wg.Done()
					for seq := 0; seq < each; seq++ {
						if err := mw.WriteMessage(concurrentMessage(id, seq)); err != nil {
							errs <- fmt.Errorf("writer %d, message %d: WriteMessage returned %w", id, seq, err)
							return
						}
					}
				}(id)
			}

			mr := kind.reader(b)
			next := make([]int, writers) // the next seq expected from each writer
			for i := 0; i < writers*each; i++ {
				select {
				case err := <-errs:
					t.Fatal(err)
				default:
				}
				msg, err := read(t, mr, fmt.Sprintf("message %d of %d", i+1, writers*each))
				require.NoError(t, err, "ReadMessage failed after %d whole messages from %d goroutines writing at once", i, writers)
				id, seq, ok := parseConcurrent(msg)
				require.True(t, ok,
					"message %d is not one the writers sent: %s.\n"+
						"%d goroutines called WriteMessage at the same time on one connection, and their bytes got mixed. "+
						"Each WriteMessage must make a frame of its own (no buffer shared between calls) and send it with one Write.",
					i+1, show(msg), writers)
				require.Less(t, id, writers, "message %d names writer %d, which does not exist: %s", i+1, id, show(msg))
				require.Equal(t, next[id], seq, "writer %d's messages arrived out of order or twice", id)
				next[id]++
			}
		})
	}
}

// concurrentMessage is message seq of writer id: a header that says who and
// how long, and a run of the writer's own letter. It has no newline.
func concurrentMessage(id, seq int) []byte {
	size := (seq*997 + id*131) % 6000
	head := fmt.Sprintf("w%d #%d %d:", id, seq, size)
	return append([]byte(head), bytes.Repeat([]byte{byte('a' + id)}, size)...)
}

// parseConcurrent checks that msg is exactly a message concurrentMessage
// makes, and says whose.
func parseConcurrent(msg []byte) (id, seq int, ok bool) {
	var size int
	head, body, found := bytes.Cut(msg, []byte(":"))
	if !found {
		return 0, 0, false
	}
	if n, err := fmt.Sscanf(string(head), "w%d #%d %d", &id, &seq, &size); n != 3 || err != nil {
		return 0, 0, false
	}
	if id < 0 || id >= 26 || seq < 0 || !bytes.Equal(msg, concurrentMessage(id, seq)) || len(body) != size {
		return 0, 0, false
	}
	return id, seq, true
}
