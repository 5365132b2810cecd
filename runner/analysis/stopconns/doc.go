// Package stopconns defines an Analyzer that finds goroutines started per
// connection that a server cannot stop, or does not wait for, when it
// stops.
//
// # Analyzer stopconns
//
// stopconns: a goroutine per connection with no way to stop it on shutdown
//
// A server that starts a goroutine for each client has to answer two
// questions when it stops: how do those goroutines learn that it is over,
// and when are they done? A goroutine blocked reading its client's next
// line will not notice that the listener was closed; it stops when its
// connection is closed, which the server can do only if it kept the
// connection somewhere. And a Serve that returns while handlers still run
// leaves them writing to clients, touching shared state and holding
// sockets after the server is "stopped": the test that checks the
// shutdown, or the program that exits, sees the leftovers.
//
// The usual fix has three parts: keep every connection in a map guarded
// by the server's mutex (add it after Accept, delete it when its handler
// ends); on shutdown, close them all, which ends every blocked read; and
// count the handlers with a sync.WaitGroup (wg.Go(func() { handle(conn) }),
// or wg.Add(1) before go and defer wg.Done() inside), then wg.Wait()
// before Serve or Shutdown returns. Passing a context.Context or a done
// channel that the handler watches is another way to tell it to stop.
//
// This is a contract, not a law: lab 03's brief says that Serve returns at
// once and leaves running conversations alone, and there the analyzer is
// silent. It speaks where the lab asks for a clean shutdown (labs 09 and
// 10), and for any server type with a Shutdown method or any accept loop
// that takes a context.Context.
package stopconns
