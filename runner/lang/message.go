package lang

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Message is one of the runner's messages in every language netbook
// speaks: a format for package fmt. Messages are made only in catalog.go.
type Message struct {
	en, zh string
}

// catalogue is every message, in the order catalog.go declares them.
var catalogue []*Message

// msg declares a message: its English format and its Chinese one ("" while
// it has no translation: English is shown).
func msg(en, zh string) *Message {
	m := &Message{en: en, zh: zh}
	catalogue = append(catalogue, m)
	return m
}

// Format is m's format in language l, English when m has no translation
// into l.
func (m *Message) Format(l Lang) string {
	if l == Chinese && m.zh != "" {
		return m.zh
	}
	return m.en
}

// Sprintf formats message m in l with args, as fmt.Sprintf does.
func (l Lang) Sprintf(m *Message, args ...any) string {
	return fmt.Sprintf(m.Format(l), args...)
}

// Fprintf writes message m in l, formatted with args, to w.
func (l Lang) Fprintf(w io.Writer, m *Message, args ...any) {
	fmt.Fprintf(w, m.Format(l), args...)
}

// Day is how netbook writes a day in language l, in local time:
// "2 Mar 2026", "2026年3月2日".
func (l Lang) Day(t time.Time) string { return t.Local().Format(DayLayout.Format(l)) }

// List joins names (files, tests) as a list in l: "a.go, b.go" in
// English, "a.go、b.go" in Chinese, whose list comma is 、.
func (l Lang) List(names []string) string {
	if l.IsEnglish() {
		return strings.Join(names, ", ")
	}
	return strings.Join(names, "、")
}
