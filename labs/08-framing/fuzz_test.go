package framing

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The fuzz tests feed the readers arbitrary bytes and compare every call
// with a model of what the package documentation promises, and check that
// whatever the writers write, the readers read back. Under plain go test
// they run their seeds; to search for more inputs:
//
//	go test ./labs/08-framing -run='^$' -fuzz=FuzzLineReader -fuzztime=30s
//	go test ./labs/08-framing -run='^$' -fuzz=FuzzLengthReader -fuzztime=30s
//
// An input that fails is saved under testdata/fuzz/ and from then on runs
// with the seeds.

// FuzzLineReader checks LineReader against its model on any stream and any
// limit, and LineWriter and LineReader together on the lines of the stream.
func FuzzLineReader(f *testing.F) {
	for _, s := range lineSeeds {
		f.Add(s.data, s.limit)
	}
	f.Fuzz(func(t *testing.T, data []byte, limit uint16) {
		if msg := guarded(func() string { return checkLine(data, int(limit)) }); msg != "" {
			t.Fatalf("stream %s, limit %d:\n%s", show(data), limit, msg)
		}
	})
}

// FuzzLengthReader checks LengthReader against its model on any stream and
// any limit, and LengthWriter and LengthReader together on pieces of the
// stream.
func FuzzLengthReader(f *testing.F) {
	for _, s := range lengthSeeds {
		f.Add(s.data, s.limit)
	}
	f.Fuzz(func(t *testing.T, data []byte, limit uint16) {
		if msg := guarded(func() string { return checkLength(data, int(limit)) }); msg != "" {
			t.Fatalf("stream %s, limit %d:\n%s", show(data), limit, msg)
		}
	})
}

// seed is one input of a fuzz test.
type seed struct {
	data  []byte
	limit uint16
}

var lineSeeds = []seed{
	{[]byte(""), 10},
	{[]byte("hello\n"), 10},
	{[]byte("\n\n\n"), 0},
	{[]byte(lines(chat...)), 80},
	{[]byte("too long for the limit\nok\n"), 5},
	{[]byte("exactly five\n12345\n123456\n"), 5},
	{[]byte("no newline at the end"), 100},
	{[]byte("ok\ncut off"), 100},
	{[]byte("too long and cut off"), 4},
	{[]byte("a\r\nb\r\n"), 10},
	{[]byte("你好\n世界\n"), 6},
	{[]byte(strings.Repeat("x", 5000) + "\nafter\n"), 16},
	{[]byte(strings.Repeat("y", 9000) + "\n"), 9000},
	{[]byte("\xff\xfe\x00\n\x00\n"), 4},
}

var lengthSeeds = []seed{
	{[]byte(""), 10},
	{frame("hello"), 10},
	{frame(""), 0},
	{frames("two\nlines", "x", ""), 16},
	{frames(chat...), 80},
	{append(header(5), "abc"...), 10},
	{header(5), 10},
	{[]byte{0, 0}, 10},
	{append(frame("ok"), 0, 0, 0), 10},
	{append(header(17), frames("hi", "and more!!!")[:17]...), 16},
	{frames(strings.Repeat("z", 16), strings.Repeat("z", 17)), 16},
	{append(header(64*MiB), "a few bytes"...), 1024},
	{append(header(1<<28), 0, 0, 0, 0), 65535},
	{frames(strings.Repeat("w", 9000)), 9000},
}

// guarded runs check, giving up if it has not finished within a generous
// time: a reader that loops forever must fail the test, not hang it.
func guarded(check func() string) string {
	done := make(chan string, 1)
	go func() { done <- check() }()
	timer := time.NewTimer(4 * callLimit)
	defer timer.Stop()
	select {
	case msg := <-done:
		return msg
	case <-timer.C:
		return fmt.Sprintf("the check did not finish within %v: does ReadMessage loop forever when the stream ends or breaks?", 4*callLimit)
	}
}

// checkLine checks LineReader against lineModel on data, then the line
// round trip. It returns what went wrong, or "".
func checkLine(data []byte, limit int) string {
	if msg := checkStream(NewLineReader(bytes.NewReader(data), limit), lineModel(data, limit), len(data)); msg != "" {
		return "LineReader: " + msg
	}

	// The whole of data as one message: refused if it holds a newline.
	var buf bytes.Buffer
	err := tryWrite(NewLineWriter(&buf), data)
	if bytes.IndexByte(data, '\n') >= 0 {
		if !errors.Is(err, ErrEmbeddedNewline) {
			return fmt.Sprintf("LineWriter: WriteMessage of the whole stream, which holds a newline, returned %v, want ErrEmbeddedNewline", err)
		}
		if buf.Len() > 0 {
			return fmt.Sprintf("LineWriter: WriteMessage refused a message but still wrote %s", show(buf.Bytes()))
		}
	} else if err != nil || !bytes.Equal(buf.Bytes(), append(bytes.Clone(data), '\n')) {
		return fmt.Sprintf("LineWriter: WriteMessage of the whole stream, which holds no newline, returned %v and wrote %s, want the stream and \"\\n\"", err, show(buf.Bytes()))
	}

	// Each line of data as a message: written, they are data and a "\n";
	// read back with a limit of the longest, they are the same messages.
	buf.Reset()
	w := NewLineWriter(&buf)
	longest := 0
	for _, m := range bytes.Split(data, []byte("\n")) {
		longest = max(longest, len(m))
		if err := tryWrite(w, m); err != nil {
			return fmt.Sprintf("LineWriter: WriteMessage(%s) returned %v", show(m), err)
		}
	}
	want := append(bytes.Clone(data), '\n')
	if !bytes.Equal(buf.Bytes(), want) {
		return fmt.Sprintf("LineWriter: writing each line of the stream as a message wrote %s, want %s", show(buf.Bytes()), show(want))
	}
	if msg := checkStream(NewLineReader(bytes.NewReader(want), longest), lineModel(want, longest), len(want)); msg != "" {
		return "reading back what LineWriter wrote: " + msg
	}
	return ""
}

// checkLength checks LengthReader against lengthModel on data, then the
// length-prefixed round trip. It returns what went wrong, or "".
func checkLength(data []byte, limit int) string {
	if msg := checkStream(NewLengthReader(bytes.NewReader(data), limit), lengthModel(data, limit), len(data)); msg != "" {
		return "LengthReader: " + msg
	}

	// Pieces of data, cut at each 0xFF byte, as messages: written, they are
	// headers and pieces; read back with a limit of the longest, they are
	// the same messages.
	var buf bytes.Buffer
	w := NewLengthWriter(&buf)
	var want []byte
	longest := 0
	for _, m := range bytes.Split(data, []byte{0xFF}) {
		longest = max(longest, len(m))
		if err := tryWrite(w, m); err != nil {
			return fmt.Sprintf("LengthWriter: WriteMessage(%s) returned %v", show(m), err)
		}
		want = append(want, header(uint32(len(m)))...)
		want = append(want, m...)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		return fmt.Sprintf("LengthWriter: writing the pieces of the stream wrote %s, want %s", show(buf.Bytes()), show(want))
	}
	if msg := checkStream(NewLengthReader(bytes.NewReader(want), longest), lengthModel(want, longest), len(want)); msg != "" {
		return "reading back what LengthWriter wrote: " + msg
	}
	return ""
}

// tryWrite calls w.WriteMessage, turning a panic into an error.
func tryWrite(w MessageWriter, msg []byte) error {
	o := try(func() ([]byte, error) { return nil, w.WriteMessage(msg) })
	if o.panicked != nil {
		return fmt.Errorf("panic: %s", o.panicText(w))
	}
	return o.err
}

// kind is what one ReadMessage call should return.
type kind int

const (
	message       kind = iota // a message, and no error
	tooLarge                  // an error wrapping ErrTooLarge
	eof                       // io.EOF itself
	unexpectedEOF             // io.ErrUnexpectedEOF
)

// step is one ReadMessage call of a model.
type step struct {
	kind kind
	msg  []byte // for message
	size uint64 // for tooLarge: the message's length
}

func (s step) String() string {
	switch s.kind {
	case message:
		return show(s.msg)
	case tooLarge:
		return fmt.Sprintf("ErrTooLarge (%d bytes)", s.size)
	case eof:
		return "io.EOF"
	default:
		return "io.ErrUnexpectedEOF"
	}
}

// lineModel returns what a LineReader with this limit returns for data,
// call by call, up to the end of the stream.
func lineModel(data []byte, limit int) []step {
	limit = max(limit, 0)
	var steps []step
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			if len(data) == 0 {
				return append(steps, step{kind: eof})
			}
			return append(steps, step{kind: unexpectedEOF})
		}
		if i > limit {
			steps = append(steps, step{kind: tooLarge, size: uint64(i)})
		} else {
			steps = append(steps, step{kind: message, msg: data[:i]})
		}
		data = data[i+1:]
	}
}

// lengthModel returns what a LengthReader with this limit returns for
// data, call by call, up to the error that stops it.
func lengthModel(data []byte, limit int) []step {
	limit = max(limit, 0)
	var steps []step
	for {
		if len(data) == 0 {
			return append(steps, step{kind: eof})
		}
		if len(data) < HeaderSize {
			return append(steps, step{kind: unexpectedEOF})
		}
		n := uint64(binary.BigEndian.Uint32(data))
		data = data[HeaderSize:]
		if n > uint64(limit) {
			return append(steps, step{kind: tooLarge, size: n})
		}
		if uint64(len(data)) < n {
			return append(steps, step{kind: unexpectedEOF})
		}
		steps = append(steps, step{kind: message, msg: data[:n]})
		data = data[n:]
	}
}

// checkStream calls mr.ReadMessage once for each step of the model, and
// once more after the last (which must repeat the error that ended the
// stream), and checks that it did not allocate far more than the stream's
// size. It returns what went wrong, or "".
func checkStream(mr MessageReader, steps []step, size int) string {
	var problem string
	used := allocated(func() {
		for i, want := range steps {
			if p := compare(mr, want, try(mr.ReadMessage)); p != "" {
				problem = fmt.Sprintf("call %d: %s", i+1, p)
				return
			}
		}
		if p := compare(mr, steps[len(steps)-1], try(mr.ReadMessage)); p != "" {
			problem = fmt.Sprintf("call %d, after the error that ended the stream: that error is final, so the call should repeat it: %s", len(steps)+1, p)
		}
	})
	if problem != "" {
		return fmt.Sprintf("%s\nThe model's calls: %v", problem, steps)
	}
	if budget := uint64(MiB + 64*size); used > budget {
		return fmt.Sprintf("reading a %d-byte stream allocated %d bytes: check a length against the limit before allocating", size, used)
	}
	return ""
}

// compare says how got, what mr.ReadMessage returned, differs from what
// want promises, or "".
func compare(mr MessageReader, want step, got outcome) string {
	if got.panicked != nil {
		return fmt.Sprintf("ReadMessage panicked: %s\nWant %v", got.panicText(mr), want)
	}
	gotText := fmt.Sprintf("message %s", show(got.msg))
	if got.err != nil {
		gotText = fmt.Sprintf("error %v", got.err)
	}
	switch want.kind {
	case message:
		if got.err != nil || !bytes.Equal(got.msg, want.msg) {
			return fmt.Sprintf("want message %s, got %s", show(want.msg), gotText)
		}
	case tooLarge:
		if !errors.Is(got.err, ErrTooLarge) {
			return fmt.Sprintf("want an error wrapping ErrTooLarge for a %d-byte message, got %s", want.size, gotText)
		}
		if !strings.Contains(got.err.Error(), strconv.FormatUint(want.size, 10)) {
			return fmt.Sprintf("the error %q should give the message's size, %d bytes", got.err, want.size)
		}
	case eof:
		if got.err != io.EOF {
			return fmt.Sprintf("the stream ends here, between two messages: want io.EOF itself, got %s", gotText)
		}
	case unexpectedEOF:
		if !errors.Is(got.err, io.ErrUnexpectedEOF) {
			return fmt.Sprintf("the stream ends inside a message: want io.ErrUnexpectedEOF, got %s", gotText)
		}
	}
	return ""
}

// generator makes streams with everything a reader must cope with, the
// same ones on every run.
type generator struct{ r *rand.Rand }

func newGenerator(seed uint64) *generator {
	return &generator{r: rand.New(rand.NewPCG(seed, 8))}
}

// alphabet is what generated messages are made of: letters, the bytes of a
// Chinese character, '\r', a zero byte and a byte that is never UTF-8.
var alphabet = []byte("abcxyz {}\":\r\x00\xff\xe4\xbd\xa0")

func (g *generator) text(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return b
}

func (g *generator) noise() []byte {
	b := make([]byte, g.r.IntN(12))
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	return b
}

// limit is a small limit, now and then a negative one (which counts as 0).
func (g *generator) limit() int {
	if g.r.IntN(12) == 0 {
		return -1
	}
	return g.r.IntN(40)
}

// lineStream returns a newline-delimited stream and a limit: lines within
// the limit and over it, some longer than a bufio.Reader's buffer, empty
// lines, stray bytes, and now and then a last line cut off.
func (g *generator) lineStream() ([]byte, int) {
	limit := g.limit()
	var b []byte
	for n := g.r.IntN(8); n > 0; n-- {
		switch g.r.IntN(7) {
		case 0, 1:
			b = append(b, g.text(g.r.IntN(max(limit, 0)+1))...)
		case 2:
			b = append(b, g.text(max(limit, 0)+1+g.r.IntN(3*max(limit, 0)+10))...)
		case 3:
			if g.r.IntN(4) == 0 {
				b = append(b, g.text(4000+g.r.IntN(6000))...)
			}
		case 4:
			b = append(b, g.noise()...)
		case 5:
			b = append(b, '\r')
		}
		b = append(b, '\n')
	}
	if g.r.IntN(3) == 0 {
		b = append(b, g.text(1+g.r.IntN(50))...)
	}
	return b, limit
}

// lengthStream returns a length-prefixed stream and a limit: frames within
// the limit and over it, empty ones, cut-off ones and stray bytes.
func (g *generator) lengthStream() ([]byte, int) {
	limit := g.limit()
	var b []byte
	for n := g.r.IntN(6); n > 0; n-- {
		switch g.r.IntN(7) {
		case 0, 1, 2:
			b = append(b, frame(string(g.text(g.r.IntN(max(limit, 0)+1))))...)
		case 3:
			b = append(b, frame("")...)
		case 4:
			claim := max(limit, 0) + 1 + g.r.IntN(1000)
			b = append(b, header(uint32(claim))...)
			b = append(b, g.text(g.r.IntN(claim+1))...)
		case 5:
			m := frame(string(g.text(g.r.IntN(max(limit, 0) + 1))))
			b = append(b, m[:g.r.IntN(len(m))]...)
		case 6:
			b = append(b, g.noise()...)
		}
	}
	return b, limit
}
