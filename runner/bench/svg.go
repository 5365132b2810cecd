package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
)

// WriteSVG draws the text report's latency chart as an SVG image: one row
// per contender and phase, a line from p50 to p99.9 on a logarithmic axis
// shared by every phase, a dot at p50 and a tick at p99. It has no inline
// colours: shapes carry classes (nb-bench-line, nb-bench-p50, nb-bench-p99,
// nb-bench-you, nb-bench-axis) and default to currentColor, so a page's
// stylesheet themes it, light or dark. Screen readers get a title and a
// description listing every figure.
func (r *Report) WriteSVG(w io.Writer) error { return r.WriteSVGIn(w, lang.English) }

// WriteSVGIn is WriteSVG with the chart's own words (its title, legend,
// "not measured", the contenders you and reference) in l, for the web
// book's pages in either edition. The phases' names are the workloads'
// own, as netbook bench prints them, and stay as they are.
func (r *Report) WriteSVGIn(w io.Writer, l lang.Lang) error {
	sc, ok := r.latencyScale()
	if !ok {
		return errors.New("the report has no latency to chart")
	}
	const (
		rowH, phaseH, axisH = 22, 26, 30
		// numW holds the widest figures, "p50 7.68µs, p99 92.5µs,
		// p99.9 236µs" and the Chinese with its wide commas, at 12px.
		labelW, plotW, numW = 150, 420, 270
		width               = labelW + plotW + numW
	)
	height := axisH + 10
	for _, p := range r.Phases {
		height += phaseH + rowH*(len(p.Results)+len(r.notIn(p)))
	}
	x := func(v float64) float64 { return labelW + sc.at(v)*plotW }

	var b strings.Builder
	var desc []string
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="nb-bench" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="nb-bench-title nb-bench-desc" font-family="system-ui, sans-serif" font-size="12" fill="currentColor" stroke="currentColor">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, "<title id=\"nb-bench-title\">%s</title>\n", esc(l.Sprintf(lang.BenchSVGTitle, r.Lab)))
	descAt := b.Len()

	// The axis: a tick and a label at each power of ten.
	b.WriteString(`<g class="nb-bench-axis" stroke-width="1" opacity="0.6">` + "\n")
	for _, t := range sc.ticks() {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke-dasharray="2 3"/>`+"\n", x(t), axisH-6, x(t), height-4)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" stroke="none">%s</text>`+"\n", x(t), axisH-10, esc(duration(t)))
	}
	b.WriteString("</g>\n")

	y := axisH + 10
	for _, p := range r.Phases {
		fmt.Fprintf(&b, `<text class="nb-bench-phase" x="0" y="%d" font-weight="bold" stroke="none">%s</text>`+"\n", y+16, esc(p.Name))
		y += phaseH
		// A contender with no figures in the phase is "not measured" there,
		// as in the text report.
		rows := slices.Clone(p.Results)
		for _, name := range r.notIn(p) {
			rows = append(rows, Result{Contender: name})
		}
		for _, res := range rows {
			mid := y + rowH/2
			class := "nb-bench-row"
			if res.Contender == You {
				class += " nb-bench-you"
			}
			fmt.Fprintf(&b, `<g class="%s">`+"\n", class)
			who := res.Contender
			switch who {
			case You:
				who = l.Sprintf(lang.BenchSVGYou)
			case Reference:
				who = l.Sprintf(lang.BenchSVGRef)
			}
			fmt.Fprintf(&b, `<text x="12" y="%d" stroke="none">%s</text>`+"\n", mid+4, esc(who))
			p50, p99, p999, ok := res.charted()
			if !ok {
				none := l.Sprintf(lang.BenchSVGNone)
				fmt.Fprintf(&b, `<text x="%d" y="%d" stroke="none">%s</text>`+"\n", labelW, mid+4, esc(none))
				desc = append(desc, l.Sprintf(lang.BenchSVGRow, p.Name, who, none))
				b.WriteString("</g>\n")
				y += rowH
				continue
			}
			fmt.Fprintf(&b, `<line class="nb-bench-line" x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke-width="3" stroke-linecap="round"/>`+"\n", x(p50), mid, x(p999), mid)
			fmt.Fprintf(&b, `<line class="nb-bench-p99" x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke-width="2"/>`+"\n", x(p99), mid-7, x(p99), mid+7)
			fmt.Fprintf(&b, `<circle class="nb-bench-p50" cx="%.1f" cy="%d" r="5" stroke="none"/>`+"\n", x(p50), mid)
			figures := l.Sprintf(lang.BenchSVGFigures, duration(p50), duration(p99), duration(p999))
			fmt.Fprintf(&b, `<text x="%d" y="%d" stroke="none">%s</text>`+"\n", labelW+plotW+12, mid+4, esc(figures))
			b.WriteString("</g>\n")
			desc = append(desc, l.Sprintf(lang.BenchSVGRow, p.Name, who, figures))
			y += rowH
		}
	}
	b.WriteString("</svg>\n")

	out := b.String()
	d := fmt.Sprintf("<desc id=\"nb-bench-desc\">%s</desc>\n", esc(l.Sprintf(lang.BenchSVGLegend, strings.Join(desc, l.Sprintf(lang.Semicolon)))))
	_, err := io.WriteString(w, out[:descAt]+d+out[descAt:])
	return err
}

func esc(s string) string { return html.EscapeString(s) }

// savedPath is where Save keeps lab's latest report in work tree r.
func savedPath(r repo.Root, lab string) string {
	return filepath.Join(r.Dir, ".netbook", "bench", lab+".json")
}

// Save keeps rep as its lab's latest report in work tree r
// (.netbook/bench/LAB.json, beside netbook's other state), for the web
// book's lab page, and returns the file's path.
func Save(r repo.Root, rep *Report) (string, error) {
	path := savedPath(r, rep.Lab)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return "", err
	}
	// A temporary file of its own: two runs that end together must not
	// write into one, or the file renamed in place could be torn.
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", err
	}
	_, err = f.Write(append(data, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return path, nil
}

// Latest returns the report Save kept for lab in work tree r, or nil and
// no error when there is none.
func Latest(r repo.Root, lab string) (*Report, error) {
	data, err := os.ReadFile(savedPath(r, lab))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("%s: %v (run netbook bench again to replace it)", savedPath(r, lab), err)
	}
	return &rep, nil
}
