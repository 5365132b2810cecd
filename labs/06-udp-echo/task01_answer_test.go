package udpecho

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// show quotes s for a message, cutting a long one short.
func show(s string) string {
	if len(s) <= 60 {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%.40q... (%d bytes)", s, len(s)) // %.40q: the first 40 characters
}

// answer calls Answer, turning a panic into a failure that says which
// request caused it (a panic would stop every later test too).
func answer(t *testing.T, request string) (reply string) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Answer(%s) panicked: %v\nEvery datagram, however short or strange, must get a reply.", show(request), p)
		}
	}()
	out := Answer([]byte(request))
	require.NotNil(t, out, "Answer(%s) returned nil; every request gets a reply", show(request))
	return string(out)
}

// Answer ECHO, UPPER and ADD requests, with the request's id.
func TestTask1AnswerVerbs(t *testing.T) {
	big := strings.Repeat("z", MaxDatagram-len("1 ECHO "))
	for _, tc := range []struct{ request, want string }{
		{"7 ECHO hello, 世界", "7 OK hello, 世界"},
		{"8 UPPER hello", "8 OK HELLO"},
		{"9 ADD 40 2 -1", "9 OK 41"},
		{"10 ECHO", "10 OK"},
		{"11 ECHO ", "11 OK"},
		{"x1 ECHO  two  spaces, kept ", "x1 OK  two  spaces, kept "},
		{"Q ECHO line one\nline two", "Q OK line one\nline two"},
		{"ECHO ECHO ECHO", "ECHO OK ECHO"},
		{"12 UPPER héllo wörld, 你好", "12 OK HÉLLO WÖRLD, 你好"},
		{"13 ADD 5", "13 OK 5"},
		{"14 ADD -9223372036854775808", "14 OK -9223372036854775808"},
		{"15 ADD 9223372036854775807 -1 1", "15 OK 9223372036854775807"},
		{"abcdefghij0123456789 ADD 0", "abcdefghij0123456789 OK 0"},
		{"1 ECHO " + big, "1 OK " + big},
	} {
		got := answer(t, tc.request)
		require.Equal(t, tc.want, got, "Answer(%s) = %s, want %s", show(tc.request), show(got), show(tc.want))
	}

	// A reply of exactly MaxDatagram bytes still fits in a datagram: the
	// limit is "longer than MaxDatagram", not "as long as".
	request, want := fullReply(0)
	got := answer(t, request)
	require.Equal(t, MaxDatagram, len(want), "the test's own reply should be MaxDatagram bytes")
	require.Equal(t, want, got,
		"Answer(%s) = %s, want %s: the reply takes exactly MaxDatagram (%d) bytes, which one datagram holds. "+
			"Refuse a reply only when it is longer than MaxDatagram (len(reply) > MaxDatagram)",
		show(request), show(got), show(want), MaxDatagram)
}

// fullReply returns an UPPER request of at most MaxDatagram bytes whose
// reply takes MaxDatagram+extra bytes (ɐ takes two bytes, Ɐ three), and
// that reply.
func fullReply(extra int) (request, reply string) {
	const grow = 10 // letters that grow by a byte in upper case
	pad := MaxDatagram + extra - len("1 OK ") - 3*grow
	request = "1 UPPER " + strings.Repeat("ɐ", grow) + strings.Repeat("a", pad)
	reply = "1 OK " + strings.Repeat("Ɐ", grow) + strings.Repeat("A", pad)
	return request, reply
}

// Answer every malformed request with an error reply, never silence.
func TestTask2AnswerErrors(t *testing.T) {
	for _, tc := range []struct{ request, prefix, why string }{
		{"", "? ERR ", "an empty datagram has no id: reply with \"?\" in its place"},
		{" 7 ECHO hi", "? ERR ", "a request that starts with a space has an empty id"},
		{"?", "? ERR ", "\"?\" is not an id: ids are ASCII letters and digits"},
		{"7-1 ECHO hi", "? ERR ", "an id holds ASCII letters and digits only"},
		{"é ECHO hi", "? ERR ", "an id holds ASCII letters and digits only"},
		{"\xff\xfe ECHO hi", "? ERR ", "bytes that are not text are not an id"},
		{"abcdefghij0123456789K ECHO hi", "? ERR ", "an id is at most MaxID (20) bytes"},
		{"7", "7 ERR ", "the request has an id but no verb"},
		{"7 ", "7 ERR ", "the request has an id but an empty verb"},
		{"7 FETCH index.html", "7 ERR ", "FETCH is not a verb of the protocol"},
		{"7 echo hi", "7 ERR ", "verbs are upper case: echo is unknown"},
		{"7 ECHOhi", "7 ERR ", "the verb is ECHOhi, which is unknown"},
		{"7 ADD", "7 ERR ", "ADD needs at least one number"},
		{"7 ADD ", "7 ERR ", "ADD needs at least one number"},
		{"7 ADD 1 two", "7 ERR ", "two is not an integer"},
		{"7 ADD 1.5", "7 ERR ", "1.5 is not an integer"},
		{"7 ADD 99999999999999999999", "7 ERR ", "the number does not fit in an int64"},
		{"7 ADD 9223372036854775807 1", "7 ERR ", "the sum overflows int64: check before you add"},
		{"7 ADD -9223372036854775808 -1", "7 ERR ", "the sum overflows int64 downwards"},
		{"7 ECHO \xff\xfe", "7 ERR ", "the request is not valid UTF-8 text"},
		{"7 EC\xffHO hi", "7 ERR ", "the request is not valid UTF-8 text, in its verb as much as in its text"},
		{"7 ADD 1 \xff", "7 ERR ", "the request is not valid UTF-8 text, in its numbers as much as in its text"},
		{"7 UPPER " + strings.Repeat("ɐ", 30000), "7 ERR ",
			"in upper case this text grows from 60000 to 90000 bytes, more than a datagram holds (MaxDatagram)"},
		{func() string { r, _ := fullReply(1); return "7" + r[1:] }(), "7 ERR ",
			"in upper case the reply would take MaxDatagram+1 bytes, one more than a datagram holds"},
	} {
		got := answer(t, tc.request)
		require.True(t, strings.HasPrefix(got, tc.prefix),
			"Answer(%s) = %s, want a reply that starts with %q: %s", show(tc.request), show(got), tc.prefix, tc.why)
		require.NotEmpty(t, strings.TrimSpace(strings.TrimPrefix(got, tc.prefix)),
			"Answer(%s) = %s: after %q, say what is wrong", show(tc.request), show(got), tc.prefix)
		require.LessOrEqual(t, len(got), MaxDatagram,
			"Answer(%s) returned %d bytes, more than one datagram holds (MaxDatagram, %d)", show(tc.request), len(got), MaxDatagram)
		assert.True(t, utf8.ValidString(got), "Answer(%s) = %s, which is not valid UTF-8; replies are text. "+
			"Check the whole request with utf8.Valid before you look at its verb, so that no bad byte reaches a reply", show(tc.request), show(got))
	}
}
