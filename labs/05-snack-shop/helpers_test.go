package shop

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/require"
)

// The three snacks, by their place in Goods.
var (
	seeds = Goods[0] // 瓜子, 4.50
	melon = Goods[1] // 西瓜, 2.00
	water = Goods[2] // 矿泉水, 2.50
)

// plural and single name an item in English, for failure messages.
func plural(it Item) string { return nouns(it)[1] }
func single(it Item) string { return nouns(it)[0] }

func nouns(it Item) [2]string {
	switch it.Name {
	case "瓜子":
		return [2]string{"bag of sunflower seeds", "bags of sunflower seeds"}
	case "西瓜":
		return [2]string{"melon", "melons"}
	case "矿泉水":
		return [2]string{"bottle of water", "bottles of water"}
	}
	return [2]string{it.Name, it.Name}
}

// stocked returns a copy of Goods with the stock changed for the named items.
func stocked(stock map[string]int) []Item {
	goods := append([]Item(nil), Goods...)
	for i := range goods {
		if n, ok := stock[goods[i].Name]; ok {
			goods[i].Stock = n
		}
	}
	return goods
}

// open starts a shop with shelf on a loopback listener, for this test.
func open(t *testing.T, shelf Shelf) *nettest.Server {
	t.Helper()
	return nettest.Start(t, NewShop(shelf).Serve)
}

// enter connects a customer to srv and reads their greeting.
func enter(t *testing.T, srv *nettest.Server, who string) *nettest.Client {
	t.Helper()
	c := srv.Dial(t)
	got := c.Line(t, "the greeting of "+who)
	require.Equal(t, Welcome(StartingBalance), got,
		"%s connected; the first line the shop sends must be Welcome(StartingBalance)", who)
	return c
}

// ask sends line to the shop for customer who, and checks that the one
// line that comes back is want.
func ask(t *testing.T, c *nettest.Client, who, line, want, why string) {
	t.Helper()
	c.Send(t, line)
	got := c.Line(t, fmt.Sprintf("the answer to %q from %s", line, who))
	require.Equal(t, want, got, "%s sent %q. %s", who, line, why)
}

// menuText is the menu reply when left[i] of Goods[i] are left.
func menuText(left ...int) string {
	var b strings.Builder
	b.WriteString(MenuHeader(len(Goods)))
	for i, it := range Goods {
		b.WriteString(MenuItem(it, left[i]))
	}
	return b.String()
}

// askMenu sends line (a menu command) and checks the whole menu that comes
// back: its header, then one line per item with left[i] of Goods[i] left.
func askMenu(t *testing.T, c *nettest.Client, who, line string, left ...int) {
	t.Helper()
	c.Send(t, line)
	var got strings.Builder
	header := c.Line(t, fmt.Sprintf("the menu header, in answer to %q from %s", line, who))
	got.WriteString(header)
	if header == MenuHeader(len(Goods)) {
		for _, it := range Goods {
			got.WriteString(c.Line(t, fmt.Sprintf("the menu line for %s (%s)", it.Name, it.Alias)))
		}
	}
	require.Equal(t, menuText(left...), got.String(),
		"%s sent %q and should get the whole menu: MenuHeader(%d), then MenuItem(it, left) for each item of Goods, in order",
		who, line, len(Goods))
}

// leave says bye for customer who and checks the goodbye and the close.
func leave(t *testing.T, c *nettest.Client, who, line string) {
	t.Helper()
	ask(t, c, who, line, Goodbye, "The shop says Goodbye, then closes the connection.")
	c.EOF(t, fmt.Sprintf("after the goodbye to %s", who))
}

// watchShelf is a Shelf for the tests that watches how the shop uses it.
//
// It counts every Take exactly (with atomics, whatever the shop does), and it
// notices when two of its methods run at the same time: two customers at the
// shelf at once, which a shop that guards its shelf never allows.
//
// It also holds the first customer who sees the last one of an item (of the
// items named in hold, each once): Left waits, with the count already read,
// until another customer reaches for the same item or holdWindow passes. A
// shop that checks and takes without one shared lock lets that customer in
// during the wait, and both see "1 left": the race that loses money only now
// and then in real life happens every time. A shop with the lock keeps
// everyone else out, so its customer waits the whole window, once per held
// item, and goes on.
type watchShelf struct {
	names []string
	left  []int          // guarded by the shop under test, not by watchShelf
	sold  []atomic.Int64 // Takes per item

	hold    []bool          // hold the first customer to see the last one of this item
	held    []atomic.Bool   // that hold has begun (it happens once)
	holding []atomic.Bool   // that hold is waiting now
	company []chan struct{} // closed when another customer reaches for the item during its hold
	once    []sync.Once

	busy     atomic.Int32 // methods running right now
	overlaps atomic.Int64 // times a method began while another was running
}

// holdWindow is how long a held customer waits for another. A shop with no
// lock lets the next customer reach the shelf within microseconds; only a
// shop that keeps them out, as it should, ever waits the whole window, and
// then once per held item.
const holdWindow = 100 * time.Millisecond

func newWatchShelf(goods []Item, hold ...string) *watchShelf {
	n := len(goods)
	w := &watchShelf{
		sold:    make([]atomic.Int64, n),
		hold:    make([]bool, n),
		held:    make([]atomic.Bool, n),
		holding: make([]atomic.Bool, n),
		company: make([]chan struct{}, n),
		once:    make([]sync.Once, n),
	}
	for i, it := range goods {
		w.names = append(w.names, it.Name)
		w.left = append(w.left, it.Stock)
		w.company[i] = make(chan struct{})
		for _, h := range hold {
			w.hold[i] = w.hold[i] || h == it.Name
		}
	}
	return w
}

// enter and exit bracket every method: enter notices a second customer at
// the shelf, and releases a hold on item i if there is one.
func (w *watchShelf) enter(i int) {
	if w.busy.Add(1) > 1 {
		w.overlaps.Add(1)
	}
	if i >= 0 && w.holding[i].Load() {
		w.once[i].Do(func() { close(w.company[i]) })
	}
}

func (w *watchShelf) exit() { w.busy.Add(-1) }

func (w *watchShelf) index(name string) int {
	for i, n := range w.names {
		if n == name {
			return i
		}
	}
	return -1
}

func (w *watchShelf) Left(name string) int {
	i := w.index(name)
	w.enter(i)
	defer w.exit()
	if i < 0 {
		return 0
	}
	n := w.left[i]
	if n == 1 && w.hold[i] && w.held[i].CompareAndSwap(false, true) {
		w.holding[i].Store(true)
		select {
		case <-w.company[i]: // another customer reached for it meanwhile
		case <-time.After(holdWindow): // nobody came: the shop keeps them out
		}
		w.holding[i].Store(false)
	}
	return n
}

func (w *watchShelf) Take(name string) {
	i := w.index(name)
	w.enter(i)
	defer w.exit()
	if i >= 0 {
		w.left[i]--
		w.sold[i].Add(1)
	}
}

// soldOf returns how many of it the shop took off the shelf.
func (w *watchShelf) soldOf(it Item) int {
	if i := w.index(it.Name); i >= 0 {
		return int(w.sold[i].Load())
	}
	return 0
}

// guardAdvice is what to do when two customers use the shelf at once.
const guardAdvice = "Guard the shelf with a mutex: one sync.Mutex in the Shop, shared by every connection " +
	"(a mutex made per connection guards nothing), held from Left to Take, and held for the menu's Left calls too."

// stallingListener is a listener for one test that, once stall is called,
// makes the shop's writes to the first customer it let in wait until
// unstall is called or the connection is closed: that customer has stopped
// reading and the buffers on the way are full.
type stallingListener struct {
	net.Listener
	stalled chan struct{} // closed when a write begins to wait
	release chan struct{} // closed by unstall

	mu       sync.Mutex
	first    *stallingConn
	stalling bool
	once     sync.Once
	freed    sync.Once
}

func (l *stallingListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return conn, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.first != nil {
		return conn, nil
	}
	l.first = &stallingConn{Conn: conn, l: l}
	return l.first, nil
}

// stall makes the next writes to the first customer wait.
func (l *stallingListener) stall() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stalling = true
}

// unstall lets the writes that wait, and every later one, through.
func (l *stallingListener) unstall() {
	l.freed.Do(func() { close(l.release) })
}

// stallingConn is the first customer's connection of a stallingListener.
type stallingConn struct {
	net.Conn
	l *stallingListener
}

func (c *stallingConn) Write(p []byte) (int, error) {
	c.l.mu.Lock()
	stalling := c.l.stalling
	c.l.mu.Unlock()
	if stalling {
		c.l.once.Do(func() { close(c.l.stalled) })
		<-c.l.release
	}
	return c.Conn.Write(p)
}

func (c *stallingConn) Close() error {
	c.l.unstall()
	return c.Conn.Close()
}
