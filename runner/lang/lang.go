package lang

import (
	"fmt"
	"strings"
)

// Lang is a language netbook speaks, by its ISO 639-1 code.
type Lang string

// The languages netbook speaks. The zero Lang is English too.
const (
	English Lang = "en"
	Chinese Lang = "zh" // Simplified Chinese
)

// All is every language netbook speaks, English first.
var All = []Lang{English, Chinese}

// Env is the environment variable that picks the language.
const Env = "NETBOOK_LANG"

// String is the language's code: "en" or "zh".
func (l Lang) String() string {
	if l == "" {
		return string(English)
	}
	return string(l)
}

// IsEnglish reports whether l is English (or the zero Lang).
func (l Lang) IsEnglish() bool { return l == "" || l == English }

// Tag is the language as an HTML lang attribute or an HTTP
// Content-Language names it: "en", "zh-CN".
func (l Lang) Tag() string {
	if l == Chinese {
		return "zh-CN"
	}
	return "en"
}

// Name is the language's name in itself: "English", "中文".
func (l Lang) Name() string {
	if l == Chinese {
		return "中文"
	}
	return "English"
}

// Parse reads a language as a person or a locale writes it: "zh", "en",
// "zh-CN", "zh_CN.UTF-8", "EN". An empty s or a language netbook does not
// speak is an error that says which it speaks.
func Parse(s string) (Lang, error) {
	code := strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(code, "-_.@"); i >= 0 {
		code = code[:i]
	}
	for _, l := range All {
		if code == string(l) {
			return l, nil
		}
	}
	return "", fmt.Errorf("%q is not a language netbook speaks: use en (English) or zh (中文, Chinese)", s)
}

// FromLocale is the language of a POSIX locale: Chinese when it starts
// with "zh" (zh_CN.UTF-8, zh_TW.UTF-8, zh), English for any other (C,
// POSIX, en_US.UTF-8, fr_FR.UTF-8): netbook speaks no third language.
func FromLocale(locale string) Lang {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(locale)), "zh") {
		return Chinese
	}
	return English
}

// Locale is the locale that decides the language of messages, as POSIX
// orders the variables: the first of LC_ALL, LC_MESSAGES and LANG that is
// set and not empty; "" when none is.
func Locale(getenv func(string) string) string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			return s
		}
	}
	return ""
}

// Resolve picks the language a command writes in: flag (the --lang flag's
// value) when it is not empty, else NETBOOK_LANG, else the system locale
// (see Locale and FromLocale), else English. getenv reads the environment
// (os.Getenv). A flag netbook does not speak is an error; a NETBOOK_LANG it
// does not speak is passed over, and warning says so.
func Resolve(flag string, getenv func(string) string) (l Lang, warning string, err error) {
	if flag != "" {
		l, err := Parse(flag)
		if err != nil {
			return "", "", fmt.Errorf("--lang: %w", err)
		}
		return l, "", nil
	}
	if s := getenv(Env); strings.TrimSpace(s) != "" {
		l, err := Parse(s)
		if err == nil {
			return l, "", nil
		}
		warning = fmt.Sprintf("%s: %v; going by the locale", Env, err)
	}
	if loc := Locale(getenv); loc != "" {
		return FromLocale(loc), warning, nil
	}
	return English, warning, nil
}
