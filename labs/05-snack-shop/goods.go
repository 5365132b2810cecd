// Package shop is the snack shop of article 003's exercise as a TCP server
// that many customers use at once. Each customer connects, reads the menu,
// buys snacks with the money they walked in with, asks for their balance and
// says goodbye; the stock on the shelf is shared by all of them.
//
// You write shop.go (what every customer shares) and customer.go (one
// customer's visit). This file and replies.go are given: the goods and their
// prices, money in fen, the shelf, and the exact text of every reply.
package shop

import (
	"fmt"
	"net"
	"time"
)

// Fen is an amount of money in fen, the smallest unit of the yuan: 100 fen
// make 1 yuan. Money is counted in whole fen, an integer, never in floating
// point: 0.1 + 0.2 is not 0.3 in a float64 (chapter 5 shows why).
type Fen int64

// String formats f in yuan with two decimals: Fen(450) is "4.50" and
// Fen(-200) is "-2.00".
func (f Fen) String() string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	return fmt.Sprintf("%s%d.%02d", sign, f/100, f%100)
}

// Item is one kind of snack.
type Item struct {
	Name  string // its name in Chinese, "西瓜"; the shop's replies always use it
	Alias string // its English name, which customers may type in any case: "melon"
	Price Fen    // the price of one
	Stock int    // how many there are when the shop opens
}

// Goods is what the shop sells, in menu order: the article's three snacks at
// the article's prices (4.5, 2 and 2.5 yuan), counted in fen.
var Goods = []Item{
	{Name: "瓜子", Alias: "sunflower-seeds", Price: 450, Stock: 5},
	{Name: "西瓜", Alias: "melon", Price: 200, Stock: 5},
	{Name: "矿泉水", Alias: "water", Price: 250, Stock: 5},
}

// StartingBalance is the money every customer walks in with: 10 yuan.
const StartingBalance Fen = 1000

// Shelf holds the stock: how many of each item are left, by the item's
// Name. The whole shop shares one shelf.
//
// A Shelf is NOT safe for concurrent use, just like a map or a slice: two
// goroutines must never call its methods at the same time. And even one
// call at a time is not enough to sell the last melon only once: "is there
// one left?" and "take it" must happen together, with no other customer in
// between. Guarding the shelf is the shop's job (yours).
type Shelf interface {
	// Left returns how many of the named item are left (0 for a name the
	// shelf does not know).
	Left(name string) int
	// Take removes one of the named item. It does not check: taking from
	// an empty shelf makes the count negative, as a careless shop would.
	Take(name string)
}

// NewShelf returns a shelf stocked with Stock of each of goods.
func NewShelf(goods []Item) Shelf {
	s := &shelf{}
	for _, it := range goods {
		s.names = append(s.names, it.Name)
		s.left = append(s.left, it.Stock)
	}
	return s
}

// shelf is a Shelf kept in two slices: names[i] has left[i] left.
type shelf struct {
	names []string
	left  []int
}

func (s *shelf) Left(name string) int {
	for i, n := range s.names {
		if n == name {
			return s.left[i]
		}
	}
	return 0
}

func (s *shelf) Take(name string) {
	for i, n := range s.names {
		if n == name {
			s.left[i]--
			return
		}
	}
}

// MinBackoff and MaxBackoff bound how long Shop.Serve waits after an Accept
// error it can outlive, such as "too many open files", before it calls
// Accept again: MinBackoff after the first error, twice as long after each
// further one in a row, never more than MaxBackoff, and MinBackoff again
// after an Accept that succeeds (chapter 3, "Errors Accept can outlive").
const (
	MinBackoff = 5 * time.Millisecond
	MaxBackoff = 1 * time.Second
)

// Serve runs the snack shop on ln, with a fresh shelf of Goods, until ln is
// closed. It is the server that the tests' scripted sessions and netbook
// start.
func Serve(ln net.Listener) error {
	return NewShop(NewShelf(Goods)).Serve(ln)
}
