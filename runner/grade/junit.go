package grade

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/netbook/netbook/runner/gotest"
)

// The JUnit XML that GitLab, Jenkins and LMS importers read: testsuites >
// testsuite (one per student and lab) > testcase (one per task).
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Properties []junitProperty `xml:"properties>property"`
		Cases      []junitCase     `xml:"testcase"`
		SystemErr  string          `xml:"system-err,omitempty"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name       string          `xml:"name,attr"`
		Classname  string          `xml:"classname,attr"`
		Properties []junitProperty `xml:"properties>property,omitempty"`
		Failure    *junitProblem   `xml:"failure,omitempty"`
		Error      *junitProblem   `xml:"error,omitempty"`
		SystemOut  *junitText      `xml:"system-out,omitempty"` // what the task's code printed
	}
	junitText struct {
		Text string `xml:",cdata"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",cdata"`
	}
)

// WriteJUnit writes the report as JUnit XML: one testsuite per student and
// lab (named "student/lab", with the points in its properties), one
// testcase per task (a failure when its test failed, timed out or never
// ran, with what its code printed as its system-out; an error when the
// code does not compile or could not be graded).
func WriteJUnit(w io.Writer, rep *Report) error {
	all := junitSuites{Name: "netbook grade"}
	var seconds float64
	for _, rec := range rep.Records {
		s := junitSuite{
			Name: rec.Student + "/" + rec.Lab,
			Time: secs(rec.Elapsed.Seconds()),
			Properties: []junitProperty{
				{"student", rec.Student}, {"lab", rec.Lab}, {"title", rec.Title}, {"status", string(rec.Status)},
				{"points", strconv.Itoa(rec.Points)}, {"maxPoints", strconv.Itoa(rec.MaxPoints)},
			},
		}
		// What the table says under Notes, for a dashboard that shows
		// only this file.
		if len(rec.Suspect) > 0 {
			s.Properties = append(s.Properties, junitProperty{"suspect", strings.Join(rec.Suspect, "; ")})
		}
		if len(rec.Reference) > 0 {
			s.Properties = append(s.Properties, junitProperty{"reference", strings.Join(rec.Reference, ", ")})
		}
		if len(rec.TestsModified) > 0 {
			s.Properties = append(s.Properties, junitProperty{"testsModified", strings.Join(rec.TestsModified, ", ")})
		}
		var errs []string
		for _, n := range []string{rec.SuspectNote(), rec.ReferenceNote(), rec.TestsModifiedNote()} {
			if n != "" {
				errs = append(errs, n)
			}
		}
		for _, d := range rec.BuildErrors {
			errs = append(errs, d.String())
		}
		if rec.Problem != "" {
			errs = append(errs, rec.Problem)
		}
		s.SystemErr = strings.Join(errs, "\n")
		for _, t := range rec.Tasks {
			name := fmt.Sprintf("task %d: %s", t.Number, t.Title)
			if t.Hidden {
				name = "hidden " + name
			}
			c := junitCase{
				Name:      name,
				Classname: rec.Student + "." + rec.Lab,
				Properties: []junitProperty{
					{"test", t.Test}, {"points", strconv.Itoa(t.Points)}, {"maxPoints", strconv.Itoa(t.MaxPoints)},
				},
			}
			switch {
			case t.Status == gotest.Pass:
			case rec.Status == BuildFail || rec.Status == Missing || rec.Status == Error:
				c.Error = &junitProblem{Type: string(rec.Status), Message: caseMessage(rec, t), Text: xmlText(s.SystemErr)}
				s.Errors++
			default:
				c.Failure = &junitProblem{Type: string(t.Status), Message: firstLine(t.Message), Text: xmlText(t.Message)}
				if t.Output != "" {
					c.SystemOut = &junitText{xmlText(t.Output)}
				}
				s.Failures++
			}
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		seconds += rec.Elapsed.Seconds()
		all.Suites = append(all.Suites, s)
	}
	all.Time = secs(seconds)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func caseMessage(rec *Record, t Task) string {
	switch rec.Status {
	case BuildFail:
		return "the code does not compile"
	case Missing:
		return "not submitted"
	}
	if t.Message != "" {
		return firstLine(t.Message)
	}
	return firstLine(rec.Problem)
}

// xmlText makes s fit for a CDATA section: encoding/xml escapes the
// characters XML 1.0 forbids in attributes and text, but writes CDATA as
// it is, and a student's output in a message (an ANSI colour, a NUL)
// would make the whole file one that no JUnit reader parses. Each such
// character, and each byte that is not UTF-8, becomes U+FFFD, as
// encoding/xml writes them elsewhere.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF ||
			r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return utf8.RuneError
	}, s)
}

func secs(s float64) string { return strconv.FormatFloat(s, 'f', 3, 64) }
