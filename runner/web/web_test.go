package web

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/fakego"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/bench"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/snippets"
)

// testServer is a Server of a copy of the book, serving on a loopback port
// until the test ends.
type testServer struct {
	*Server
	root repo.Root
	base string // http://127.0.0.1:PORT
	port int
	// stop stops the server and waits for Serve to return, as its
	// Cleanup does; a test may stop it sooner.
	stop func()
}

func start(t *testing.T, root repo.Root, o Options) *testServer {
	t.Helper()
	o.Root = root
	s := New(o)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				assert.NoError(t, err)
			case <-time.After(30 * time.Second):
				t.Error("the server did not stop within 30s of its context ending")
			}
		})
	}
	t.Cleanup(stop)
	port := ln.Addr().(*net.TCPAddr).Port
	return &testServer{Server: s, root: root, base: fmt.Sprintf("http://127.0.0.1:%d", port), port: port, stop: stop}
}

// smallBook is a copy of the book with chapters and labs 00 to 01 only.
func smallBook(t *testing.T) repo.Root {
	return testkit.Pristine(t, testkit.Only("00", "01"))
}

// client is an HTTP client that does not follow redirects, with a deadline.
func client() *http.Client {
	return &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// do sends a request; mod may set headers. The cookie carries the token
// when withToken is set.
func (ts *testServer) do(t *testing.T, method, path string, withToken bool, mod func(*http.Request)) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{}`)
	}
	req, err := http.NewRequest(method, ts.base+path, body)
	require.NoError(t, err)
	if withToken {
		req.AddCookie(&http.Cookie{Name: ts.cookie(), Value: ts.Token()})
	}
	if mod != nil {
		mod(req)
	}
	resp, err := client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b)
}

func TestRefusals(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	other := ts.port + 1
	cases := []struct {
		name     string
		method   string
		path     string
		token    bool
		mod      func(*http.Request)
		wantBody string
	}{
		{"page without the token", "GET", "/", false, nil, "token"},
		{"chapter without the token", "GET", "/chapter/01", false, nil, "token"},
		{"run without the token", "POST", "/api/run", false, nil, "token"},
		{"check without the token", "POST", "/api/check/01", false, nil, "token"},
		{"events without the token", "GET", "/events/lab/01", false, nil, "token"},
		{"a wrong token in the cookie", "POST", "/api/run", false, func(r *http.Request) {
			r.AddCookie(&http.Cookie{Name: "netbook-token-" + fmt.Sprint(ts.port), Value: strings.Repeat("0", 32)})
		}, "token"},
		{"a wrong token in the URL", "GET", "/?token=" + strings.Repeat("f", 32), false, nil, "token"},
		{"a rebound name (DNS rebinding)", "GET", "/", true, func(r *http.Request) { r.Host = fmt.Sprintf("evil.example:%d", ts.port) }, "evil.example"},
		{"a name that only starts like localhost", "GET", "/", true, func(r *http.Request) { r.Host = fmt.Sprintf("localhost.evil.example:%d", ts.port) }, "evil.example"},
		{"the right name on another port", "GET", "/", true, func(r *http.Request) { r.Host = fmt.Sprintf("127.0.0.1:%d", other) }, "127.0.0.1"},
		{"no port in Host", "GET", "/", true, func(r *http.Request) { r.Host = "127.0.0.1" }, "127.0.0.1"},
		{"a static file for a rebound name", "GET", "/static/app.js", false, func(r *http.Request) { r.Host = fmt.Sprintf("evil.example:%d", ts.port) }, "evil.example"},
		{"another site's page runs code", "POST", "/api/run", true, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, "evil.example"},
		{"another port's page checks a lab", "POST", "/api/check/01", true, func(r *http.Request) {
			r.Header.Set("Origin", fmt.Sprintf("http://127.0.0.1:%d", other))
		}, "127.0.0.1"},
		{"an opaque origin", "POST", "/api/run", true, func(r *http.Request) { r.Header.Set("Origin", "null") }, "null"},
		{"another port's image starts a lab's checks", "GET", "/events/lab/01", true, func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "same-site")
		}, "/events/lab/01 is for the book's own pages"},
		{"the event stream typed in the address bar", "GET", "/events/lab/01", true, func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "none")
		}, "not to be opened by typing its address"},
		{"another site's link posts a hint", "POST", "/api/hint/01", true, func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "cross-site")
		}, "/api/hint/01 is for the book's own pages"},
		{"https on our own host", "POST", "/api/run", true, func(r *http.Request) {
			r.Header.Set("Origin", fmt.Sprintf("https://127.0.0.1:%d", ts.port))
		}, "https"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := ts.do(t, c.method, c.path, c.token, c.mod)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode, body)
			assert.Contains(t, body, "Refused")
			assert.Contains(t, body, c.wantBody)
			assert.Contains(t, body, "Open the URL netbook serve printed", "a refusal says what to do")
			assert.NotContains(t, body, "<", "a refusal is plain text: it does not show the book")
		})
	}
}

// A browser opening a page it may not see gets a small page of its own,
// not text/plain: the sentence in the page's edition and the other, each
// escaped, and nothing of the book. What asks for anything else (the
// pages' script, curl) still gets plain text.
func TestRefusalIsAPageForABrowser(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	browser := func(r *http.Request) {
		r.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	}
	resp, body := ts.do(t, "GET", "/chapter/01", false, browser)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, "<!DOCTYPE html>")
	assert.Contains(t, body, `<p lang="en">Refused: this request does not carry the server&#39;s token`)
	assert.Contains(t, body, `<p lang="zh">已拒绝：这个请求没有带服务器的令牌`)
	assert.NotContains(t, body, "<script", "no script")
	assert.NotContains(t, body, "<a ", "nothing of the book: no links")

	resp, body = ts.do(t, "GET", "/?lang=zh", true, func(r *http.Request) {
		browser(r)
		r.Header.Set("Origin", `http://a"><script>alert(1)</script>`)
	})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, body, `<html lang="zh">`)
	assert.Contains(t, body, `<p lang="zh">已拒绝：来自 http://a&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt; 的页面`, "the Origin is escaped")
	assert.NotContains(t, body, "<script>")

	for _, mod := range []func(*http.Request){nil, func(r *http.Request) { r.Header.Set("Accept", "*/*") }} {
		resp, body = ts.do(t, "GET", "/", false, mod)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.NotContains(t, body, "<")
	}
	resp, _ = ts.do(t, "POST", "/api/run", false, browser)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"), "only a page that is opened gets a page")
}

func TestTokenInTheURLBecomesACookie(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	resp, _ := ts.do(t, "GET", "/chapter/01?token="+ts.Token()+"&lang=en", false, nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/chapter/01?lang=en", resp.Header.Get("Location"), "the token leaves the address bar")
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == ts.cookie() {
			c = k
		}
	}
	require.NotNil(t, c, "the first visit sets the token cookie")
	assert.Equal(t, ts.Token(), c.Value)
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteStrictMode, c.SameSite)
	assert.Len(t, ts.Token(), 32, "128 bits, in hex")

	resp, body := ts.do(t, "GET", "/chapter/01", true, nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, "Networks and ports")
}

func TestAllowed(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	for _, c := range []struct {
		name, path string
		mod        func(*http.Request)
	}{
		{"home", "/", nil},
		{"localhost by name", "/", func(r *http.Request) { r.Host = fmt.Sprintf("localhost:%d", ts.port) }},
		{"our own origin", "/lab/01", func(r *http.Request) { r.Header.Set("Origin", ts.base) }},
		{"a chapter by number", "/chapter/1", nil},
		{"a chapter in Chinese", "/chapter/01-networks-and-ports?lang=zh", nil},
		{"a lab", "/lab/01-addresses", nil},
		{"a link from another site to a page", "/chapter/01", func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := ts.do(t, "GET", c.path, true, c.mod)
			assert.Equal(t, http.StatusOK, resp.StatusCode, body)
			assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'self'")
		})
	}
	t.Run("static files need no token", func(t *testing.T) {
		for _, p := range []string{"/static/style.css", "/static/app.js", "/static/chroma.css"} {
			resp, body := ts.do(t, "GET", p, false, nil)
			assert.Equal(t, http.StatusOK, resp.StatusCode, p)
			assert.NotEmpty(t, body, p)
		}
	})
}

// helperEngine runs snippets as this test binary (TestHelperSnippet),
// which prints the snippet's code and, when it says "block", waits to be
// killed: a stand-in for the interpreter that costs no build.
type helperEngine struct{}

func (helperEngine) Runs(s *book.Snippet) bool { return s.Runnable() }
func (helperEngine) Name() string              { return "the test helper" }
func (helperEngine) Command(s *book.Snippet, dir string, args []string) (snippets.Cmd, error) {
	return snippets.Cmd{Path: os.Args[0], Args: []string{"-test.run=^TestHelperSnippet$"},
		Env: append(os.Environ(), "NETBOOK_WEB_HELPER="+s.Code)}, nil
}

func TestHelperSnippet(t *testing.T) {
	code, ok := os.LookupEnv("NETBOOK_WEB_HELPER")
	if !ok {
		t.Skip("the stand-in snippet, run by the run tests")
	}
	fmt.Printf("ran %d bytes: %s\n", len(code), strings.SplitN(code, "\n", 2)[0])
	if strings.Contains(code, "block") {
		fmt.Println("blocking")
		time.Sleep(time.Minute) // killed by the run's end
	}
	os.Exit(0)
}

func helperOptions() Options {
	return Options{MaxRuns: 1, RunTimeout: 30 * time.Second,
		Engine: func(context.Context, []*book.Snippet, io.Writer, lang.Lang) (snippets.Engine, func(), error) {
			return helperEngine{}, func() {}, nil
		}}
}

// firstRunnable is the ID of a runnable snippet of chapter 01, and another.
func runnables(t *testing.T, root repo.Root) []*book.Snippet {
	b, err := book.Load(os.DirFS(root.Chapters()))
	require.NoError(t, err)
	c, err := b.Find("01")
	require.NoError(t, err)
	var out []*book.Snippet
	for _, s := range c.Snippets {
		if s.Runnable() && snippets.Pair(s) == nil {
			out = append(out, s)
		}
	}
	require.GreaterOrEqual(t, len(out), 2, "chapter 01 has two runnable snippets")
	return out
}

// startRun posts a run and returns its streamed answer, line by line.
func (ts *testServer) startRun(t *testing.T, ctx context.Context, id, code string) (*http.Response, *bufio.Scanner) {
	t.Helper()
	body := fmt.Sprintf(`{"id":%q,"code":%q}`, id, code)
	req, err := http.NewRequestWithContext(ctx, "POST", ts.base+"/api/run", strings.NewReader(body))
	require.NoError(t, err)
	req.AddCookie(&http.Cookie{Name: ts.cookie(), Value: ts.Token()})
	req.Header.Set("Origin", ts.base)
	resp, err := (&http.Client{}).Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp, bufio.NewScanner(resp.Body)
}

func readUntil(t *testing.T, sc *bufio.Scanner, want string) string {
	t.Helper()
	var all strings.Builder
	for sc.Scan() {
		all.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), want) {
			return all.String()
		}
	}
	t.Fatalf("the stream ended without %q:\n%s", want, all.String())
	return ""
}

func TestRunStreamsEditsAndStops(t *testing.T) {
	root := smallBook(t)
	ts := start(t, root, helperOptions())
	sn := runnables(t, root)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Run("the chapter's code", func(t *testing.T) {
		resp, sc := ts.startRun(t, ctx, sn[0].ID(), "")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		out := readUntil(t, sc, `"end":true`)
		assert.Contains(t, out, fmt.Sprintf("ran %d bytes", len(sn[0].Code)))
		assert.NotContains(t, out, `"error"`)
	})
	t.Run("edited code", func(t *testing.T) {
		resp, sc := ts.startRun(t, ctx, sn[0].ID(), "package main // edited\n")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		out := readUntil(t, sc, `"end":true`)
		assert.Contains(t, out, "package main // edited")
	})
	t.Run("a second run of the same snippet stops the first", func(t *testing.T) {
		c1, stop1 := context.WithCancel(ctx)
		defer stop1()
		_, sc1 := ts.startRun(t, c1, sn[0].ID(), "// block\n")
		readUntil(t, sc1, "blocking")
		_, sc2 := ts.startRun(t, ctx, sn[0].ID(), "// quick\n")
		assert.Contains(t, readUntil(t, sc1, `"end":true`), "stopped")
		assert.Contains(t, readUntil(t, sc2, `"end":true`), "// quick")
	})
	t.Run("the bound on runs at once", func(t *testing.T) {
		c1, stop1 := context.WithCancel(ctx)
		_, sc1 := ts.startRun(t, c1, sn[0].ID(), "// block\n")
		readUntil(t, sc1, "blocking")
		resp, _ := ts.startRun(t, ctx, sn[1].ID(), "")
		assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
		// Stop: the page aborts its request, which kills the run.
		stop1()
	})
	t.Run("stopped runs free their slot", func(t *testing.T) {
		// The slot is freed when the stopped run's handler returns; a new
		// run waits for nothing but that.
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, sc := ts.startRun(t, ctx, sn[1].ID(), "")
			if resp.StatusCode == http.StatusOK {
				readUntil(t, sc, `"end":true`)
				return
			}
			require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
			require.True(t, time.Now().Before(deadline), "the stopped run never freed its slot")
			<-ts.runs.freed
		}
	})
	t.Run("an unknown snippet", func(t *testing.T) {
		resp, _ := ts.startRun(t, ctx, "01:999", "")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
}

// sseEvents reads the data of each "status" event of a stream.
func sseEvents(sc *bufio.Scanner, out chan<- string) {
	defer close(out)
	var data []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "data: "):
			data = append(data, strings.TrimPrefix(line, "data: "))
		case line == "" && data != nil:
			out <- strings.Join(data, "\n")
			data = nil
		}
	}
}

func TestLabEventsFollowSaves(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a lab's tests twice")
	}
	root := smallBook(t)
	ts := start(t, root, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", ts.base+"/events/lab/01", nil)
	require.NoError(t, err)
	req.AddCookie(&http.Cookie{Name: ts.cookie(), Value: ts.Token()})
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	events := make(chan string)
	go sseEvents(bufio.NewScanner(resp.Body), events)

	next := func(state string) string {
		t.Helper()
		for ev := range events {
			if strings.Contains(ev, `data-state="`+state+`"`) {
				return ev
			}
		}
		t.Fatalf("the stream ended before a status %q", state)
		return ""
	}
	next("running")
	ev := next("fail")
	assert.Contains(t, ev, `data-task="1"`)
	assert.Contains(t, ev, "The first failure", "the first failure's message is shown")

	// Save the reference's file over the student's, as a student would
	// save a solution.
	sol, err := os.ReadFile(filepath.Join(root.Solution("01-addresses"), "addresses.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root.Lab("01-addresses"), "addresses.go"), sol, 0o644))
	next("running")
	ev = next("pass")
	assert.NotContains(t, ev, `data-status="fail"`)
}

func TestPagesInChinese(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	_, body := ts.do(t, "GET", "/?lang=zh", true, nil)
	assert.Contains(t, body, `<html lang="zh`)
	assert.Contains(t, body, "下一步做什么")
	assert.Contains(t, body, `href="/chapter/01-networks-and-ports?lang=zh"`, "links keep the edition")
}

// An edition the book does not have (?lang=fr) shows the page in the
// server's edition with a note that says so, on top of the page, in that
// edition; an edition it has, or none, has no note.
func TestUnknownEditionIsSaid(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	resp, body := ts.do(t, "GET", "/chapter/01-networks-and-ports?lang=fr", true, nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `<html lang="en">`)
	assert.Contains(t, body, `<p class="note" role="status">The book has no edition &#34;fr&#34;, so this page is in English.`)
	assert.Contains(t, body, `href="/chapter/01-networks-and-ports?lang=zh"`, "the editions it has are offered")
	assert.NotContains(t, body, `?lang=fr"`, "links do not carry the edition on")
	for _, path := range []string{"/?lang=en", "/?lang=zh", "/?lang=", "/"} {
		_, body = ts.do(t, "GET", path, true, nil)
		assert.NotContains(t, body, `class="note"`, path)
	}

	zh := start(t, smallBook(t), Options{Lang: lang.Chinese})
	_, body = zh.do(t, "GET", "/nope?lang=fr", true, nil)
	assert.Contains(t, body, "本书没有 &#34;fr&#34; 这个版本，所以本页用中文显示。", "the note is in the page's edition, here on the 404 page")
}

// cookie is the name of the server's token cookie.
func (ts *testServer) cookie() string { return fmt.Sprintf("netbook-token-%d", ts.port) }

// The lab page shows the latest netbook bench of the lab, as its chart.
func TestLabPageShowsTheLatestBench(t *testing.T) {
	root := smallBook(t)
	ts := start(t, root, Options{})
	_, body := ts.do(t, "GET", "/lab/01", true, nil)
	assert.NotContains(t, body, "nb-bench", "no chart before any bench")

	p := func(p, s float64) bench.Percentile {
		return bench.Percentile{P: p, Seconds: bench.Spread{Median: s, Min: s, Max: s, N: 1}}
	}
	rep := &bench.Report{Lab: "01-addresses", Rounds: 1, Phases: []bench.Phase{{Name: "10 connections", Unit: "requests",
		Results: []bench.Result{
			{Contender: "you", Latency: []bench.Percentile{p(50, 0.001), p(90, 0.002), p(99, 0.004), p(99.9, 0.008)}},
			{Contender: "reference", Latency: []bench.Percentile{p(50, 0.001), p(90, 0.0015), p(99, 0.002), p(99.9, 0.003)}},
		}}}}
	_, err := bench.Save(root, rep)
	require.NoError(t, err)
	_, body = ts.do(t, "GET", "/lab/01", true, nil)
	assert.Contains(t, body, `<svg xmlns="http://www.w3.org/2000/svg" class="nb-bench"`)
	assert.Contains(t, body, "bench 01", "the command that measures it again")
	assert.Contains(t, body, `class="nb-bench-p50"`, "the figures are charted")

	// The Chinese page's chart speaks Chinese: its title, its legend and
	// the contenders; the workload's name is netbook bench's own.
	_, body = ts.do(t, "GET", "/lab/01?lang=zh", true, nil)
	assert.Contains(t, body, "<title id=\"nb-bench-title\">netbook bench 01-addresses：延迟的百分位数，对数刻度</title>")
	assert.Contains(t, body, "圆点是 p50，短竖线是 p99，线段的终点是 p99.9。10 connections，你：p50 1ms")
	assert.Contains(t, body, `stroke="none">参考答案</text>`)
	for _, en := range []string{"latency percentiles", "Dot: p50", `stroke="none">you</text>`, `stroke="none">reference</text>`} {
		assert.NotContains(t, body, en, "no English words in the Chinese page's chart")
	}
}

// A lab page offers to compare with the reference's behaviour only when
// diff has sessions to play (a server lab, or a client lab with a
// driver): on lab 01 the button could only say there is nothing to diff.
func TestLabPageOffersDiffOnlyWhereItRuns(t *testing.T) {
	ts := start(t, testkit.Pristine(t, testkit.Only("00", "01", "02")), Options{})
	_, body := ts.do(t, "GET", "/lab/01", true, nil)
	assert.NotContains(t, body, "/api/diff/01", "lab 01 is neither a server nor a client lab")
	_, body = ts.do(t, "GET", "/lab/02", true, nil)
	assert.Contains(t, body, "/api/diff/02", "lab 02 is a server lab")
}

// Show a hint follows the first failing task, a level more each time, as
// netbook hint does; the levels shown are the workbook's, remembered.
func TestHintFollowsTheFirstFailingTask(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a lab's tests")
	}
	ts := start(t, smallBook(t), Options{})
	resp, body := ts.do(t, "POST", "/api/hint/01", true, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Contains(t, body, `class="hint"`)
	assert.Contains(t, body, "already knows how to split", "task 1's first level: the skeleton fails task 1 first")
	assert.NotContains(t, body, "strconv.ParseUint", "one level at a time")

	_, body = ts.do(t, "POST", "/api/hint/01", true, nil)
	assert.Contains(t, body, "strconv.ParseUint", "the second press shows the next level")

	resp, _ = ts.do(t, "POST", "/api/hint/01", false, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "no token, no hint")
}

// Once a task's levels are spent, Show a hint says so, as netbook hint
// does: the last level says it is the last, and asked for again it comes
// with "again" and the chapter to read on in, under the same key, so that
// the page replaces its copy instead of stacking the same code twice.
func TestHintSaysWhenTheLevelsAreSpent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a lab's tests")
	}
	ts := start(t, smallBook(t), Options{})
	var body string
	for range 3 {
		_, body = ts.do(t, "POST", "/api/hint/01", true, nil)
	}
	body = html.UnescapeString(body)
	assert.Contains(t, body, `data-key="1-3"`, "task 1, level 3")
	assert.Contains(t, body, "Hint 3 of 3")
	assert.Contains(t, body, "That was the last hint.", "the last level says it is the last")

	resp, body := ts.do(t, "POST", "/api/hint/01", true, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	body = html.UnescapeString(body)
	assert.Contains(t, body, `data-key="1-3"`, "the same hint, which the page replaces")
	assert.Contains(t, body, "That was the last hint for this task, again.")
	assert.Contains(t, body, `The chapter explains the rest: <a href="/chapter/01-networks-and-ports">Networks and ports</a>`)
	assert.NotContains(t, body, "That was the last hint.<", "one note, not both")

	_, body = ts.do(t, "POST", "/api/hint/01?lang=zh", true, nil)
	body = html.UnescapeString(body)
	assert.Contains(t, body, "这是这个任务的最后一条提示，又给了你一遍。")
	assert.Contains(t, body, `<a href="/chapter/01-networks-and-ports?lang=zh">网络与端口</a>`, "the chapter in the page's edition")

	// The last level is code: shown line for line, indented as written,
	// not run together into one paragraph.
	code := regexp.MustCompile(`(?s)<pre[^>]*>(.*?)</pre>`).FindStringSubmatch(body)
	require.NotNil(t, code, "the code hint is a <pre>: %s", body)
	text := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(code[1], ""))
	assert.Contains(t, text, "host, portText, err := net.SplitHostPort(s)\nif err != nil {\n    return Endpoint{}, fmt.Errorf(")
	assert.Contains(t, code[0], `class="chroma"`, "highlighted as the chapters' code is")

	// The lab page lists the levels seen, the last one marked as such.
	_, body = ts.do(t, "GET", "/lab/01", true, nil)
	assert.Equal(t, 1, strings.Count(body, "That was the last hint."), "the page's list marks the last level")
}

// Show a hint on a lab that does not compile shows the hint on reading
// compile errors, in the page's edition, as netbook hint does (it was a
// nil dereference: that hint is no task's).
func TestHintWhenTheLabDoesNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a lab's tests")
	}
	root := smallBook(t)
	f := filepath.Join(root.Dir, "labs", "01-addresses", "addresses.go")
	src, err := os.ReadFile(f)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f, append(src, "\nfunc broken() { undefinedName }\n"...), 0o644))
	ts := start(t, root, Options{})
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		resp, body := ts.do(t, "POST", "/api/hint/01?lang="+string(l), true, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		body = html.UnescapeString(body)
		assert.Contains(t, body, l.Sprintf(lang.HintNoCompile, "01-addresses"))
		assert.Contains(t, body, "FILE:LINE:COL", "the hint on reading compile errors (lang.HintBuild)")
	}

	// The home page's next step says to see the error, with a button and
	// no colon left over from the terminal's command line.
	resp, body := ts.do(t, "POST", "/api/check/01", true, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		_, body = ts.do(t, "GET", "/?lang="+string(l), true, nil)
		step := strings.TrimRight(l.Sprintf(lang.NextNoCompile, "01-addresses"), ":：")
		assert.Contains(t, body, "<p>"+step+"</p>", "the next step, without the terminal's colon")
	}
}

// Compare with the reference's behaviour runs netbook diff on a server
// lab and shows its report; a second diff while one runs is refused.
func TestDiffShowsItsReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two servers")
	}
	ts := start(t, testkit.Pristine(t, testkit.Only("00", "03")), Options{})
	resp, body := ts.do(t, "POST", "/api/diff/03", true, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Contains(t, body, `<pre class="out">`)
	assert.Contains(t, body, "03-hello-server: your server against the reference", "diff's own report")
	assert.Contains(t, body, "DIFFERS", "the skeleton's server differs from the reference's")
	assert.Contains(t, body, "TODO: implement Serve", "with what the student's server said")

	resp, _ = ts.do(t, "POST", "/api/diff/99", true, nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a lab that does not exist")
}

// The home page's tab says what the book is, in the page's edition.
func TestHomeTitle(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	_, body := ts.do(t, "GET", "/", true, nil)
	assert.Contains(t, body, "<title>Network programming in Go, one lab at a time · netbook</title>")
	_, body = ts.do(t, "GET", "/?lang=zh", true, nil)
	assert.Contains(t, body, "<title>用 Go 学网络编程，一次一个实验 · netbook</title>")
}

// A page that does not exist (a mistyped address, a chapter or lab the
// book does not have) is a page in the book's layout and the request's
// edition, which says what went wrong and links back to the contents;
// what the pages' script fetches still gets plain text, which it shows.
func TestNotFoundIsAPage(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	for _, tc := range []struct {
		path, title, back, says string
	}{
		{"/nope", "Page not found", `<a class="button" href="/">Back to the contents</a>`, "The book has no page at /nope."},
		{"/chapter/99", "Page not found", `<a class="button" href="/">Back to the contents</a>`, `no chapter &#34;99&#34;`},
		{"/lab/99", "Page not found", `<a class="button" href="/">Back to the contents</a>`, `no lab &#34;99&#34;`},
		{"/nope?lang=zh", "找不到这个页面", `<a class="button" href="/?lang=zh">回到目录</a>`, "本书没有 /nope 这个页面。"},
		{"/lab/99?lang=zh", "找不到这个页面", `<a class="button" href="/?lang=zh">回到目录</a>`, "<p>本书没有 /lab/99 这个页面。</p>\n<p>no lab &#34;99&#34;"},
	} {
		resp, body := ts.do(t, "GET", tc.path, true, nil)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, tc.path)
		assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"), tc.path)
		assert.Contains(t, body, "<title>"+tc.title+" · netbook</title>", tc.path)
		assert.Contains(t, body, "<h1>"+tc.title+"</h1>", tc.path)
		assert.Contains(t, body, tc.back, tc.path)
		assert.Contains(t, body, tc.says, tc.path)
		assert.Contains(t, body, `href="/chapter/01-networks-and-ports`, "%s: the sidebar lists the chapters", tc.path)
	}
	_, body := ts.do(t, "GET", "/nope?lang=zh", true, nil)
	assert.Contains(t, body, `<html lang="zh-CN">`, "the page is in the edition the URL asks for")

	resp, body := ts.do(t, "POST", "/api/check/99", true, nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"), "the script shows an error as text")
	assert.NotContains(t, body, "<html")
	resp, body = ts.do(t, "GET", "/favicon.ico", true, nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Contains(t, body, "Back to the contents", "a file's name gets the page too, without the sidebar")
	resp, _ = ts.do(t, "GET", "/static/nope.css", false, nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, _ = ts.do(t, "GET", "/nope", false, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a page that does not exist is behind the token too")
}

// A new student's home page points at chapter 0, which explains the
// workbook, as the terminal dashboard does ("New here?"), in the page's
// edition; once chapter 0 is open, it no longer does.
func TestHomeSaysWhereANewStudentStarts(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	_, body := ts.do(t, "GET", "/", true, nil)
	assert.Contains(t, body, `<p class="new-here">New here? Chapter 0, <a href="/chapter/00-start-here">Start here</a>, explains how the workbook works.</p>`)
	_, body = ts.do(t, "GET", "/?lang=zh", true, nil)
	assert.Contains(t, body, `<p class="new-here">第一次来？第 0 章《<a href="/chapter/00-start-here?lang=zh">从这里开始</a>》会介绍这本练习册怎么用。</p>`)

	ts.do(t, "GET", "/chapter/00", true, nil)
	_, body = ts.do(t, "GET", "/", true, nil)
	assert.NotContains(t, body, "new-here", "chapter 0 has been read")
}

// The home page's button does what its sentence says: "read chapter 1"
// while the chapter is unread, then, once it is read, the lab's first
// task, which the button opens.
func TestHomeStepButtonFollowsTheStep(t *testing.T) {
	ts := start(t, smallBook(t), Options{})
	step := regexp.MustCompile(`(?s)<h2 id="next-h">.*?<p>([^<]*)</p>\s*<p><a class="button" href="([^"]*)">([^<]*)</a>`)
	_, body := ts.do(t, "GET", "/", true, nil)
	m := step.FindStringSubmatch(body)
	require.NotNil(t, m, body)
	assert.Contains(t, m[1], "First read chapter 1")
	assert.Equal(t, []string{"/chapter/01-networks-and-ports", "Read the chapter"}, m[2:])

	ts.do(t, "GET", "/chapter/01", true, nil)
	_, body = ts.do(t, "GET", "/", true, nil)
	m = step.FindStringSubmatch(body)
	require.NotNil(t, m, body)
	assert.Contains(t, html.UnescapeString(m[1]), "Next: lab 01-addresses, task 1 of 6")
	assert.Equal(t, []string{"/lab/01-addresses", "Open the lab"}, m[2:], "the chapter is read: the button opens the lab")
}

// Once every lab passes, the home page says the book is finished, in
// the page's edition, without the terminal's "Read any chapter again
// with:", whose command the page does not show.
func TestHomeWhenEveryLabPasses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a lab's tests")
	}
	root := smallBook(t)
	sol, err := os.ReadFile(filepath.Join(root.Solution("01-addresses"), "addresses.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root.Lab("01-addresses"), "addresses.go"), sol, 0o644))
	ts := start(t, root, Options{})
	resp, body := ts.do(t, "POST", "/api/check/01", true, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Contains(t, body, "all 6 tasks pass")
	step := regexp.MustCompile(`(?s)<h2 id="next-h">[^<]*</h2>\s*(.*?)<progress`)
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		_, body = ts.do(t, "GET", "/?lang="+string(l), true, nil)
		m := step.FindStringSubmatch(body)
		require.NotNil(t, m, body)
		assert.Equal(t, "<p>"+l.Sprintf(lang.WatchFinished)+"</p>", strings.TrimSpace(m[1]), "the book is finished: no step left, no button")
	}
	// Show a hint on a lab that passes says so, under one key: pressed
	// again, the page replaces it rather than saying it twice.
	_, body = ts.do(t, "POST", "/api/hint/01", true, nil)
	assert.Contains(t, body, `<div class="hint" role="note" data-key="pass"><h3>This lab passes!</h3>`)
}

// The commands the pages suggest start as the student runs netbook:
// netbook serve passes "go run ./cmd/netbook" when started with go run,
// since the server, a program of its own, would say "netbook", which a
// student who never installed it cannot run.
func TestPagesSuggestCommandsAsTheStudentRunsNetbook(t *testing.T) {
	root := smallBook(t)
	ts := start(t, root, Options{Cmd: "go run ./cmd/netbook"})
	p := func(p, s float64) bench.Percentile {
		return bench.Percentile{P: p, Seconds: bench.Spread{Median: s, Min: s, Max: s, N: 1}}
	}
	_, err := bench.Save(root, &bench.Report{Lab: "01-addresses", Rounds: 1, Phases: []bench.Phase{{Name: "10 connections", Unit: "requests",
		Results: []bench.Result{{Contender: "you", Latency: []bench.Percentile{p(50, 0.001), p(90, 0.002), p(99, 0.004), p(99.9, 0.008)}}}}}})
	require.NoError(t, err)
	_, body := ts.do(t, "GET", "/lab/01", true, nil)
	assert.Contains(t, body, "from your latest go run ./cmd/netbook bench 01")
	assert.Contains(t, body, "Start it with go run ./cmd/netbook serve if it is not running")
	assert.NotContains(t, body, " netbook bench", "no command the student cannot run")
}

// Every page carries, in its edition, the words its script shows: the
// note for a server that stopped answering (hidden until then), and the
// names it gives Stop's line and a code block that scrolls.
func TestPagesCarryTheScriptsWords(t *testing.T) {
	ts := start(t, smallBook(t), Options{Cmd: "netbook"})
	for _, tc := range []struct{ path, body, note string }{
		{"/chapter/01", `<body data-stopped="stopped" data-scrolls="code (scrolls sideways)">`,
			`<p id="offline" class="offline" role="alert" hidden>netbook serve is not answering: it has stopped, or it was started again with a new token. Start it with netbook serve if it is not running, and open the address it prints.</p>`},
		{"/lab/01?lang=zh", `<body data-stopped="已停止" data-scrolls="代码（可横向滚动）">`,
			`<p id="offline" class="offline" role="alert" hidden>netbook serve 没有响应：它已经停止了，或者重新启动后换了新的令牌。如果它没在运行，用 netbook serve 启动它，然后打开它打印的网址。</p>`},
	} {
		_, body := ts.do(t, "GET", tc.path, true, nil)
		assert.Contains(t, body, tc.body, tc.path)
		assert.Contains(t, body, tc.note, tc.path)
	}
	js, err := assets.ReadFile("assets/app.js")
	require.NoError(t, err)
	for _, r := range string(js) {
		require.Less(t, r, rune(0x2e80), "app.js holds no Chinese: the page's words come from the catalogue, through the layout")
	}
}

// The first snippet run of a book served in Chinese (netbook serve --lang
// zh) builds the interpreter, through the server's own engine, and says
// so in Chinese on the page's run log, as netbook run --lang zh does. The
// stand-in go command blocks the build; the page going away stops it.
func TestFirstRunSaysTheBuildInTheReadersLanguage(t *testing.T) {
	root := smallBook(t)
	t.Setenv("NETBOOK_CACHE", t.TempDir()) // no interpreter built yet
	g := fakego.Install(t)
	ts := start(t, root, Options{Lang: lang.Chinese, MaxRuns: 1})
	var sn *book.Snippet
	for _, s := range runnables(t, root) {
		if !s.Toolchain { // the interpreter runs it: no go build of the snippet first
			sn = s
			break
		}
	}
	require.NotNil(t, sn, "chapter 01 has a snippet the interpreter runs")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	resp, sc := ts.startRun(t, ctx, sn.ID(), "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	note := strings.TrimSuffix(lang.Chinese.Sprintf(lang.BuildingOnce, lang.Chinese.Sprintf(lang.BuildInterp)), "\n")
	out := readUntil(t, sc, note)
	assert.NotContains(t, out, "building", "no English:\n%s", out)
	g.Started()
	cancel() // the page goes away: the build stops with it
	g.Gone()
}
