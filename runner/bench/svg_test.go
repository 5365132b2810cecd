package bench

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportSVG(t *testing.T) {
	var b strings.Builder
	require.NoError(t, sampleReport().WriteSVG(&b))
	out := b.String()

	// Well-formed XML, every element closed.
	dec := xml.NewDecoder(strings.NewReader(out))
	circles := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "the SVG parses as XML")
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "circle" {
			circles++
		}
	}
	assert.Equal(t, 3, circles, "a p50 dot for each contender of the one phase")
	for _, want := range []string{
		`role="img"`,
		"<title id=\"nb-bench-title\">netbook bench 03-hello-server",
		"10 connections, you: p50 1ms",
		`class="nb-bench-row nb-bench-you"`,
		">1ms<", // an axis label at a power of ten
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "style=", "no inline styles: the page's stylesheet themes the chart")
	assert.NotContains(t, out, "#", "no colours of its own: currentColor and classes")

	assert.Error(t, (&Report{Lab: "03-hello-server"}).WriteSVG(io.Discard), "a report without latencies has nothing to chart")

	// In Chinese, for the web book's Chinese pages: the chart's own words.
	b.Reset()
	require.NoError(t, sampleReport().WriteSVGIn(&b, lang.Chinese))
	for _, want := range []string{"延迟的百分位数", "圆点是 p50", "10 connections，你：p50 1ms", ">参考答案<"} {
		assert.Contains(t, b.String(), want)
	}
	assert.NotContains(t, b.String(), "percentiles")
}

// The figures at the end of each row fit in the chart, in either edition,
// however wide the durations: counted at 7px a character (12px system-ui
// averages under 7) and 12px for a Chinese one.
func TestReportSVGFiguresFit(t *testing.T) {
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		figures := l.Sprintf(lang.BenchSVGFigures, duration(7.68e-6), duration(92.5e-6), duration(236e-6))
		var b strings.Builder
		require.NoError(t, sampleReport().WriteSVGIn(&b, l))
		var width, start float64
		dec := xml.NewDecoder(strings.NewReader(b.String()))
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err)
			se, ok := tok.(xml.StartElement)
			if !ok {
				continue
			}
			for _, a := range se.Attr {
				switch {
				case se.Name.Local == "svg" && a.Name.Local == "width":
					width = parseFloat(t, a.Value)
				case se.Name.Local == "text" && a.Name.Local == "x":
					start = max(start, parseFloat(t, a.Value)) // the figures are the rightmost text
				}
			}
		}
		need := 0.0
		for _, r := range figures {
			need += 7
			if r > 0x2000 {
				need += 5
			}
		}
		assert.LessOrEqual(t, start+need, width, "%s: %q starts at x=%v, in a chart %v wide", l, figures, start, width)
	}
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return f
}

func TestSaveAndLatest(t *testing.T) {
	r := repo.Root{Dir: t.TempDir()}
	got, err := Latest(r, "03-hello-server")
	require.NoError(t, err)
	assert.Nil(t, got, "no report saved yet")

	rep := sampleReport()
	rep.Phases[0].Results[0].Latency[1].Seconds.Max = math.NaN()
	path, err := Save(r, rep)
	require.NoError(t, err)
	assert.FileExists(t, path)

	got, err = Latest(r, "03-hello-server")
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, rep.Lab, got.Lab)
	assert.True(t, math.IsNaN(got.Phases[0].Results[0].Latency[1].Seconds.Max), "a figure no round gave is NaN again after the round trip")
	assert.Equal(t, rep.Phases[0].Results[0].Rate, got.Phases[0].Results[0].Rate)
}

// Two runs that end together each keep their report whole: each writes a
// temporary file of its own, and nothing is left beside the report.
func TestSaveTwoAtOnce(t *testing.T) {
	r := repo.Root{Dir: t.TempDir()}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for range 40 {
		wg.Go(func() {
			_, err := Save(r, sampleReport())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := Latest(r, "03-hello-server")
	require.NoError(t, err)
	require.NotNil(t, got)
	entries, err := os.ReadDir(filepath.Join(r.Dir, ".netbook", "bench"))
	require.NoError(t, err)
	require.Len(t, entries, 1, "the report alone, no temporary file left")
	assert.Equal(t, "03-hello-server.json", entries[0].Name())
}
