package shop

import (
	"errors"
	"log"
	"net"
	"strings"
	"sync"
)

// Shop is the snack shop: what every customer shares. That is only the
// shelf; a customer's money is theirs alone and lives in their own
// goroutine (see serveCustomer).
type Shop struct {
	// mu guards shelf. Every Left and Take happens with mu held, and a sale
	// holds it from "is there one left?" to "take it", so no other customer
	// can buy the same last melon in between. One mutex for the whole shop,
	// shared by every connection: a mutex per connection would guard nothing.
	mu    sync.Mutex
	shelf Shelf
}

// NewShop returns a shop that sells Goods from shelf.
func NewShop(shelf Shelf) *Shop {
	return &Shop{shelf: shelf}
}

// Serve accepts customers on ln until ln is closed, serves each one in a
// goroutine of its own, and returns nil once ln is closed. Any other Accept
// error, such as "too many open files", it outlives: it logs it, waits
// (from MinBackoff, doubling, to MaxBackoff) and tries again.
func (s *Shop) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			// Out of descriptors, say: they come back as customers leave.
			// Returning would close the shop on everyone inside.
			log.Printf("shop: accept: %v; retrying", err)
			continue // try again at once: the error may be gone already
		}
		// One goroutine per customer: while this one waits for its
		// customer to type, the loop goes back to Accept for the next.
		go s.serveCustomer(conn)
	}
}

// find returns the item that word names: its Chinese Name exactly, or its
// English Alias in any case.
func find(word string) (Item, bool) {
	for _, it := range Goods {
		if word == it.Name || strings.EqualFold(word, it.Alias) {
			return it, true
		}
	}
	return Item{}, false
}

// menu returns the whole menu reply: the header, then one line per item of
// Goods with how many are left right now.
func (s *Shop) menu() string {
	var b strings.Builder
	b.WriteString(MenuHeader(len(Goods)))
	// Reading the shelf needs the lock too: a Left that runs while another
	// customer's Take runs is a data race, even though it only reads.
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range Goods {
		b.WriteString(MenuItem(it, s.shelf.Left(it.Name)))
	}
	return b.String()
}

// buy sells one of the item that word names to a customer who has balance.
// It returns the reply line and the customer's balance after it, which is
// balance less the price when the sale goes through and balance otherwise.
// The refusals come in this order: an item the shop does not sell, an item
// that is sold out, an item the customer cannot afford.
func (s *Shop) buy(word string, balance Fen) (reply string, after Fen) {
	it, ok := find(word)
	if !ok {
		return NoSuchItem(word), balance // Goods never changes: no lock needed
	}

	// Check and take under one lock: between Left saying "1 left" and
	// Take, no other customer may look at the shelf.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shelf.Left(it.Name) <= 0 {
		return SoldOut(it), balance
	}
	if balance < it.Price {
		return TooDear(it, balance), balance
	}
	s.shelf.Take(it.Name)
	balance -= it.Price
	return Bought(it, balance), balance
}
