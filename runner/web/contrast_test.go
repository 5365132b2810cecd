package web

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The pairs of colour variables that text is drawn in, on the background
// it is drawn on: each must reach WCAG AA's 4.5:1 for normal text in both
// themes.
var textPairs = [][2]string{
	{"--fg", "--bg"},
	{"--muted", "--bg"},
	{"--link", "--bg"},
	{"--side-fg", "--side-bg"},
	{"--muted", "--side-bg"},
	{"--side-fg", "--button2-bg"}, // the current chapter in the sidebar
	{"--muted", "--button2-bg"},
	{"--code-fg", "--code-bg"},
	{"--muted", "--code-bg"},
	{"--link", "--code-bg"}, // a link in a blockquote
	{"--fail-fg", "--code-bg"},
	{"--button-fg", "--button-bg"},
	{"--button2-fg", "--button2-bg"},
	{"--done-fg", "--done-bg"},
	{"--progress-fg", "--progress-bg"},
	{"--fail-fg", "--fail-bg"},
	{"--idle-fg", "--idle-bg"},
	{"--fail-fg", "--bg"},
	{"--done-fg", "--bg"},
	{"--progress-fg", "--bg"}, // a hint's border is decoration; its text is --fg
	{"--add-fg", "--code-bg"},
	{"--del-fg", "--code-bg"},
}

// The focus ring must stand out from the background: WCAG's 3:1 for
// non-text contrast.
var uiPairs = [][2]string{{"--focus", "--bg"}, {"--focus", "--side-bg"}, {"--focus", "--code-bg"}}

var varRE = regexp.MustCompile(`(--[a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;`)

// themes reads the colour variables of style.css: the light theme (the
// first :root block) and the dark one (the :root inside
// prefers-color-scheme: dark), which inherits what it does not set.
func themes(t *testing.T) map[string]map[string]string {
	css, err := assets.ReadFile("assets/style.css")
	require.NoError(t, err)
	s := string(css)
	light := s[strings.Index(s, ":root {"):]
	light = light[:strings.Index(light, "}")]
	darkAt := strings.Index(s, "@media (prefers-color-scheme: dark)")
	require.GreaterOrEqual(t, darkAt, 0, "style.css has a dark theme")
	dark := s[darkAt:]
	dark = dark[strings.Index(dark, ":root {"):]
	dark = dark[:strings.Index(dark, "}")]
	read := func(block string, into map[string]string) {
		for _, m := range varRE.FindAllStringSubmatch(block, -1) {
			into[m[1]] = m[2]
		}
	}
	l, d := map[string]string{}, map[string]string{}
	read(light, l)
	read(light, d)
	read(dark, d)
	return map[string]map[string]string{"light": l, "dark": d}
}

// luminance is WCAG 2's relative luminance of a #rrggbb colour.
func luminance(hex string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(0) + 0.7152*ch(1) + 0.0722*ch(2)
}

// contrast is WCAG 2's contrast ratio of two colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestContrastRatio(t *testing.T) {
	assert.InDelta(t, 21, contrast("#000000", "#ffffff"), 0.01)
	assert.InDelta(t, 1, contrast("#777777", "#777777"), 0.001)
	assert.InDelta(t, 4.48, contrast("#777777", "#ffffff"), 0.01) // the classic near miss
}

func TestThemesPassWCAGAA(t *testing.T) {
	for name, vars := range themes(t) {
		check := func(pairs [][2]string, min float64) {
			for _, p := range pairs {
				fg, bg := vars[p[0]], vars[p[1]]
				if !assert.NotEmpty(t, fg, "%s theme sets %s", name, p[0]) || !assert.NotEmpty(t, bg, "%s theme sets %s", name, p[1]) {
					continue
				}
				r := contrast(fg, bg)
				assert.GreaterOrEqual(t, r, min, "%s theme: %s %s on %s %s is %.2f:1", name, p[0], fg, p[1], bg, r)
				if testing.Verbose() {
					fmt.Printf("%-5s %-13s on %-13s %5.2f:1\n", name, p[0], p[1], r)
				}
			}
		}
		check(textPairs, 4.5)
		check(uiPairs, 3)
	}
}

var (
	colorRE = regexp.MustCompile(`color:\s*(#[0-9a-fA-F]{6})`)
	bgRE    = regexp.MustCompile(`background-color:\s*(#[0-9a-fA-F]{6})`)
)

// The highlighting's token colours (chroma's styles) on the code's
// background, in each theme.
func TestHighlightingPassesWCAGAA(t *testing.T) {
	css := string(chromaCSS)
	at := strings.Index(css, "@media (prefers-color-scheme: dark)")
	require.Greater(t, at, 0)
	th := themes(t)
	for name, block := range map[string]string{"light": css[:at], "dark": css[at:]} {
		bg := th[name]["--code-bg"]
		seen := 0
		for _, line := range strings.Split(block, "\n") {
			// Line numbers are off, and whitespace has no glyphs.
			if strings.Contains(line, "/* LineNumbers") || strings.Contains(line, "/* TextWhitespace") {
				continue
			}
			m := colorRE.FindStringSubmatch(strings.ReplaceAll(line, "background-color", "background"))
			if m == nil {
				continue
			}
			seen++
			on := bg
			if b := bgRE.FindStringSubmatch(line); b != nil {
				on = b[1] // a token with a background of its own (an error)
			}
			r := contrast(m[1], on)
			assert.GreaterOrEqual(t, r, 4.5, "%s theme: %s on %s is %.2f:1", name, strings.TrimSpace(line), on, r)
		}
		assert.Greater(t, seen, 10, "the %s style sets token colours", name)
	}
}
