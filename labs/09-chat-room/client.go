package chat

import (
	"errors"

	"github.com/netbook/netbook/labs/chatproto"
)

// Client is one connection to a chat server. Tasks 3 and 4 test it against
// a server the tests play; task 12 tests it against your Serve, through a
// network that cuts and joins the bytes.
type Client struct {
	// TODO: the connection, a bufio.Scanner that reads it with Split, the
	// channel Messages returns, the id Login got, and whatever Close needs
	// to stop the goroutine that reads.
}

// Dial connects to the chat server at addr (host:port) within Timeout.
// The client is not logged in yet: call Login.
func Dial(addr string) (*Client, error) {
	// TODO: net.DialTimeout; set up the scanner (sc.Split(Split),
	// sc.Buffer(..., MaxMessage)) and the Messages channel. Task 3.
	return nil, errors.New("TODO: implement Dial (task 3)")
}

// Login sends {"type":"login","nickname":...}, waits up to Timeout for the
// server's reply and returns the id it gives. If the server answers with an
// error message instead, Login returns an error that contains its text.
// After a successful Login, what others say arrives on Messages.
func (c *Client) Login(nickname string) (int, error) {
	// TODO: write chatproto.Encode(chatproto.Login{...}); set a read
	// deadline; scan one message; tell {"id":N} from an error message by
	// which fields are present; then start the goroutine that feeds
	// Messages. Task 3.
	return 0, errors.New("TODO: implement Login (task 3)")
}

// Send says message to the room: {"type":"broadcast","sender_id":ID,"message":...}.
// It fails if the client has not logged in. It may be called from several
// goroutines at once.
func (c *Client) Send(message string) error {
	// TODO: write chatproto.Encode(chatproto.Broadcast{...}) with a write
	// deadline. Task 4.
	return errors.New("TODO: implement Send (task 4)")
}

// Messages returns the channel on which the messages others send arrive,
// announcements and error replies included, in the order the server sent
// them. It is closed when the connection ends: the server closed it, or
// Close was called.
func (c *Client) Messages() <-chan chatproto.Message {
	// TODO: task 4.
	return nil
}

// Close hangs up and waits for the reading goroutine to finish; Messages is
// closed by the time it returns. Closing twice does nothing.
func (c *Client) Close() error {
	// TODO: task 4.
	return errors.New("TODO: implement Close (task 4)")
}
