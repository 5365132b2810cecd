package mdterm

// span is a piece of inline text in one style, as the inline walk finds it.
type span struct {
	text string
	st   style
	code bool // inline code: its spaces are kept, not collapsed
	hard bool // a hard line break (the span has no text)
}

// atom is what wrapping never splits: a word, a CJK character with the
// punctuation that sticks to it, or a piece of inline code between spaces.
type atom struct {
	pre  []seg // the spaces before it, dropped when it starts a line
	preW int
	segs []seg
	w    int
	hard bool // a hard line break instead of a word
	glue bool // follows a space inside inline code: break here only if the code cannot fit on a line
}

// atoms cuts spans into atoms. Runs of spaces and line breaks in prose
// become one space, except that a line break between two CJK characters
// becomes nothing (Chinese puts no space between words); spaces in inline
// code are kept as they are.
func atoms(spans []span) []atom {
	var (
		out    []atom
		cur    atom
		pre    []seg
		preW   int
		soft   bool // a line break in the source, not yet turned into a space
		softSt style
		prev   rune // the last character placed
		glue   bool // pre holds spaces of inline code
	)
	flush := func() {
		if len(cur.segs) > 0 {
			out = append(out, cur)
		}
		cur = atom{}
	}
	for _, sp := range spans {
		if sp.hard {
			flush()
			out = append(out, atom{hard: true})
			pre, preW, soft, prev = nil, 0, false, 0
			continue
		}
		start := -1 // where the run of sp.text that cur has not taken yet begins
		take := func(end int) {
			if start >= 0 && end > start {
				cur.segs = addSeg(cur.segs, sp.text[start:end], sp.st)
			}
			start = -1
		}
		for i, r := range sp.text {
			switch {
			case r == '\n':
				take(i)
				soft, softSt = true, sp.st
				continue
			case r == ' ' || r == '\t':
				take(i)
				if sp.code || preW == 0 {
					pre = addSeg(pre, " ", sp.st)
					preW++
					glue = sp.code && (preW == 1 || glue)
				}
				continue
			}
			switch {
			case preW > 0 || soft:
				flush()
				if preW == 0 && !(wide(prev) && wide(r)) {
					pre, preW = []seg{{" ", softSt}}, 1
				}
				cur.pre, cur.preW, cur.glue = pre, preW, glue && sp.code
				pre, preW, soft, glue = nil, 0, false, false
			case len(cur.segs) > 0 || start >= 0:
				if breakBetween(prev, r) {
					take(i)
					flush()
				}
			}
			if start < 0 {
				start = i
			}
			cur.w += runeWidth(r)
			prev = r
		}
		take(len(sp.text))
	}
	flush()
	return out
}

// fill lays atoms out on lines: the first line holds at most first
// columns, the others at most rest. A piece of inline code stays on one
// line when it fits on one. An atom wider than its line gets a line of its
// own and runs past the width: words are never split.
func fill(as []atom, first, rest int) []line {
	f := filler{limit: first, rest: rest}
	for i := 0; i < len(as); {
		j := i + 1
		for j < len(as) && as[j].glue {
			j++
		}
		unit := as[i:j]
		w := unit[0].w
		for _, a := range unit[1:] {
			w += a.preW + a.w
		}
		switch {
		case len(unit) == 1:
			f.place(unit[0], false)
		case f.started && f.w+unit[0].preW+w <= f.limit, !f.started && w <= f.limit:
			for k, a := range unit {
				f.place(a, k > 0)
			}
		case w <= f.rest:
			f.flush()
			for k, a := range unit {
				f.place(a, k > 0)
			}
		default:
			for _, a := range unit {
				f.place(a, false)
			}
		}
		i = j
	}
	if f.started || len(f.out) == 0 {
		f.out = append(f.out, f.cur)
	}
	return f.out
}

type filler struct {
	out         []line
	cur         line
	w           int  // columns used on cur
	started     bool // cur holds an atom
	limit, rest int
}

func (f *filler) flush() {
	f.out = append(f.out, f.cur)
	f.cur, f.w, f.limit, f.started = line{}, 0, f.rest, false
}

// place puts a on the current line, or on a new one when it does not fit
// (unless keep says it must stay with the atom before it).
func (f *filler) place(a atom, keep bool) {
	switch {
	case a.hard:
		f.flush()
		return
	case !f.started:
	case keep || f.w+a.preW+a.w <= f.limit:
		for _, s := range a.pre {
			f.cur.segs = addSeg(f.cur.segs, s.text, s.st)
		}
		f.w += a.preW
	default:
		f.flush()
	}
	for _, s := range a.segs {
		f.cur.segs = addSeg(f.cur.segs, s.text, s.st)
	}
	f.w += a.w
	f.started = true
}

// wrap wraps spans to width columns.
func wrap(spans []span, width int) []line {
	return fill(atoms(spans), width, width)
}
