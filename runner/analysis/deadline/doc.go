// Package deadline defines an Analyzer that finds blocking network calls
// with no deadline where the code has a time limit to keep.
//
// # Analyzer deadline
//
// deadline: a read or write with no deadline where there is a time limit to keep
//
// A Read on a connection waits until the peer sends something; a Write
// waits, once the socket's buffers are full, until the peer reads. Neither
// has a time limit of its own, and net.Dial waits as long as the operating
// system lets it (minutes). A peer that stalls, a server that accepts and
// never answers, a client that stops reading: each holds such a call for
// ever. On loopback the tests' peers are prompt, so nothing shows.
//
// A deadline is a moment in time after which every blocked call on the
// connection fails with a timeout (errors.Is(err, os.ErrDeadlineExceeded)):
//
//	deadline := time.Now().Add(timeout)          // once, for the whole exchange
//	conn, err := net.DialTimeout("tcp", addr, timeout)
//	...
//	if err := conn.SetDeadline(deadline); err != nil { ... }
//
// The analyzer speaks where the code has a time limit to keep:
//
//   - A function that takes a time limit (a time.Duration or time.Time
//     named like one: Fetch(addr, timeout)), or whose receiver has a
//     ...Timeout field (Client.Timeout),
//     or that its lab says must give up in time: a net.Dial in it (use
//     net.DialTimeout), reads from a connection with no SetDeadline or
//     SetReadDeadline anywhere in it, and a deadline set again inside a
//     loop of reads (a server that trickles a byte now and then keeps
//     pushing it back; set it once, before the loop), or in the Read
//     method of a type the function wraps the connection in (an idle
//     timeout per Read, which a trickle pushes back the same way).
//   - A server whose lab drops idle clients: a read in the code that serves
//     one connection with no read deadline set before it in that function.
//   - Code whose lab bounds every write (a chat room must not wait for a
//     client that stopped reading): a write to a connection with no write
//     deadline set before it.
//
// It says nothing about reads in a server whose clients may stay quiet as
// long as they like (lab 03's hello server), nor about Accept, which the
// labs stop by closing the listener.
package deadline
