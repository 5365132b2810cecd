package session

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Session is a parsed .session file: its steps in the order they run.
type Session struct {
	Name  string // the file name that positions and reports use
	Steps []Step // in the order they run
}

// Step is one line of a session that does something.
type Step struct {
	Pos     Pos            // where the step is written
	Op      Op             // what it does
	Conn    string         // the connection's name; empty for a pause
	Data    []byte         // what Send sends and Expect expects, escapes resolved
	Pattern *regexp.Regexp // for Match, anchored to the whole line
	Pause   time.Duration  // for Pause
	Source  string         // the line as written, trimmed, for reports
	// Comment is what the session says about the step: the lines of the
	// # comment that heads its paragraph (the lines since the last blank
	// line), without their #, for reports.
	Comment string
}

// Pos is where a step is written: file and line, counted from 1.
type Pos struct {
	File string // as given to Parse or ParseFile
	Line int
}

// String formats p as file:line, the form editors and go vet use.
func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// Op is what a step does.
type Op int

// The operations, one for each statement of the file format.
const (
	Dial       Op = iota + 1 // dial NAME
	UDP                      // udp NAME
	Send                     // NAME -> DATA
	Expect                   // NAME <- DATA
	Match                    // NAME <~ PATTERN
	EOF                      // NAME eof
	CloseWrite               // NAME closewrite
	Close                    // NAME close
	Pause                    // pause DURATION
	Accept                   // accept NAME
)

var opNames = [...]string{Dial: "dial", UDP: "udp", Send: "->", Expect: "<-", Match: "<~",
	EOF: "eof", CloseWrite: "closewrite", Close: "close", Pause: "pause", Accept: "accept"}

// String returns the op as it is written in a session file.
func (o Op) String() string {
	if o > 0 && int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// maxPause keeps a typo such as "pause 50s" from turning a test into a wait.
const maxPause = time.Minute

// maxLine bounds one line of a session file.
const maxLine = 1 << 20

// maxErrors is how many errors Parse reports before it stops listing them.
const maxErrors = 10

// ParseFile reads and parses the session file at path; positions in steps
// and errors name the file as path.
func ParseFile(path string) (*Session, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(path, f)
}

// Parse reads a session from r. name is the file name used in positions and
// error messages, which have the form "name:line: what is wrong"; when
// several lines are wrong the error lists each of them.
func Parse(name string, r io.Reader) (*Session, error) {
	p := &parser{s: &Session{Name: name}, conns: map[string]*connState{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	for sc.Scan() {
		p.line++
		p.parseLine(strings.TrimSuffix(sc.Text(), "\r"))
		if len(p.errs) >= maxErrors {
			p.errs = append(p.errs, fmt.Errorf("%s: too many errors", name))
			break
		}
	}
	if err := sc.Err(); err != nil {
		p.errs = append(p.errs, fmt.Errorf("%s:%d: %w", name, p.line+1, err))
	}
	if len(p.errs) == 0 && len(p.s.Steps) == 0 {
		p.errs = append(p.errs, fmt.Errorf("%s: the session has no steps", name))
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return p.s, nil
}

// connState is what the parser knows about a connection so far, so that a
// misuse is reported at the line that makes it rather than while playing.
type connState struct {
	udp        bool
	accepted   bool
	opened     int // line numbers where the state changed
	wroteClose int
	sawEOF     int
	closed     int
}

type parser struct {
	s       *Session
	conns   map[string]*connState
	line    int
	errs    []error
	comment []string // the current paragraph's comment
	inNote  bool     // the previous line was a comment line
}

func (p *parser) errorf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s:%d: %s", p.s.Name, p.line, fmt.Sprintf(format, args...)))
}

func (p *parser) parseLine(text string) {
	line := strings.TrimLeft(text, " \t")
	switch {
	case line == "":
		p.comment, p.inNote = nil, false
		return
	case line[0] == '#':
		if !p.inNote {
			p.comment = nil // a comment after steps starts a new one
		}
		p.comment = append(p.comment, strings.TrimSpace(line[1:]))
		p.inNote = true
		return
	}
	p.inNote = false
	if !utf8.ValidString(line) {
		p.errorf("the line is not valid UTF-8; write raw bytes as \\xHH")
		return
	}
	st := Step{Pos: Pos{p.s.Name, p.line}, Source: strings.TrimRight(line, " \t"),
		Comment: strings.TrimSpace(strings.Join(p.comment, "\n"))}
	word, rest := cut(line)
	switch word {
	case "dial":
		p.open(st, Dial, rest)
	case "udp":
		p.open(st, UDP, rest)
	case "accept":
		p.open(st, Accept, rest)
	case "pause":
		p.pause(st, rest)
	default:
		p.connStep(st, word, rest)
	}
}

// cut splits off the first word of s and returns it and what follows, with
// the blanks between them removed.
func cut(s string) (word, rest string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

// argument returns the single word in rest, allowing a trailing # comment.
func (p *parser) argument(rest, what string) (string, bool) {
	if i := strings.Index(rest, "#"); i >= 0 {
		rest = rest[:i]
	}
	fields := strings.Fields(rest)
	if len(fields) != 1 {
		p.errorf("expected %s", what)
		return "", false
	}
	return fields[0], true
}

var keywords = map[string]bool{"dial": true, "udp": true, "accept": true, "pause": true,
	"eof": true, "closewrite": true, "close": true}

func validName(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r == '_' || r >= '0' && r <= '9')) {
			return false
		}
	}
	return s != "" && !keywords[s]
}

func (p *parser) open(st Step, op Op, rest string) {
	st.Op = op
	name, ok := p.argument(rest, fmt.Sprintf("a connection name after %q, as in %q", st.Op, st.Op.String()+" a"))
	if !ok {
		return
	}
	if !validName(name) {
		p.errorf("%q cannot name a connection: use a letter then letters, digits or _, and not a keyword", name)
		return
	}
	if c, dup := p.conns[name]; dup {
		p.errorf("connection %s was already opened at line %d; give this one another name", name, c.opened)
		return
	}
	p.conns[name] = &connState{udp: op == UDP, accepted: op == Accept, opened: p.line}
	st.Conn = name
	p.s.Steps = append(p.s.Steps, st)
}

func (p *parser) pause(st Step, rest string) {
	arg, ok := p.argument(rest, `a duration after "pause", as in "pause 50ms"`)
	if !ok {
		return
	}
	d, err := time.ParseDuration(arg)
	if err != nil || d <= 0 || d > maxPause {
		p.errorf("pause needs a duration between 1ns and %v, such as 50ms; got %q", maxPause, arg)
		return
	}
	st.Op, st.Pause = Pause, d
	p.s.Steps = append(p.s.Steps, st)
}

func (p *parser) connStep(st Step, name, rest string) {
	c, ok := p.conns[name]
	if !ok {
		if !validName(name) {
			p.errorf("unknown statement %q; a line starts with dial, udp, accept, pause or a connection name", name)
		} else {
			p.errorf("connection %s is not open: add \"dial %s\" (TCP) or \"udp %s\" (UDP) before this line", name, name, name)
		}
		return
	}
	st.Conn = name
	for _, arrow := range []string{"->", "<-", "<~"} {
		if strings.HasPrefix(rest, arrow) {
			p.dataStep(st, c, arrow, rest[len(arrow):])
			return
		}
	}
	op, arg := cut(rest)
	switch op {
	case "eof":
		st.Op = EOF
	case "closewrite":
		st.Op = CloseWrite
	case "close":
		st.Op = Close
	default:
		p.errorf("after the connection name comes ->, <-, <~, eof, closewrite or close; got %q", op)
		return
	}
	if arg != "" && arg[0] != '#' {
		p.errorf("unexpected %q after %s", arg, op)
		return
	}
	if p.usable(c, name, st.Op) {
		p.s.Steps = append(p.s.Steps, st)
	}
}

// usable reports whether op may run on c now, records its effect, and
// explains the problem when it may not.
func (p *parser) usable(c *connState, name string, op Op) bool {
	switch {
	case c.closed > 0:
		p.errorf("connection %s was closed at line %d", name, c.closed)
	case c.udp && (op == EOF || op == CloseWrite):
		p.errorf("connection %s is UDP, which has no %s: only TCP connections have an end", name, op)
	case op == Send && c.wroteClose > 0:
		p.errorf("connection %s stopped sending at line %d (closewrite)", name, c.wroteClose)
	case op == CloseWrite && c.wroteClose > 0:
		p.errorf("connection %s already stopped sending at line %d", name, c.wroteClose)
	case (op == Expect || op == Match || op == EOF) && c.sawEOF > 0:
		p.errorf("connection %s already expects end of file at line %d; nothing can arrive after it", name, c.sawEOF)
	default:
		switch op {
		case Close:
			c.closed = p.line
		case CloseWrite:
			c.wroteClose = p.line
		case EOF:
			c.sawEOF = p.line
		}
		return true
	}
	return false
}

func (p *parser) dataStep(st Step, c *connState, arrow, after string) {
	st.Op = map[string]Op{"->": Send, "<-": Expect, "<~": Match}[arrow]
	if !strings.HasPrefix(after, " ") || len(after) < 2 {
		p.errorf("after %s comes one space and then the data (escape a blank at its start as \\x20)", arrow)
		return
	}
	raw := after[1:]
	if isBlank(raw[0]) || isBlank(raw[len(raw)-1]) {
		p.errorf("a blank at the start or end of the data is invisible; write it as \\x20 or \\t")
		return
	}
	if st.Op == Match {
		re, err := regexp.Compile(`\A(?:` + raw + `)\z`)
		if err != nil {
			p.errorf("bad pattern: %v", err)
			return
		}
		st.Pattern = re
	} else {
		data, err := Unescape(raw)
		if err != nil {
			p.errorf("%v", err)
			return
		}
		st.Data = data
	}
	if p.usable(c, st.Conn, st.Op) {
		p.s.Steps = append(p.s.Steps, st)
	}
}

// Unescape resolves the escapes of the file format (\n \r \t \\ \xHH) in s,
// which must not contain control characters other than tab.
func Unescape(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b != '\\' {
			if b < 0x20 && b != '\t' || b == 0x7f {
				return nil, fmt.Errorf("control byte 0x%02x in the data; write it as \\x%02x", b, b)
			}
			out = append(out, b)
			continue
		}
		if i+1 == len(s) {
			return nil, errors.New(`a \ at the end of the data escapes nothing; write a backslash as \\`)
		}
		i++
		switch s[i] {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case '\\':
			out = append(out, '\\')
		case 'x':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return nil, errors.New(`\x needs two hex digits, as in \x00 or \x1b`)
			}
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			return nil, fmt.Errorf(`unknown escape \%c; the escapes are \n \r \t \\ and \xHH`, r)
		}
	}
	return out, nil
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// isUDP reports whether the connection called name is opened with udp.
func (s *Session) isUDP(name string) bool { return s.opener(name) == UDP }

// isAccepted reports whether the connection called name is opened with
// accept: the session plays the server on it.
func (s *Session) isAccepted(name string) bool { return s.opener(name) == Accept }

// opener returns the op that opens the connection called name.
func (s *Session) opener(name string) Op {
	for _, st := range s.Steps {
		if st.Conn == name && (st.Op == Dial || st.Op == UDP || st.Op == Accept) {
			return st.Op
		}
	}
	return 0
}
