package shop

import (
	"errors"
	"net"
)

// Shop is the snack shop: what every customer shares. That is the shelf, and
// whatever keeps two customers from using it at the same time. A customer's
// money is theirs alone: it does not belong here (see serveCustomer).
type Shop struct {
	shelf Shelf
	// TODO (tasks 7 and 8): add what guards the shelf: one sync.Mutex that
	// every connection shares. (Or, if you prefer, a goroutine that alone
	// owns the shelf and takes requests on a channel: then Serve must stop
	// it.)
}

// NewShop returns a shop that sells Goods from shelf. The tests give it
// shelves of their own, so use this one: do not make another.
func NewShop(shelf Shelf) *Shop {
	return &Shop{shelf: shelf}
}

// Serve accepts customers on ln until ln is closed, serves each one in a
// goroutine of their own (serveCustomer), and returns nil once ln is closed.
// Several customers can be in the shop at once: while one of them thinks,
// the others are served.
//
// Any other Accept error, such as "too many open files", is one the shop
// can outlive: descriptors come back as customers leave. Serve logs it,
// waits (MinBackoff after the first error in a row, doubling after each
// further one, at most MaxBackoff, and MinBackoff again once an Accept has
// succeeded) and calls Accept again. Returning would close the shop on
// every customer inside; retrying at once would spin.
func (s *Shop) Serve(ln net.Listener) error {
	// TODO (task 1): loop: conn, err := ln.Accept(). When the listener has
	// been closed, errors.Is(err, net.ErrClosed) is true: return nil.
	// Otherwise serve the customer in a goroutine of their own,
	// go s.serveCustomer(conn), so that the loop is back at Accept at once
	// for the next customer (task 5 checks it). Task 9: any other Accept
	// error is not the end of the shop: log it, time.Sleep a delay that
	// doubles while the errors go on (MinBackoff to MaxBackoff), continue;
	// set the delay back once a customer is let in.
	return errors.New("TODO: implement Shop.Serve (task 1)")
}

// find returns the item that word names: its Chinese Name exactly ("西瓜"),
// or its English Alias in any case ("melon", "Melon", "MELON"), from Goods.
func find(word string) (Item, bool) {
	// TODO (task 2): loop over Goods; strings.EqualFold compares ignoring case.
	return Item{}, false
}

// menu returns the whole menu reply: MenuHeader(len(Goods)), then
// MenuItem(it, left) for each item of Goods in order, with how many are
// left on the shelf right now.
func (s *Shop) menu() string {
	// TODO (task 1): build the text with a strings.Builder; s.shelf.Left
	// says how many are left. (Tasks 7 and 8: reading the shelf needs the
	// lock too.)
	return ""
}

// buy sells one of the item that word names to a customer who has balance.
// It returns the reply line and the customer's balance after it: balance
// less the price when the sale goes through, balance otherwise. In order:
//
//   - an item that find does not know: NoSuchItem(word)
//   - none left on the shelf: SoldOut(it)
//   - the price is more than balance: TooDear(it, balance)
//   - otherwise take one off the shelf: Bought(it, balance - it.Price)
func (s *Shop) buy(word string, balance Fen) (reply string, after Fen) {
	// TODO (task 2): find, then check the shelf (s.shelf.Left), then the
	// money, then s.shelf.Take. Tasks 7 and 8: from "is one left?" to
	// "take it", no other customer may touch the shelf: hold one lock
	// across both.
	return "", balance
}
