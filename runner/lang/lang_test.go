package lang

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// env is an environment for Resolve: the variables set, the rest empty.
func env(vars ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(vars); i += 2 {
		m[vars[i]] = vars[i+1]
	}
	return func(k string) string { return m[k] }
}

// The flag beats NETBOOK_LANG, which beats the locale, which beats the
// default, English.
func TestResolvePrecedence(t *testing.T) {
	cases := []struct {
		name string
		flag string
		env  func(string) string
		want Lang
	}{
		{"nothing set", "", env(), English},
		{"a C locale", "", env("LANG", "C.UTF-8"), English},
		{"a Chinese locale", "", env("LANG", "zh_CN.UTF-8"), Chinese},
		{"a Taiwanese locale reads the Chinese edition", "", env("LANG", "zh_TW.UTF-8"), Chinese},
		{"an English locale", "", env("LANG", "en_US.UTF-8"), English},
		{"a French locale: netbook speaks no French", "", env("LANG", "fr_FR.UTF-8"), English},
		{"LC_ALL beats LANG", "", env("LANG", "en_US.UTF-8", "LC_ALL", "zh_CN.UTF-8"), Chinese},
		{"LC_ALL=C beats a Chinese LANG", "", env("LANG", "zh_CN.UTF-8", "LC_ALL", "C"), English},
		{"LC_MESSAGES beats LANG", "", env("LANG", "en_GB.UTF-8", "LC_MESSAGES", "zh_CN.UTF-8"), Chinese},
		{"LC_ALL beats LC_MESSAGES", "", env("LC_MESSAGES", "zh_CN.UTF-8", "LC_ALL", "en_US.UTF-8"), English},
		{"NETBOOK_LANG beats the locale", "", env("LANG", "en_US.UTF-8", Env, "zh"), Chinese},
		{"NETBOOK_LANG=en beats a Chinese locale", "", env("LC_ALL", "zh_CN.UTF-8", Env, "en"), English},
		{"the flag beats NETBOOK_LANG", "en", env(Env, "zh", "LANG", "zh_CN.UTF-8"), English},
		{"the flag beats the locale", "zh", env("LANG", "C"), Chinese},
		{"the flag as a locale writes it", "zh_CN.UTF-8", env(), Chinese},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, warning, err := Resolve(c.flag, c.env)
			require.NoError(t, err)
			assert.Empty(t, warning)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestResolveRefusesWhatItDoesNotSpeak(t *testing.T) {
	_, _, err := Resolve("fr", env())
	require.Error(t, err, "--lang fr is an error: the student asked for it by name")
	assert.Contains(t, err.Error(), "--lang")
	assert.Contains(t, err.Error(), "en (English) or zh")

	l, warning, err := Resolve("", env(Env, "klingon", "LANG", "zh_CN.UTF-8"))
	require.NoError(t, err, "a NETBOOK_LANG netbook does not speak is passed over, not fatal")
	assert.Equal(t, Chinese, l, "the locale decides then")
	assert.Contains(t, warning, "NETBOOK_LANG")
	assert.Contains(t, warning, "klingon")

	l, _, err = Resolve("", env(Env, "  "))
	require.NoError(t, err)
	assert.Equal(t, English, l, "a blank NETBOOK_LANG is not set")
}

func TestParse(t *testing.T) {
	for s, want := range map[string]Lang{"zh": Chinese, "ZH": Chinese, "zh-CN": Chinese, "zh_CN.UTF-8": Chinese, "en": English, "en_US": English, " en ": English} {
		got, err := Parse(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", "fr", "chinese", "C"} {
		_, err := Parse(s)
		assert.Error(t, err, "%q", s)
	}
	assert.Equal(t, "en", Lang("").String(), "the zero Lang is English")
	assert.True(t, Lang("").IsEnglish())
	assert.Equal(t, "zh-CN", Chinese.Tag())
	assert.Equal(t, "en", English.Tag())
}
