package chat

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/netbook/netbook/labs/chatproto"
)

// Client is one connection to a chat server.
type Client struct {
	conn net.Conn
	sc   *bufio.Scanner         // the server's messages, framed by Split
	msgs chan chatproto.Message // what the reader goroutine receives after Login

	mu sync.Mutex // guards id and the writes: Send may be called from several goroutines
	id int        // 0 until Login succeeds

	done      chan struct{} // closed by Close, to stop the reader
	closeOnce sync.Once
	reading   chan struct{} // closed when the reader goroutine returns; nil if it never started
}

// Dial connects to the chat server at addr (host:port) within Timeout.
// The client is not logged in yet: call Login.
func Dial(addr string) (*Client, error) {
	conn, err := net.DialTimeout("tcp", addr, Timeout)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 4096), MaxMessage)
	sc.Split(Split)
	return &Client{conn: conn, sc: sc, msgs: make(chan chatproto.Message, 64), done: make(chan struct{})}, nil
}

// Login sends {"type":"login","nickname":...}, waits up to Timeout for the
// server's reply and returns the id it gives. If the server answers with an
// error message instead, Login returns an error that contains its text.
// After a successful Login, what others say arrives on Messages.
func (c *Client) Login(nickname string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.id != 0 {
		return 0, fmt.Errorf("already logged in with id %d", c.id)
	}
	if err := c.write(chatproto.Login{Type: chatproto.TypeLogin, Nickname: nickname}); err != nil {
		return 0, fmt.Errorf("login: %w", err)
	}

	if !c.sc.Scan() {
		err := c.sc.Err()
		if err == nil {
			err = errors.New("the server closed the connection")
		}
		return 0, fmt.Errorf("login: waiting for the reply: %w", err)
	}

	// The reply is {"id":N}, or an error message from System. Decode into
	// a struct that can hold either, and look at which fields were there:
	// an id of 0 would be a valid number, so test for presence, not zero.
	var reply struct {
		ID      *int    `json:"id"`
		Message *string `json:"message"`
	}
	if err := json.Unmarshal(c.sc.Bytes(), &reply); err != nil {
		return 0, fmt.Errorf("login: the reply %q is not JSON: %w", c.sc.Bytes(), err)
	}
	switch {
	case reply.ID != nil && *reply.ID > 0:
		c.id = *reply.ID
	case reply.Message != nil:
		return 0, fmt.Errorf("login refused: %s", *reply.Message)
	default:
		return 0, fmt.Errorf("login: unexpected reply %s", c.sc.Bytes())
	}

	c.reading = make(chan struct{})
	go c.read()
	return c.id, nil
}

// read delivers the server's messages on c.msgs until the connection ends
// or Close is called, then closes c.msgs.
func (c *Client) read() {
	defer close(c.reading)
	defer close(c.msgs)
	for c.sc.Scan() {
		var m chatproto.Message
		if err := json.Unmarshal(c.sc.Bytes(), &m); err != nil {
			continue // not a message we understand: skip it, keep the stream
		}
		select {
		case c.msgs <- m:
		case <-c.done:
			return
		}
	}
}

// Send says message to the room: {"type":"broadcast","sender_id":ID,"message":...}.
// It fails if the client has not logged in. It may be called from several
// goroutines at once.
func (c *Client) Send(message string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.id == 0 {
		return errors.New("send: log in first")
	}
	if err := c.write(chatproto.Broadcast{Type: chatproto.TypeBroadcast, SenderID: c.id, Message: message}); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}

// write sends v as one line within Timeout. The caller holds c.mu.
func (c *Client) write(v any) error {
	line, err := chatproto.Encode(v)
	if err != nil {
		return err
	}
	c.conn.SetWriteDeadline(time.Now().Add(Timeout))
	_, err = c.conn.Write(line)
	return err
}

// Messages returns the channel on which the messages others send arrive,
// announcements and error replies included, in the order the server sent
// them. It is closed when the connection ends: the server closed it, or
// Close was called.
func (c *Client) Messages() <-chan chatproto.Message {
	return c.msgs
}

// Close hangs up and waits for the reading goroutine to finish; Messages is
// closed by the time it returns. Closing twice does nothing.
func (c *Client) Close() error {
	var err error
	c.closeOnce.Do(func() {
		close(c.done)
		err = c.conn.Close()
		c.mu.Lock()
		reading := c.reading
		c.mu.Unlock()
		if reading != nil {
			<-reading
		} else {
			close(c.msgs) // Login never started the reader
		}
	})
	return err
}
