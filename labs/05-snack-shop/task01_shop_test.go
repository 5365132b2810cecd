package shop

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session/sessiontest"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// Greet each customer, show the menu, and answer an unknown command with ERR.
func TestTask1WelcomeAndMenu(t *testing.T) {
	srv := nettest.Start(t, Serve)
	c := enter(t, srv, "the customer")

	askMenu(t, c, "the customer", "menu\n", 5, 5, 5)
	// Typed by hand in a terminal: spaces, any case, and "\r\n" line ends.
	askMenu(t, c, "the customer", "  MeNu \r\n", 5, 5, 5)

	ask(t, c, "the customer", "dance\n", UnknownCommand("dance"),
		"A line that is no command gets UnknownCommand(line), and the customer stays in the shop.")
	ask(t, c, "the customer", "menu please\n", UnknownCommand("menu please"),
		"menu takes nothing after it: the whole line is the unknown command.")
	askMenu(t, c, "the customer", "menu\n", 5, 5, 5)
}

// Buy by Chinese name or English alias; refuse an unknown item, a sold-out one and one the customer cannot afford.
func TestTask2Buy(t *testing.T) {
	srv := open(t, NewShelf(stocked(map[string]int{"西瓜": 1}))) // one melon, five of the rest
	c := enter(t, srv, "the customer")
	const who = "the customer"

	ask(t, c, who, "buy 西瓜\n", Bought(melon, 800),
		"They bought the only melon with 10.00 yuan: 2.00 yuan paid, 8.00 left.")
	ask(t, c, who, "buy MELON\n", SoldOut(melon),
		"MELON is the alias of 西瓜 (aliases are understood in any case), and the shop had only 1.")
	ask(t, c, who, "buy 红牛\n", NoSuchItem("红牛"),
		"The shop does not sell 红牛 (Red Bull), as in the article.")
	ask(t, c, who, "buy Sunflower-Seeds\n", Bought(seeds, 350),
		"Sunflower-Seeds is 瓜子 at 4.50 yuan; they had 8.00.")
	ask(t, c, who, "buy 瓜子\n", TooDear(seeds, 350),
		"瓜子 costs 4.50 yuan and they have 3.50 left: not enough money. The balance never goes below zero.")
	ask(t, c, who, "buy water please\n", NoSuchItem("water please"),
		"The item is the whole rest of the line after buy, trimmed, not only its next word: the shop sells no \"water please\", so it sells nothing.")
	ask(t, c, who, "\t BUY   water \r\n", Bought(water, 100),
		"Spaces and tabs around the line and between buy and its item do not matter, nor does the case of buy.")
	ask(t, c, who, "buy\n", BuyWhat, "buy with no item after it gets BuyWhat.")
	ask(t, c, who, "buyer melon\n", UnknownCommand("buyer melon"),
		"The command is the whole first word: \"buyer\" is not buy, so the line is no command at all (and no melon is sold).")
	ask(t, c, who, "buymelon\n", UnknownCommand("buymelon"),
		"buy and its item are separated by a space or a tab: \"buymelon\" is one word, and no command.")
	ask(t, c, who, "buy melon\n", SoldOut(melon),
		"The melons are sold out and they could not afford one either (1.00 left): sold out comes first.")
	askMenu(t, c, who, "menu\n", 4, 0, 4)

	// Exactly enough money is enough: four waters at 2.50 are the 10.00
	// yuan a customer walks in with.
	const next = "the next customer"
	c = enter(t, srv, next)
	for _, after := range []Fen{750, 500, 250} {
		ask(t, c, next, "buy water\n", Bought(water, after), "They have 10.00 yuan of their own, and water costs 2.50.")
	}
	ask(t, c, next, "buy water\n", Bought(water, 0),
		"Water costs 2.50 yuan and they have exactly 2.50: that is enough, and leaves 0.00. Refuse only a price above the balance (balance < price).")
	askMenu(t, c, next, "menu\n", 4, 0, 0)
}

// Tell each customer their own balance: money is per customer, stock is shared.
func TestTask3Balance(t *testing.T) {
	srv := nettest.Start(t, Serve)
	first := enter(t, srv, "customer 1")
	ask(t, first, "customer 1", "balance\n", BalanceIs(1000), "Every customer walks in with StartingBalance.")
	ask(t, first, "customer 1", "buy melon\n", Bought(melon, 800), "")
	ask(t, first, "customer 1", "BALANCE\n", BalanceIs(800),
		"After paying 2.00 of their 10.00 yuan, 8.00 are left (commands are understood in any case).")
	ask(t, first, "customer 1", "buy water\n", Bought(water, 550), "")
	ask(t, first, "customer 1", " balance \r\n", BalanceIs(550), "")
	first.Close() // customer 1 walks out

	second := enter(t, srv, "customer 2, who came in after customer 1 left,")
	ask(t, second, "customer 2", "balance\n", BalanceIs(1000),
		"Customer 2 walked in with their own 10.00 yuan, not with what customer 1 had left: "+
			"keep the balance in a local variable of serveCustomer, not in the Shop that all customers share.")
	ask(t, second, "customer 2", "buy water\n", Bought(water, 750), "")
	askMenu(t, second, "customer 2", "menu\n", 5, 4, 3) // the stock, though, is shared

	// Two customers in the shop at the same time: one spends, the other's
	// money does not move.
	third := srv.Dial(t)
	require.Equal(t, Welcome(StartingBalance), third.Line(t, "the greeting of customer 3, while customer 2 is still in the shop "+oneAtATime),
		"customer 3 connected; the first line the shop sends must be Welcome(StartingBalance)")
	ask(t, second, "customer 2", "balance\n", BalanceIs(750),
		"Customer 3 came in while customer 2 was shopping; customer 2's money is still their own: "+
			"a balance kept in the Shop (and set back to 10.00 for each newcomer) belongs to everybody.")
	ask(t, third, "customer 3", "buy sunflower-seeds\n", Bought(seeds, 550), "")
	ask(t, second, "customer 2", "balance\n", BalanceIs(750),
		"Customer 3 paid 4.50 yuan from their own 10.00; customer 2's balance must not move: "+
			"keep the balance in a local variable of serveCustomer, one per customer.")
	ask(t, third, "customer 3", "balance\n", BalanceIs(550), "")
}

// Say goodbye and close; a customer who leaves without a word must not harm the shop.
func TestTask4Bye(t *testing.T) {
	before := goleak.IgnoreCurrent()
	srv := nettest.Start(t, Serve)

	for i, bye := range []string{"bye\n", "拜拜\n", "  BYE\r\n"} {
		who := fmt.Sprintf("customer %d", i+1)
		c := enter(t, srv, who)
		leave(t, c, who, bye)
	}

	// Customer 4 buys a melon and walks out: they close their sending side
	// and keep listening. The shop sees the end of their lines (EOF), and
	// should close the connection, without a goodbye.
	walker := enter(t, srv, "customer 4")
	ask(t, walker, "customer 4", "buy melon\n", Bought(melon, 800), "")
	require.NoError(t, walker.Conn.(*net.TCPConn).CloseWrite())
	walker.EOF(t, "customer 4 closed their side without saying bye; when Scan returns false, serveCustomer should "+
		"return and close the connection (defer conn.Close())")

	// Customer 5 vanishes at once, as a crashed program would: a reset.
	crash := nettest.Dial(t, srv.Addr)
	crash.(*net.TCPConn).SetLinger(0)
	crash.Close()

	// The shop serves on, and the melon customer 4 bought is gone.
	c := enter(t, srv, "customer 6, after customer 5 vanished,")
	askMenu(t, c, "customer 6", "menu\n", 5, 4, 5)
	leave(t, c, "customer 6", "bye\n")

	require.NoError(t, srv.Stop(t), "Serve should return nil once its listener is closed")
	if err := goleak.Find(before); err != nil {
		t.Fatalf("Every customer has left and Serve has returned, but goroutines the shop started are still running.\n"+
			"serveCustomer must return when its customer says bye or closes the connection (Scan returns false), "+
			"and anything else Serve starts must stop when Serve returns.\n%v", err)
	}
}

// Serve several customers at once: all are greeted, and they are answered in any order.
func TestTask5ManyCustomersAtOnce(t *testing.T) {
	const n = 5
	srv := nettest.Start(t, Serve)
	cs := crowd(t, srv, n)

	// The last to come in is served first: each buys a melon, in reverse order.
	for i := n - 1; i >= 0; i-- {
		who := fmt.Sprintf("customer %d (with all %d customers in the shop, talking in reverse order)", i+1, n)
		ask(t, cs[i], who, "buy melon\n", Bought(melon, 800),
			"Each customer pays from their own 10.00 yuan, whoever else is in the shop.")
	}
	for i, c := range cs {
		ask(t, c, fmt.Sprintf("customer %d", i+1), "balance\n", BalanceIs(800),
			"Every customer bought one melon from their own money. A balance kept in the Shop is shared "+
				"by all customers: keep it in a local variable of serveCustomer.")
	}
	ask(t, cs[2], "customer 3", "buy melon\n", SoldOut(melon),
		"The 5 customers bought all 5 melons between them: the stock is shared by the whole shop.")
	askMenu(t, cs[1], "customer 2", "menu\n", 5, 0, 5)
	for i := n - 1; i >= 0; i-- {
		leave(t, cs[i], fmt.Sprintf("customer %d", i+1), "bye\n")
	}
}

// Play the scripted visits in testdata byte for byte: one customer's whole visit, the errors, two customers at once.
func TestTask6Sessions(t *testing.T) {
	// First one customer who only looks in, so that a shop that cannot even
	// greet fails here at once instead of once per session.
	enter(t, nettest.Start(t, Serve), "a customer who looks in before the scripted visits")

	sessiontest.TestGlob(t, "testdata/*.session", func(t *testing.T) string {
		return nettest.Start(t, Serve).Addr
	})
}

// Sell the last melon once, however many customers ask for it at the same moment.
func TestTask7LastMelon(t *testing.T) {
	// The test's shelf holds whoever first sees the last melon, and later the
	// last water, until a second customer reaches the shelf (see
	// watchShelf): a shop without one shared lock lets one in, every time.
	shelf := newWatchShelf(stocked(map[string]int{"西瓜": 1, "矿泉水": 1}), melon.Name, water.Name)
	srv := open(t, shelf)

	// Eight customers ask for the last melon at once.
	const buyers = 8
	cs := crowd(t, srv, buyers)
	for i, c := range cs {
		c.Send(t, []string{"buy 西瓜\n", "buy melon\n", "buy Melon\n"}[i%3])
	}
	bought := 0
	for i, c := range cs {
		got := c.Line(t, fmt.Sprintf("customer %d's answer to buy, with %d customers asking for the last melon at once", i+1, buyers))
		switch got {
		case Bought(melon, 800):
			bought++
		case SoldOut(melon):
		default:
			t.Fatalf("customer %d asked for the last melon and got %q: the answer must be %q or %q",
				i+1, got, Bought(melon, 800), SoldOut(melon))
		}
	}
	sold := shelf.soldOf(melon)
	if bought > 1 || sold > 1 {
		t.Fatalf("sold %d melons but only 1 was in stock (%d customers were told OK, %d melons were taken off the shelf): "+
			"customers bought the last melon at once. Between Left saying \"1 left\" and Take, another customer "+
			"looked at the shelf too. %s", max(bought, sold), bought, sold, guardAdvice)
	}
	require.Equal(t, 1, bought, "nobody got the last melon: one of the %d customers should have been told OK", buyers)
	require.Equal(t, 1, sold, "one customer was told OK, so one melon should have been taken off the shelf (Take)")
	overlapped(t, shelf, "while customers bought the last melon")

	// Two of them buy the last water while four others read the menu: the
	// menu reads the same shelf, so it needs the same lock.
	for i, c := range cs[:6] {
		c.Send(t, []string{"buy water\n", "menu\n", "menu\n"}[i%3])
	}
	waters := 0
	var menus []string
	for i, c := range cs[:6] {
		who := fmt.Sprintf("customer %d", i+1)
		if i%3 == 0 {
			got := c.Line(t, who+"'s answer to buy water, while others read the menu")
			switch got {
			case Bought(water, 800-250), Bought(water, 1000-250): // with or without a melon bought before
				waters++
			case SoldOut(water):
			default:
				t.Fatalf("%s asked for the last water and got %q: the answer must be OK or %q", who, got, SoldOut(water))
			}
			continue
		}
		var got strings.Builder
		for k := 0; k < 1+len(Goods); k++ {
			got.WriteString(c.Line(t, fmt.Sprintf("the menu for %s, who looked while others bought the last water", who)))
		}
		menus = append(menus, got.String())
	}
	overlapped(t, shelf, "while customers read the menu and others bought the last water")
	require.Equal(t, 1, waters, "one of the two customers who asked for the last water should have got it")
	for _, menu := range menus {
		if menu != menuText(5, 0, 1) && menu != menuText(5, 0, 0) {
			t.Fatalf("a customer asked for the menu while others bought the last water, and got:\n%s"+
				"The menu must show 1 or 0 bottles of water left (before or after the sale), no melons, and 5 bags of seeds.", menu)
		}
	}
}

// overlapped fails the test if two customers ever used shelf at the same time.
func overlapped(t *testing.T, shelf *watchShelf, when string) {
	t.Helper()
	if n := shelf.overlaps.Load(); n > 0 {
		t.Fatalf("two customers used the shelf at the same time %s (%d times): a Left or Take began while another was "+
			"still running. Reading the shelf for the menu while someone buys is a data race too. %s", when, n, guardAdvice)
	}
}

// Survive a storm of customers buying at once: never oversell, and every balance adds up.
func TestTask8Storm(t *testing.T) {
	const customers = 20
	// 5 of each, and 20 customers who want more. The shelf holds whoever
	// sees the last one of each snack, as in task 7.
	shelf := newWatchShelf(Goods, seeds.Name, melon.Name, water.Name)
	srv := open(t, shelf)
	cs := crowd(t, srv, customers)

	results := make([]visit, customers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = shopAround(i, cs[i])
		}()
	}
	close(start) // all at once
	nettest.Within(t, 4*nettest.Step, "the storm of customers", wg.Wait)

	// First the stock (the count of Takes is exact whatever went wrong),
	// then each customer's own story, then the totals.
	sold := make([]int, len(Goods))
	for _, r := range results {
		for k, n := range r.bought {
			sold[k] += n
		}
	}
	for k, it := range Goods {
		if taken := shelf.soldOf(it); taken > it.Stock {
			t.Fatalf("sold %d %s but only %d were in stock (%d customers were told OK, %d were taken off the shelf): "+
				"two customers bought the last %s at once. %s",
				taken, plural(it), it.Stock, sold[k], taken, single(it), guardAdvice)
		}
	}
	for _, r := range results {
		if r.failure != "" {
			t.Fatalf("With %d customers shopping at the same time, %s", customers, r.failure)
		}
	}
	for k, it := range Goods {
		taken := shelf.soldOf(it)
		if sold[k] > it.Stock || taken > it.Stock {
			t.Fatalf("sold %d %s but only %d were in stock (%d customers were told OK, %d were taken off the shelf): "+
				"two customers bought the last %s at once. %s",
				max(sold[k], taken), plural(it), it.Stock, sold[k], taken, single(it), guardAdvice)
		}
		require.Equal(t, sold[k], taken, "the shop told customers OK for %d %s but took %d off the shelf: "+
			"Take one for every OK", sold[k], plural(it), taken)
		require.Equal(t, it.Stock, sold[k], "more than %d customers asked for %s (%s) while they could afford it, "+
			"so all %d should have been sold; the shop sold %d", it.Stock, it.Name, it.Alias, it.Stock, sold[k])
	}
	overlapped(t, shelf, "during the storm")

	// What the shop told its customers must match what is left on the shelf.
	late := enter(t, srv, "a customer who came after the storm")
	late.Send(t, "menu\n")
	var got strings.Builder
	for k := 0; k < 1+len(Goods); k++ {
		got.WriteString(late.Line(t, "the menu after the storm"))
	}
	if got.String() != menuText(0, 0, 0) {
		t.Fatalf("after the storm the shop had told customers OK for all %d of each snack, so the menu should "+
			"show 0 left of each; it shows:\n%s"+
			"Two customers changed the shelf at the same time and one change was lost. %s", Goods[0].Stock, got.String(), guardAdvice)
	}

	oneSlowReader(t)
}

// oneSlowReader checks that a customer who stops reading holds up nobody
// else. The test's listener hands the shop a connection for customer a
// whose writes, once the test says so, wait until the test ends: a reader
// who stopped, with every buffer on the way full. While the shop is stuck
// writing the menu to customer a, customer b must still be able to buy: a
// shop that holds its lock while it writes makes b wait for a, forever.
func oneSlowReader(t *testing.T) {
	t.Helper()
	ln := &stallingListener{stalled: make(chan struct{}), release: make(chan struct{})}
	srv := nettest.Start(t, func(l net.Listener) error {
		ln.Listener = l
		return NewShop(NewShelf(Goods)).Serve(ln)
	})
	t.Cleanup(ln.unstall) // after Start's: runs first, so that the shop's stuck write ends

	a := enter(t, srv, "customer a")
	ln.stall()
	a.Send(t, "menu\n")
	select {
	case <-ln.stalled:
	case <-time.After(nettest.Step):
		t.Fatalf("customer a asked for the menu, and the shop did not start writing it within %v", nettest.Step)
	}

	b := enter(t, srv, "customer b, who came in while the shop was writing the menu to customer a, who had stopped reading,")
	b.Send(t, "buy melon\n")
	got, err := b.TryLine(nettest.Step)
	if err != nil {
		t.Fatalf("customer a asked for the menu and then stopped reading, so the shop's write to them waits. Customer b "+
			"then asked for a melon and got no answer within %v (%s).\n"+
			"Writing to a customer takes as long as that customer likes. Hold the lock only while you use the shelf: "+
			"build the reply under the lock, unlock, then write it (menu and buy return the reply; serveCustomer writes it, "+
			"without the lock).", nettest.Step, nettest.Explain(err, got))
	}
	require.Equal(t, Bought(melon, 800), got, "customer b sent \"buy melon\" while the shop was writing to customer a")

	ln.unstall()
	require.Equal(t, MenuHeader(len(Goods)), a.Line(t, "the menu header for customer a, once they read again"),
		"customer a asked for the menu")
}

// crowd brings n customers into the shop, one after another, and keeps them
// all there: each must be greeted while the others are still inside.
func crowd(t *testing.T, srv *nettest.Server, n int) []*nettest.Client {
	t.Helper()
	cs := make([]*nettest.Client, n)
	for i := range cs {
		c := srv.Dial(t)
		what := fmt.Sprintf("the greeting of customer %d", i+1)
		switch {
		case i == 1:
			what += ", with customer 1 still in the shop " + oneAtATime
		case i > 1:
			what += fmt.Sprintf(", with customers 1 to %d still in the shop %s", i, oneAtATime)
		}
		require.Equal(t, Welcome(StartingBalance), c.Line(t, what), "customer %d's greeting", i+1)
		cs[i] = c
	}
	return cs
}

// oneAtATime says why a customer who comes in while another is inside
// may wait for their greeting in vain.
const oneAtATime = "(if it never comes, the shop serves one customer at a time: " +
	"serve each connection in a goroutine of its own, go s.serveCustomer(conn))"

// visit is what one customer of the storm saw.
type visit struct {
	bought  []int  // how many of Goods[k] this customer was told OK for
	failure string // what went wrong, or ""
}

// shopAround is customer i's visit during the storm, run in its own
// goroutine (so it reports failures instead of calling t.Fatal): four buys,
// a look at the menu, the balance, and goodbye. Every answer must be one the
// shop could rightly give, and the balance must add up.
func shopAround(i int, c *nettest.Client) (r visit) {
	r.bought = make([]int, len(Goods))
	who := fmt.Sprintf("customer %d", i+1)
	balance := StartingBalance
	fail := func(format string, args ...any) {
		if r.failure == "" {
			r.failure = who + " " + fmt.Sprintf(format, args...)
		}
	}
	send := func(line string) bool {
		c.Conn.SetWriteDeadline(time.Now().Add(nettest.Step))
		if _, err := c.Conn.Write([]byte(line)); err != nil {
			fail("could not send %q: %v", line, err)
			return false
		}
		return true
	}
	read := func(after string) (string, bool) {
		got, err := c.TryLine(nettest.Step)
		if err != nil {
			fail("sent %q and waited for the answer: %s", after, nettest.Explain(err, got))
			return got, false
		}
		return got, true
	}

	// Everyone wants a different snack first, so each is in demand from
	// the start; half say the Chinese name and half the alias, shouting.
	for k := 0; k < 4; k++ {
		idx := (i + k) % len(Goods)
		it := Goods[idx]
		line := "buy " + it.Name + "\n"
		if i%2 == 1 {
			line = "buy " + strings.ToUpper(it.Alias) + "\n"
		}
		if !send(line) {
			return r
		}
		got, ok := read(line)
		if !ok {
			return r
		}
		allowed := []string{SoldOut(it)}
		if balance >= it.Price {
			allowed = append(allowed, Bought(it, balance-it.Price))
		} else {
			allowed = append(allowed, TooDear(it, balance))
		}
		switch got {
		case allowed[0]:
		case allowed[1]:
			if balance >= it.Price {
				balance -= it.Price
				r.bought[idx]++
			}
		default:
			fail("had %s yuan, sent %q and got %q: the answer must be %q or %q", balance, line, got, allowed[0], allowed[1])
			return r
		}
		if k == 1 {
			if !send("menu\n") {
				return r
			}
			header, ok := read("menu\n")
			if !ok {
				return r
			}
			if header != MenuHeader(len(Goods)) {
				fail("sent \"menu\\n\" and got %q, not the header %q", header, MenuHeader(len(Goods)))
				return r
			}
			for _, it := range Goods {
				line, ok := read("menu\n")
				if !ok {
					return r
				}
				var name, alias, price string
				var left int
				n, _ := fmt.Sscanf(line, "%s %s %s yuan, %d left\n", &name, &alias, &price, &left)
				if n != 4 || line != MenuItem(it, left) {
					fail("got the menu line %q; expected MenuItem for %s", line, it.Name)
					return r
				}
				if left < 0 || left > it.Stock {
					fail("saw %d %s left on the menu, when the shop opened with %d: "+
						"two customers took the same %s at once. %s", left, plural(it), it.Stock, single(it), guardAdvice)
					return r
				}
			}
		}
	}
	if !send("balance\n") {
		return r
	}
	if got, ok := read("balance\n"); !ok {
		return r
	} else if got != BalanceIs(balance) {
		fail("paid %s yuan of their 10.00 for what they were told they bought, so their balance is %s; "+
			"the shop said %q", StartingBalance-balance, balance, got)
		return r
	}
	if !send("bye\n") {
		return r
	}
	if got, ok := read("bye\n"); ok && got != Goodbye {
		fail("said bye and got %q, not %q", got, Goodbye)
	}
	return r
}
