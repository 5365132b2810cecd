package chatproto

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Encode's bytes are the protocol: every implementation must send exactly
// these, so they are spelled out here byte for byte.
func TestEncode(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"login", Login{Type: TypeLogin, Nickname: "alice"},
			`{"type":"login","nickname":"alice"}` + "\n"},
		{"broadcast, fields in struct order", Broadcast{Type: TypeBroadcast, SenderID: 1, Message: "hi"},
			`{"type":"broadcast","sender_id":1,"message":"hi"}` + "\n"},
		{"login reply", LoginReply{ID: 1},
			`{"id":1}` + "\n"},
		{"message", Message{SenderID: 1, SenderNickname: "alice", Message: "hi"},
			`{"sender_id":1,"sender_nickname":"alice","message":"hi"}` + "\n"},
		{"no HTML escaping", Message{SenderID: 2, SenderNickname: "bob", Message: "<b>bold</b> & 你好"},
			`{"sender_id":2,"sender_nickname":"bob","message":"<b>bold</b> & 你好"}` + "\n"},
		{"a newline in a message stays on one line", Message{SenderID: 2, SenderNickname: "bob", Message: "two\nlines \"quoted\""},
			`{"sender_id":2,"sender_nickname":"bob","message":"two\nlines \"quoted\""}` + "\n"},
		{"a request leaves out its absent fields", Request{Type: TypeLogin, Nickname: "carol"},
			`{"type":"login","nickname":"carol"}` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Encode(tc.v)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
		})
	}

	_, err := Encode(func() {})
	assert.Error(t, err, "a value JSON cannot hold")
}

// What System says.
func TestAnnouncements(t *testing.T) {
	assert.Equal(t, "alice (1) joined the room", JoinedText(1, "alice"))
	assert.Equal(t, "bob (12) left the room", LeftText(12, "bob"))
	assert.Equal(t, Message{SenderID: 0, SenderNickname: "System", Message: "hello"}, Announcement("hello"))
	assert.Equal(t, Message{SenderID: 0, SenderNickname: "System", Message: "error: log in first"}, ErrorMessage("log in first"))

	line, err := Encode(Announcement(JoinedText(2, "bob")))
	require.NoError(t, err)
	assert.Equal(t, `{"sender_id":0,"sender_nickname":"System","message":"bob (2) joined the room"}`+"\n", string(line))
}

// The article's client writes its requests with spaces and no newline; a
// Request decodes them, and any request, alike.
func TestRequestDecodesTheArticlesRequests(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Request
	}{
		{`{"type": "login", "nickname": "zhangsan"}`, Request{Type: TypeLogin, Nickname: "zhangsan"}},
		{`{"type": "broadcast", "sender_id": 1, "message": "hi"}`, Request{Type: TypeBroadcast, SenderID: 1, Message: "hi"}},
		{`{"type":"ping"}`, Request{Type: "ping"}},
	} {
		var got Request
		require.NoError(t, json.Unmarshal([]byte(tc.in), &got), tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}
