//go:build browser

package web

// The web book in a real browser: headless Chromium, driven by chromedp.
// These tests are behind the build tag "browser" (they start a browser
// and run a lab's tests), and .ci/run runs them:
//
//	go test -tags browser -run Browser ./runner/web
//
// Without Chromium they skip, except in CI (CI=true or NETBOOK_CI=1),
// where they fail. NETBOOK_SCREENSHOTS=DIR saves the pages they visit
// as PNGs in DIR (docs/screenshots holds the book's).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/bench"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/snippets"
)

// chromium finds the browser, or skips (fails in CI) with what to do.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("NETBOOK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found: install it (Debian: apt-get install -y chromium) or set NETBOOK_CHROMIUM to its path"
	if os.Getenv("CI") == "true" || os.Getenv("NETBOOK_CI") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browser starts a headless Chromium with a new, empty profile for the
// test and returns its context: a first tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	// The first Run starts the browser; it must not carry a timeout.
	require.NoError(t, chromedp.Do(ctx), "starting Chromium")
	return ctx
}

// within runs a with a time limit.
func within[T any](t *testing.T, ctx context.Context, d time.Duration, what string, a chromedp.Action[T]) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	v, err := chromedp.Run(c, a)
	require.NoError(t, err, what)
	return v
}

// until waits for a JavaScript expression to be truthy and returns it.
// A poll does not survive a navigation (a click on a link, a redirect):
// it is started again in the new page, until d has passed.
func until[T any](t *testing.T, ctx context.Context, d time.Duration, what, expr string) T {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		left := time.Until(deadline)
		c, cancel := context.WithTimeout(ctx, left+5*time.Second)
		v, err := chromedp.Run(c, chromedp.Poll[T](expr, chromedp.WithPollingTimeout(left), chromedp.WithPollingInterval(50*time.Millisecond)))
		cancel()
		if err == nil {
			return v
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			require.NoError(t, err, what)
		}
	}
}

// press clicks the element sel selects, as a person would, after
// scrolling it to the middle of the window (a click at the top could land
// on the sticky header instead).
func press(t *testing.T, ctx context.Context, what, sel string) {
	t.Helper()
	js, err := json.Marshal(sel)
	require.NoError(t, err)
	within(t, ctx, 10*time.Second, what, chromedp.Evaluate[bool](`(document.querySelector(`+string(js)+`).scrollIntoView({block: "center", behavior: "instant"}), true)`))
	within(t, ctx, 10*time.Second, what, chromedp.Click(chromedp.CSS(sel)))
}

// a11yProblems is the page's accessibility basics, checked in the page:
// every button (and link) has an accessible name, there is one h1, and
// headings never skip a level going down.
const a11yProblems = `(() => {
  const out = [];
  const name = (el) => (el.getAttribute("aria-label") || el.textContent || el.getAttribute("title") || "").trim();
  document.querySelectorAll("button, a[href], textarea, [role=button]").forEach((el) => {
    if (el.getAttribute("aria-hidden") === "true") return;
    if (!name(el)) out.push("no accessible name: " + el.outerHTML.slice(0, 80));
  });
  const hs = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map((h) => +h.tagName[1]);
  if (hs.filter((l) => l === 1).length !== 1) out.push("h1 count " + hs.filter((l) => l === 1).length);
  for (let i = 1; i < hs.length; i++) if (hs[i] > hs[i - 1] + 1) out.push("h" + hs[i - 1] + " then h" + hs[i]);
  document.querySelectorAll("[id]").forEach((el) => {
    if (document.querySelectorAll("#" + CSS.escape(el.id)).length > 1) out.push("duplicate id " + el.id);
  });
  return out;
})()`

func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	problems := within(t, ctx, 10*time.Second, "a11y check", chromedp.Evaluate[[]string](a11yProblems))
	assert.Empty(t, problems, "accessibility basics on %s", page)
}

// screenshot saves the page as DIR/name.png when NETBOOK_SCREENSHOTS=DIR.
func screenshot(t *testing.T, ctx context.Context, name string, full bool) {
	t.Helper()
	dir := os.Getenv("NETBOOK_SCREENSHOTS")
	if dir == "" {
		return
	}
	a := chromedp.CaptureScreenshot()
	if full {
		a = chromedp.FullScreenshot(100) // 100: PNG; below, JPEG
	}
	png := within(t, ctx, 30*time.Second, "screenshot", a)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

func colorScheme(dark bool) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v := "light"
		if dark {
			v = "dark"
		}
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}}})
		return chromedp.Void{}, err
	}
}

// editable is a snippet of chapter 01 that prints what its output block
// says and imports fmt, so a line can be added to it.
func editable(t *testing.T, root string) *book.Snippet {
	b, err := book.Load(os.DirFS(filepath.Join(root, "chapters")))
	require.NoError(t, err)
	c, err := b.Find("01")
	require.NoError(t, err)
	for _, s := range c.Snippets {
		if s.Runnable() && !s.Toolchain && !s.Varies && s.Server == "" && s.Client == "" && s.Output != nil &&
			strings.Contains(s.Code, `"fmt"`) && strings.Contains(s.Code, "func main() {\n") {
			return s
		}
	}
	t.Fatal("chapter 01 has no snippet to edit (runnable, fmt, an output block)")
	return nil
}

func TestBrowser(t *testing.T) {
	ctx := browser(t)
	// Three chapters keep the copy small; screenshots show the whole book.
	keep := testkit.Only("00", "01", "02", "03")
	if os.Getenv("NETBOOK_SCREENSHOTS") != "" {
		keep = nil
	}
	root := testkit.Pristine(t, keep)
	var log testkit.Buffer
	// The interpreter is built from this work tree (the copy has no
	// cmd/), into the user's cache, as netbook run builds it.
	tree := testkit.Tree(t).Dir
	s := builtEditable(t, root.Dir, tree)
	// Cmd: the commands the pages suggest, as a student at the root of
	// the work tree runs them (the copy's own is a path from this
	// package's folder to a temp dir, which the screenshots would show).
	ts := start(t, root, Options{Log: &log, MaxRuns: 2, Cmd: "go run ./cmd/netbook",
		Engine: func(ctx context.Context, snips []*book.Snippet, log io.Writer, l lang.Lang) (snippets.Engine, func(), error) {
			return snippets.ChooseIn(ctx, tree, snips, false, log, l)
		}})

	// The home page, reached with the token in the URL, as netbook serve
	// opens it.
	within(t, ctx, 30*time.Second, "home page", chromedp.Navigate(ts.base+"/?token="+ts.Token()))
	assert.Equal(t, "netbook", until[string](t, ctx, 10*time.Second, "h1", `document.querySelector("h1") && document.querySelector("h1").textContent`))
	assert.Equal(t, ts.base+"/", within(t, ctx, 5*time.Second, "url", chromedp.Evaluate[string](`location.href`)), "the token leaves the address bar")
	checkA11y(t, ctx, "the home page")
	screenshot(t, ctx, "home", false)

	// A chapter, by its link in the sidebar.
	press(t, ctx, "click chapter 01", `#nav a[href="/chapter/01-networks-and-ports"]`)
	until[bool](t, ctx, 10*time.Second, "chapter 01 loads", `location.pathname === "/chapter/01-networks-and-ports" && document.readyState === "complete" && !!document.querySelector(".snippet")`)
	checkA11y(t, ctx, "chapter 01")
	screenshot(t, ctx, "chapter", false)

	// Run a snippet, then edit it and run it again, then reset it.
	box := fmt.Sprintf(`document.querySelector('.snippet[data-snippet="%s"]')`, s.ID())
	t.Cleanup(func() {
		if t.Failed() {
			got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](box+`.querySelector(".snippet-out").textContent + " | state " + `+box+`.dataset.state`))
			t.Logf("the snippet's box: %s", got)
		}
	})
	within(t, ctx, 10*time.Second, "scroll to the snippet", chromedp.Evaluate[bool](`(`+box+`.scrollIntoView(), true)`))
	press(t, ctx, "press Run", fmt.Sprintf(`.snippet[data-snippet="%s"] button[data-action=run]`, s.ID()))
	out := until[string](t, ctx, time.Minute, "the snippet's output", box+`.dataset.state === "done" && `+box+`.querySelector(".snippet-out").textContent`)
	firstLine := strings.SplitN(strings.TrimSpace(book.NormalizeOutput(*s.Output)), "\n", 2)[0]
	assert.Contains(t, book.NormalizeOutput(out), firstLine, "the run shows what the chapter says it prints")
	assert.Equal(t, "✓", within(t, ctx, 5*time.Second, "status", chromedp.Evaluate[string](box+`.querySelector(".snippet-status").textContent`)))
	screenshot(t, ctx, "snippet", false)

	edited := strings.Replace(s.Code, "func main() {\n", "func main() {\n\tfmt.Println(\"edited in the browser\")\n", 1)
	press(t, ctx, "press Edit", fmt.Sprintf(`.snippet[data-snippet="%s"] button[data-action=edit]`, s.ID()))
	typeEdit := func(code string) {
		t.Helper()
		js, err := json.Marshal(code)
		require.NoError(t, err)
		assert.True(t, within(t, ctx, 10*time.Second, "type the edit", chromedp.Evaluate[bool](
			`(() => { const ta = `+box+`.querySelector("textarea"); ta.value = `+string(js)+`; ta.dispatchEvent(new Event("input")); return ta.value === `+string(js)+` && !ta.hidden; })()`)),
			"the edit box shows the edit")
	}
	typeEdit(edited)
	press(t, ctx, "press Run again", fmt.Sprintf(`.snippet[data-snippet="%s"] button[data-action=run]`, s.ID()))
	out = until[string](t, ctx, 2*time.Minute, "the edited snippet's output", box+`.dataset.state === "done" && `+box+`.querySelector(".snippet-out").textContent.includes("edited in the browser") && `+box+`.querySelector(".snippet-out").textContent`)
	assert.Contains(t, book.NormalizeOutput(out), firstLine)
	// Stop: a program that would print for ever (until its time limit)
	// ends when the student presses Stop.
	typeEdit("package main\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\nfunc main() {\n\tfor i := 0; ; i++ {\n\t\tfmt.Println(\"tick\", i)\n\t\ttime.Sleep(50 * time.Millisecond)\n\t}\n}\n")
	press(t, ctx, "press Run on a program that does not end", fmt.Sprintf(`.snippet[data-snippet="%s"] button[data-action=run]`, s.ID()))
	until[bool](t, ctx, time.Minute, "it runs", box+`.dataset.state === "running" && `+box+`.querySelector(".snippet-out").textContent.includes("tick 3")`)
	press(t, ctx, "press Stop", fmt.Sprintf(`.snippet[data-snippet="%s"] button[data-action=stop]`, s.ID()))
	assert.Equal(t, "■", until[string](t, ctx, 30*time.Second, "it stops", box+`.dataset.state === "done" && `+box+`.querySelector(".snippet-status").textContent`), "stopped by the button, not by its time limit")
	press(t, ctx, "press Reset", fmt.Sprintf(`.snippet[data-snippet="%s"] button[data-action=reset]`, s.ID()))
	assert.Equal(t, s.Code, within(t, ctx, 5*time.Second, "reset", chromedp.Evaluate[string](box+`.querySelector("textarea").value`)))

	// A phone's width: nothing but code blocks scrolls sideways.
	within(t, ctx, 10*time.Second, "phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	until[bool](t, ctx, 10*time.Second, "phone layout", `document.documentElement.clientWidth === 375`)
	assert.LessOrEqual(t, within(t, ctx, 5*time.Second, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)), 375, "the page fits a phone's width")
	within(t, ctx, 5*time.Second, "top", chromedp.Evaluate[bool](`(window.scrollTo({top: 0, behavior: "instant"}), true)`))
	screenshot(t, ctx, "phone", false)
	// The chapters sit behind a button on a phone, reachable by keyboard.
	assert.False(t, within(t, ctx, 5*time.Second, "nav hidden", chromedp.Evaluate[bool](`document.getElementById("nav").offsetParent !== null`)))
	within(t, ctx, 5*time.Second, "focus the menu", chromedp.Focus(chromedp.CSS(`button.menu`)))
	within(t, ctx, 5*time.Second, "press Enter", chromedp.SendKeys(chromedp.CSS(`button.menu`), "\r"))
	until[bool](t, ctx, 5*time.Second, "the chapters open", `document.getElementById("nav").offsetParent !== null && document.activeElement.closest("#nav") !== null`)
	screenshot(t, ctx, "phone-menu", false)
	within(t, ctx, 10*time.Second, "desktop", chromedp.EmulateViewport(1280, 1000))

	// The lab's page: its task list comes live, from the first check.
	within(t, ctx, 30*time.Second, "open the lab", chromedp.Navigate(ts.base+"/lab/01-addresses"))
	// The page opens with what the progress file knows (seq 0); its event
	// stream brings the check that the page's opening started.
	until[bool](t, ctx, 3*time.Minute, "the first check", `!!document.querySelector('#lab-status .status[data-state="fail"]:not([data-seq="0"])')`)
	assert.Contains(t, within(t, ctx, 5*time.Second, "the first failure", chromedp.Text(chromedp.CSS(`#lab-status`))), "TestTask1", "the first failure's message is shown")
	checkA11y(t, ctx, "lab 01")
	screenshot(t, ctx, "lab", false)

	// Show a hint, four times: task 1's three levels, then the last
	// again, which says so and takes its copy's place instead of stacking
	// the same code twice; the code level keeps its lines and indents.
	for i := range 3 {
		press(t, ctx, "press Show a hint", `button[data-into="hints"]`)
		until[bool](t, ctx, time.Minute, fmt.Sprintf("hint %d", i+1), fmt.Sprintf(
			`document.querySelectorAll("#hints .hint").length === %d && !document.querySelector('button[data-into="hints"][aria-busy]')`, i+1))
	}
	press(t, ctx, "press Show a hint once more", `button[data-into="hints"]`)
	until[bool](t, ctx, time.Minute, "the last hint again", `(() => { const n = document.querySelector("#hints .hint:last-child .hint-note"); return !!n && n.textContent.includes("again"); })()`)
	assert.Equal(t, 3, within(t, ctx, 5*time.Second, "hints", chromedp.Evaluate[int](`document.querySelectorAll("#hints .hint").length`)), "the last hint is not shown twice")
	assert.Contains(t, within(t, ctx, 5*time.Second, "the code hint", chromedp.Evaluate[string](`document.querySelector('#hints .hint[data-key="1-3"] pre').textContent`)),
		"if err != nil {\n    return Endpoint{}", "the code hint's lines, indented as written")
	checkA11y(t, ctx, "lab 01 with its hints")

	// Save the reference's file over the student's, and see the tasks
	// pass; then the skeleton's and the reference's again, a few times, and
	// time each save until the page shows its result, against go test of
	// the lab in the same run.
	file := filepath.Join(root.Lab("01-addresses"), "addresses.go")
	skeleton, err := os.ReadFile(file)
	require.NoError(t, err)
	sol, err := os.ReadFile(filepath.Join(root.Solution("01-addresses"), "addresses.go"))
	require.NoError(t, err)
	saveUntil := func(content []byte, state string) time.Duration {
		t.Helper()
		seq := within(t, ctx, 5*time.Second, "seq", chromedp.Evaluate[string](`document.querySelector("#lab-status .status").dataset.seq`))
		saved := time.Now()
		require.NoError(t, os.WriteFile(file, content, 0o644))
		until[bool](t, ctx, 3*time.Minute, "the page shows "+state+" after the save",
			`(() => { const s = document.querySelector("#lab-status .status"); return s.dataset.seq !== "`+seq+`" && s.dataset.state === "`+state+`"; })()`)
		return time.Since(saved)
	}
	var toPage, goTest []time.Duration
	toPage = append(toPage, saveUntil(sol, "pass"))
	assert.Zero(t, within(t, ctx, 5*time.Second, "failing tasks", chromedp.Evaluate[int](`document.querySelectorAll('#lab-status .task[data-status="fail"]').length`)))
	assert.Equal(t, "done", within(t, ctx, 5*time.Second, "the sidebar's badge", chromedp.Text(chromedp.CSS(`#nav li.current .badge`))), "the sidebar follows the check")
	screenshot(t, ctx, "lab-done", true)
	// The skeleton again, as a student debugging it would have it: it
	// prints what it was given. The page shows what it printed under the
	// failure's message, as netbook check does, escaped.
	printing := skeleton
	for _, edit := range [][2]string{
		{"\t// TODO: split s into host and port", "\thost, port, err := net.SplitHostPort(s)\n\tfmt.Printf(\"debug: <%s> is host %q, port %q, err %v\\n\", s, host, port, err)\n"},
		{"\t\"errors\"\n", "\t\"fmt\"\n"},
	} {
		require.Equal(t, 1, bytes.Count(printing, []byte(edit[0])), "lab 01's skeleton has changed: edit the debugging print above")
		printing = bytes.Replace(printing, []byte(edit[0]), []byte(edit[1]+edit[0]), 1)
	}
	for i := range 2 {
		saveUntil(printing, "fail")
		if i == 0 {
			printed := within(t, ctx, 5*time.Second, "what the code printed", chromedp.Evaluate[string](
				`(() => { const p = document.querySelector("#lab-status pre.printed"); return p ? p.previousElementSibling.textContent + " | " + p.textContent : ""; })()`))
			head, lines, _ := strings.Cut(printed, " | ")
			assert.Equal(t, "Your code printed this while the test ran", head)
			assert.Contains(t, lines, `debug: <127.0.0.1:9999> is host "127.0.0.1", port "9999", err <nil>`, "the first line task 1's test made it print")
			checkA11y(t, ctx, "lab 01 with a failure and what the code printed")
			within(t, ctx, 5*time.Second, "scroll to the failure", chromedp.Evaluate[bool](
				`(document.getElementById("status-h").scrollIntoView({behavior: "instant"}), true)`))
			screenshot(t, ctx, "lab-printed", false)
		}
		toPage = append(toPage, saveUntil(sol, "pass"))
	}
	for range 3 {
		goTest = append(goTest, timeGoTest(t, root.Dir, "./labs/01-addresses"))
	}
	t.Logf("measure: save to the page's task list %v (median %v); go test ./labs/01-addresses -count=1 %v (median %v); ratio of medians %.2f",
		rounded(toPage), median(toPage), rounded(goTest), median(goTest), median(toPage).Seconds()/median(goTest).Seconds())

	// A lab with a saved netbook bench shows its chart (a made-up report:
	// the chart's drawing is runner/bench's, tested there).
	pct := func(p, s float64) bench.Percentile {
		return bench.Percentile{P: p, Seconds: bench.Spread{Median: s, Min: s, Max: s, N: 1}}
	}
	_, err = bench.Save(root, &bench.Report{Lab: "03-hello-server", Rounds: 1, Phases: []bench.Phase{{Name: "100 connections", Unit: "requests",
		Results: []bench.Result{
			{Contender: "you", Latency: []bench.Percentile{pct(50, 0.0012), pct(90, 0.0031), pct(99, 0.0061), pct(99.9, 0.019)}},
			{Contender: "reference", Latency: []bench.Percentile{pct(50, 0.0009), pct(90, 0.0014), pct(99, 0.0024), pct(99.9, 0.0041)}},
		}}}})
	require.NoError(t, err)
	within(t, ctx, 30*time.Second, "lab 03", chromedp.Navigate(ts.base+"/lab/03"))
	until[bool](t, ctx, 10*time.Second, "the chart", `!!document.querySelector(".bench-chart svg") && (document.getElementById("bench-h").scrollIntoView({behavior: "instant"}), true)`)
	checkA11y(t, ctx, "lab 03")
	screenshot(t, ctx, "bench", false)

	// The dark theme.
	within(t, ctx, 10*time.Second, "dark", colorScheme(true))
	within(t, ctx, 30*time.Second, "chapter 02", chromedp.Navigate(ts.base+"/chapter/02"))
	until[bool](t, ctx, 10*time.Second, "chapter 02 loads", `document.readyState === "complete"`)
	screenshot(t, ctx, "chapter-dark", false)
	within(t, ctx, 10*time.Second, "light", colorScheme(false))

	// The Chinese edition, and the language switch keeps the page.
	press(t, ctx, "switch to Chinese", `.langs a[href*="lang=zh"]`)
	until[bool](t, ctx, 10*time.Second, "chapter 02 in Chinese", `document.documentElement.lang.startsWith("zh")`)
	assert.Equal(t, "/chapter/02", within(t, ctx, 5*time.Second, "path", chromedp.Evaluate[string](`location.pathname`)))
	checkA11y(t, ctx, "chapter 02 in Chinese")
	until[bool](t, ctx, 10*time.Second, "a code block wider than the column",
		`document.querySelectorAll("main pre[role=region]").length > 0`)
	assert.Equal(t, "代码（可横向滚动）", within(t, ctx, 5*time.Second, "its name", chromedp.Evaluate[string](
		`document.querySelector("main pre[role=region]").getAttribute("aria-label")`)), "the page's own words are Chinese (html lang is zh-CN)")
	screenshot(t, ctx, "chapter-zh", false)

	// Refused: a request without the token, from the book's own page.
	status := within(t, ctx, 30*time.Second, "a request without the token", chromedp.Evaluate[int](
		`fetch("/api/run", {method: "POST", credentials: "omit", body: JSON.stringify({id: "`+s.ID()+`"})}).then(r => r.status)`,
		chromedp.EvalAwaitPromise))
	assert.Equal(t, http.StatusForbidden, status)

	// Refused: another site's page (another port of this machine, so the
	// browser even sends the cookie: same site) posts a run.
	evil := evilSite(t, ts.base, s.ID())
	before := strings.Count(log.String(), "running snippet")
	within(t, ctx, 30*time.Second, "the other site", chromedp.Navigate(evil))
	until[bool](t, ctx, 20*time.Second, "the other site's requests end", `document.title === "sent"`)
	logged := log.String()
	assert.Contains(t, logged, `refused POST /api/run (Host "127.0.0.1:`, "the server refused it")
	assert.Contains(t, logged, fmt.Sprintf(`Origin "%s"`, strings.TrimSuffix(evil, "/")))
	assert.Equal(t, before, strings.Count(logged, "running snippet"), "nothing ran")
	assert.Contains(t, logged, "refused GET /events/lab/01-addresses",
		"an image from the other site, which carries the cookie but no Origin, is refused too")
}

// TestBrowserPagesThatAreNotTheBook: a mistyped address gets the 404
// page in the book's layout, whose link leads back to the contents; an
// edition the book lacks (?lang=fr) gets the server's with a note; a
// refusal is plain text that says what to do.
func TestBrowserPagesThatAreNotTheBook(t *testing.T) {
	ctx := browser(t)
	ts := start(t, smallBook(t), Options{})
	within(t, ctx, 30*time.Second, "home page", chromedp.Navigate(ts.base+"/?token="+ts.Token()))
	until[bool](t, ctx, 10*time.Second, "the home page", `location.pathname === "/" && !!document.querySelector("h1")`)

	within(t, ctx, 30*time.Second, "a mistyped address", chromedp.Navigate(ts.base+"/chapter/01-netwroks"))
	assert.Equal(t, "Page not found", until[string](t, ctx, 10*time.Second, "the 404 page", `document.querySelector("main h1") && document.querySelector("main h1").textContent`))
	assert.Equal(t, http.StatusNotFound, within(t, ctx, 10*time.Second, "its status", chromedp.Evaluate[int](`fetch(location.href).then(r => r.status)`, chromedp.EvalAwaitPromise)))
	assert.Contains(t, within(t, ctx, 5*time.Second, "its words", chromedp.Text(chromedp.CSS(`main`))), "The book has no page at /chapter/01-netwroks.")
	assert.Positive(t, within(t, ctx, 5*time.Second, "the sidebar", chromedp.Evaluate[int](`document.querySelectorAll("#nav a").length`)), "the 404 page has the book's sidebar")
	checkA11y(t, ctx, "the 404 page")
	screenshot(t, ctx, "not-found", false)
	press(t, ctx, "back to the contents", `main a.button`)
	until[bool](t, ctx, 10*time.Second, "the contents", `location.pathname === "/" && !!document.querySelector(".contents")`)

	within(t, ctx, 30*time.Second, "the 404 page in Chinese", chromedp.Navigate(ts.base+"/nope?lang=zh"))
	assert.Equal(t, "找不到这个页面", until[string](t, ctx, 10*time.Second, "the Chinese 404 page", `document.documentElement.lang.startsWith("zh") && document.querySelector("main h1").textContent`))
	checkA11y(t, ctx, "the 404 page in Chinese")

	within(t, ctx, 30*time.Second, "an edition the book lacks", chromedp.Navigate(ts.base+"/chapter/01-networks-and-ports?lang=fr"))
	note := until[string](t, ctx, 10*time.Second, "the note", `document.querySelector("main .note") && document.querySelector("main .note").textContent`)
	assert.Equal(t, `The book has no edition "fr", so this page is in English. The links at the top of the page switch editions.`, note)
	checkA11y(t, ctx, "a chapter asked for in French")
	press(t, ctx, "switch to Chinese", `.langs a[href*="lang=zh"]`)
	until[bool](t, ctx, 10*time.Second, "the chapter in Chinese, without the note", `document.documentElement.lang.startsWith("zh") && location.pathname === "/chapter/01-networks-and-ports" && !document.querySelector("main .note")`)

	refusal := within(t, ctx, 30*time.Second, "a request without the token", chromedp.Evaluate[string](
		`fetch("/", {credentials: "omit"}).then(async (r) => r.status + " " + r.headers.get("Content-Type") + " " + await r.text())`, chromedp.EvalAwaitPromise))
	assert.True(t, strings.HasPrefix(refusal, "403 text/plain"), "a refusal is plain text, not the book: %s", refusal)
	assert.Contains(t, refusal, "Open the URL netbook serve printed", "a refusal says what to do")

	// Opened in the address bar with an old token (the server restarted):
	// a small page of its own, in both editions, none of the book.
	within(t, ctx, 30*time.Second, "an old token", chromedp.Navigate(ts.base+"/chapter/01?token="+strings.Repeat("0", 32)))
	assert.Equal(t, "netbook: 403", until[string](t, ctx, 10*time.Second, "the refusal's page", `document.querySelector("h1") && document.querySelector("h1").textContent`))
	words := within(t, ctx, 5*time.Second, "its words", chromedp.Text(chromedp.CSS(`body`)))
	assert.Contains(t, words, "Open the URL netbook serve printed")
	assert.Contains(t, words, "请打开 netbook serve 打印的网址")
	assert.Zero(t, within(t, ctx, 5*time.Second, "no book", chromedp.Evaluate[int](`document.querySelectorAll("#nav, a, script").length`)), "none of the book")
	checkA11y(t, ctx, "the refusal's page")
	screenshot(t, ctx, "refused", false)
}

// evilSite serves, on another loopback port, a page that tries to make
// the book run a snippet.
func evilSite(t *testing.T, target, id string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	page := `<!doctype html><title>sending</title><script>
const img = new Image();
const loaded = new Promise((done) => { img.onload = done; img.onerror = done; });
img.src = "` + target + `/events/lab/01-addresses";
const posted = fetch("` + target + `/api/run", {method: "POST", mode: "no-cors", credentials: "include",
  headers: {"Content-Type": "text/plain"}, body: JSON.stringify({id: "` + id + `"})}).catch(() => {});
Promise.all([loaded, posted]).then(() => { document.title = "sent"; });
</script>`
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page)
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

func rounded(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

// timeGoTest times go test of a lab, as a student runs it.
func timeGoTest(t *testing.T, dir, pkg string) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", pkg)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("go test %s: %v\n%s", pkg, err, out)
	}
	return took
}

// TestBrowserKeyboardPhoneAndAStoppedServer: the contents fit a phone;
// Run and Check now, pressed from the keyboard, leave the focus on a
// button (not on the page, as a button disabled under it would); and when
// the server stops while its pages are open, they say so and what to do,
// rather than failing without a word or calling it a Stop.
func TestBrowserKeyboardPhoneAndAStoppedServer(t *testing.T) {
	ctx := browser(t)
	// Lab 11 has the longest name, which the contents keep whole.
	root := testkit.Pristine(t, testkit.Only("00", "01", "11"))
	ts := start(t, root, helperOptions())
	sn := runnables(t, root)[0]

	within(t, ctx, 30*time.Second, "home page", chromedp.Navigate(ts.base+"/?token="+ts.Token()))
	until[bool](t, ctx, 10*time.Second, "the home page", `location.pathname === "/" && !!document.querySelector(".contents")`)
	within(t, ctx, 10*time.Second, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, page := range []string{"/", "/?lang=zh"} {
		within(t, ctx, 30*time.Second, page, chromedp.Navigate(ts.base+page))
		until[bool](t, ctx, 10*time.Second, "the phone's layout of "+page, `document.documentElement.clientWidth === 390 && !!document.querySelector(".contents")`)
		assert.LessOrEqual(t, within(t, ctx, 5*time.Second, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)), 390,
			"the contents of %s fit a phone's width", page)
		assert.True(t, within(t, ctx, 5*time.Second, "lab and status", chromedp.Evaluate[bool](
			`(() => { const r = document.querySelector(".contents a[href^='/lab/01']").closest("tr").querySelector(".badge").getBoundingClientRect(); return r.width > 0 && r.right <= 390; })()`)),
			"%s: lab 01's status is in view", page)
		screenshot(t, ctx, "phone-home"+strings.ReplaceAll(strings.TrimPrefix(page, "/?lang="), "/", ""), true)
	}
	within(t, ctx, 10*time.Second, "desktop", chromedp.EmulateViewport(1280, 1000))

	// Run, from the keyboard: the focus goes to Stop while it runs, and
	// back to Run when it ends.
	within(t, ctx, 30*time.Second, "chapter 01", chromedp.Navigate(ts.base+"/chapter/01"))
	box := fmt.Sprintf(`document.querySelector('.snippet[data-snippet="%s"]')`, sn.ID())
	runSel := fmt.Sprintf(`.snippet[data-snippet="%s"] button[data-action=run]`, sn.ID())
	until[bool](t, ctx, 10*time.Second, "the snippet", `document.readyState === "complete" && !!`+box)
	within(t, ctx, 5*time.Second, "focus Run", chromedp.Focus(chromedp.CSS(runSel)))
	within(t, ctx, 5*time.Second, "press Enter", chromedp.SendKeys(chromedp.CSS(runSel), "\r"))
	until[bool](t, ctx, time.Minute, "the run ends", box+`.dataset.state === "done"`)
	assert.Equal(t, "✓", within(t, ctx, 5*time.Second, "status", chromedp.Evaluate[string](box+`.querySelector(".snippet-status").textContent`)))
	assert.True(t, within(t, ctx, 5*time.Second, "the focus", chromedp.Evaluate[bool](`document.activeElement === document.querySelector('`+runSel+`')`)),
		"the focus is back on Run, not lost to the page")

	// The lab's page, in a second tab, checked once.
	lab, cancelLab := chromedp.NewContext(ctx)
	defer cancelLab()
	require.NoError(t, chromedp.Do(lab), "opening a second tab") // without a timeout, which would close it
	within(t, lab, 30*time.Second, "lab 01", chromedp.Navigate(ts.base+"/lab/01"))
	until[bool](t, lab, 3*time.Minute, "the first check", `!!document.querySelector('#lab-status .status[data-state="fail"]:not([data-seq="0"])')`)
	seq := within(t, lab, 5*time.Second, "seq", chromedp.Evaluate[string](`document.querySelector("#lab-status .status").dataset.seq`))
	check := `button[data-post^="/api/check/"]`
	within(t, lab, 5*time.Second, "focus Check now", chromedp.Focus(chromedp.CSS(check)))
	within(t, lab, 5*time.Second, "press Enter", chromedp.SendKeys(chromedp.CSS(check), "\r"))
	until[bool](t, lab, 3*time.Minute, "the check ends", `(() => { const b = document.querySelector('`+check+`'); const s = document.querySelector("#lab-status .status"); return !b.hasAttribute("aria-busy") && s && s.dataset.seq !== "`+seq+`"; })()`)
	assert.True(t, within(t, lab, 5*time.Second, "the focus", chromedp.Evaluate[bool](`document.activeElement === document.querySelector('`+check+`')`)),
		"the focus stays on Check now")
	assert.True(t, within(t, lab, 5*time.Second, "no note yet", chromedp.Evaluate[bool](`document.getElementById("offline").hidden`)))

	// The server stops: the lab's page says so as its event stream
	// breaks, and so do Check now and Run, with what to do.
	ts.stop()
	note := until[string](t, lab, 30*time.Second, "the lab's page says the server stopped", `!document.getElementById("offline").hidden && document.getElementById("offline").textContent`)
	assert.Contains(t, note, "netbook serve is not answering")
	assert.Contains(t, note, "serve if it is not running", "it says what to do")
	press(t, lab, "press Check now", check)
	until[bool](t, lab, 30*time.Second, "Check now says why it cannot", `(document.querySelector("#lab-status .problem") || {}).textContent === `+"`"+note+"`")
	screenshot(t, lab, "offline-lab", false)

	press(t, ctx, "press Run with the server stopped", runSel)
	until[bool](t, ctx, 30*time.Second, "the run ends", box+`.dataset.state === "done"`)
	assert.Equal(t, "✗", within(t, ctx, 5*time.Second, "status", chromedp.Evaluate[string](box+`.querySelector(".snippet-status").textContent`)), "not ■, which is Stop's")
	assert.Contains(t, within(t, ctx, 5*time.Second, "output", chromedp.Evaluate[string](box+`.querySelector(".snippet-out").textContent`)), note)
	assert.False(t, within(t, ctx, 5*time.Second, "the note", chromedp.Evaluate[bool](`document.getElementById("offline").hidden`)), "the chapter's page shows the note too")
}

// TestBrowserOutputFlood: a snippet that prints without end fills its box
// up to the output cap (1 MiB), a line an event; the page joins what
// comes in one frame, a kind at a time, so the box holds a few hundred
// nodes, not one element a line (25,000 and more), and the page stays
// quick to answer.
func TestBrowserOutputFlood(t *testing.T) {
	ctx := browser(t)
	root := testkit.Pristine(t, testkit.Only("00", "01"))
	tree := testkit.Tree(t).Dir
	s := builtEditable(t, root.Dir, tree)
	ts := start(t, root, Options{MaxRuns: 2,
		Engine: func(ctx context.Context, snips []*book.Snippet, log io.Writer, l lang.Lang) (snippets.Engine, func(), error) {
			return snippets.ChooseIn(ctx, tree, snips, false, log, l)
		}})
	within(t, ctx, 30*time.Second, "chapter 01", chromedp.Navigate(ts.base+"/chapter/01?token="+ts.Token()))
	until[bool](t, ctx, 10*time.Second, "chapter 01 loads", `document.readyState === "complete" && !!document.querySelector(".snippet")`)
	box := fmt.Sprintf(`document.querySelector('.snippet[data-snippet="%s"]')`, s.ID())
	sel := fmt.Sprintf(`.snippet[data-snippet="%s"] button[data-action=`, s.ID())
	press(t, ctx, "press Edit", sel+"edit]")
	flood := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < 200000; i++ {\n\t\tfmt.Println(\"line\", i, \"of a flood of output that fills the box\")\n\t}\n}\n"
	js, err := json.Marshal(flood)
	require.NoError(t, err)
	within(t, ctx, 10*time.Second, "type the flood", chromedp.Evaluate[bool](`(`+box+`.querySelector("textarea").value = `+string(js)+`, true)`))
	t.Cleanup(func() {
		if t.Failed() {
			got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`"state " + `+box+`.dataset.state + ", " + `+box+`.querySelector(".snippet-out").childNodes.length + " nodes, " + `+box+`.querySelector(".snippet-out").textContent.length + " chars; ends " + `+box+`.querySelector(".snippet-out").textContent.slice(-300)`))
			t.Logf("the snippet's box: %s", got)
		}
	})
	var took []time.Duration
	var nodes, elements int
	for range 2 {
		pressed := time.Now()
		press(t, ctx, "press Run", sel+"run]")
		until[bool](t, ctx, 5*time.Minute, "the flood ends", box+`.dataset.state === "done"`)
		took = append(took, time.Since(pressed))
		text := within(t, ctx, 10*time.Second, "the output", chromedp.Evaluate[string](box+`.querySelector(".snippet-out").textContent`))
		// (Not assert.Contains: its message would be the megabyte.)
		assert.True(t, strings.Contains(text, "line 0 of a flood of output that fills the box\nline 1 of"), "the output starts as printed")
		assert.True(t, strings.Contains(text, "line 20000 of a flood of output that fills the box\nline 20001 of"), "the output is whole")
		assert.True(t, strings.HasSuffix(text, "[output cut at 1024 KiB]\nstopped "+s.ID()+": it printed more than 1024 KiB, so netbook cut it off (a loop that prints without end?)\n"),
			"the output cap stops it, and the page says so last: %q", text[max(0, len(text)-200):])
		nodes = within(t, ctx, 10*time.Second, "nodes", chromedp.Evaluate[int](`(() => { let n = 0; const w = document.createTreeWalker(`+box+`.querySelector(".snippet-out")); while (w.nextNode()) n++; return n; })()`))
		elements = within(t, ctx, 10*time.Second, "elements", chromedp.Evaluate[int](box+`.querySelector(".snippet-out").querySelectorAll("*").length`))
	}
	t.Logf("measure: a 1 MiB flood, Run to done %v (median %v); its box holds %d elements, %d nodes", rounded(took), median(took), elements, nodes)
	assert.Less(t, elements, 100, "what comes in one frame is one node, not one element a line")
	assert.Less(t, nodes, 5000)
}

// builtEditable is the snippet of root's chapter that a page lets the
// student edit (editable), with the interpreter it runs on built from
// tree now, into the user's cache as netbook run builds it, with all the
// time it needs on a fresh machine: the page's first Run then waits only
// for the run.
func builtEditable(t *testing.T, root, tree string) *book.Snippet {
	t.Helper()
	s := editable(t, root)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var buildLog testkit.Buffer
	_, cleanup, err := snippets.Choose(ctx, tree, []*book.Snippet{s}, false, &buildLog)
	require.NoError(t, err, "building the interpreter: %s", buildLog.String())
	cleanup()
	return s
}
