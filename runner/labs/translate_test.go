package labs

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netbook/netbook/runner/lang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A lab read in Chinese takes its title and brief from README.zh.md, its
// hints from hints.zh.yaml and its tasks' titles from tasks.zh.yaml; the
// English lab is left as it was.
func TestLabInChinese(t *testing.T) {
	r := workTree(t)
	en, err := Load(r, "01-demo")
	require.NoError(t, err)
	zh := en.In(lang.Chinese)

	assert.Equal(t, lang.Chinese, zh.Lang)
	assert.Equal(t, lang.Chinese, zh.BriefLang)
	assert.Equal(t, "演示", zh.Title)
	assert.Equal(t, "# 演示\n", string(zh.Brief))
	assert.Equal(t, []string{"再仔细看看"}, zh.Hints.For(1))
	assert.Equal(t, "编译通过。", zh.Tasks[0].Title)
	assert.Equal(t, "让 Two 返回二。", zh.Tasks[1].Title)
	assert.Equal(t, "TestTask2Two", zh.Tasks[1].Test, "a title is translated, the task stays tied to its test")
	assert.Equal(t, []string{"demo.go"}, zh.Files, "the front matter that is not text stays the English brief's")

	assert.Equal(t, "Demo", en.Title, "the English lab is not changed")
	assert.Equal(t, "Compile.", en.Tasks[0].Title)
	assert.Equal(t, []string{"look closer"}, en.Hints.For(1))
	assert.Same(t, en, en.In(lang.English))

	// A check that reads the tasks through an overlay (a test file the
	// student edited, replaced by the book's) keeps the translated titles.
	test := filepath.Join(zh.Dir, "demo_test.go")
	through, err := zh.Through(map[string]string{test: test})
	require.NoError(t, err)
	assert.Equal(t, "编译通过。", through.Tasks[0].Title)
}

// Whatever has no translation stays English, task by task; a translation
// that does not parse is passed over. Nothing fails.
func TestMissingTranslationsFallBackOnEnglish(t *testing.T) {
	r := workTree(t)
	dir := r.Lab("01-demo")
	require.NoError(t, os.Remove(filepath.Join(dir, "README.zh.md")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tasks.zh.yaml"), []byte("2: 让 Two 返回二。\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hints.yaml"), []byte("1: [look closer]\n2: [two, twice]\n"), 0o644))
	en, err := Load(r, "01-demo")
	require.NoError(t, err)
	zh := en.In(lang.Chinese)
	assert.Equal(t, "Demo", zh.Title)
	assert.Equal(t, lang.English, zh.BriefLang, "the brief has no translation")
	assert.Equal(t, "# Demo\n", string(zh.Brief))
	assert.Equal(t, "Compile.", zh.Tasks[0].Title, "task 1 has no translated title")
	assert.Equal(t, "让 Two 返回二。", zh.Tasks[1].Title)
	assert.Equal(t, []string{"再仔细看看"}, zh.Hints.For(1))
	assert.Equal(t, []string{"two", "twice"}, zh.Hints.For(2), "task 2 has no Chinese hints: the English ones")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "tasks.zh.yaml"), []byte("1: [not, a title\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hints.zh.yaml"), []byte("one: two\n"), 0o644))
	zh = en.In(lang.Chinese)
	assert.Equal(t, "Compile.", zh.Tasks[0].Title)
	assert.Equal(t, []string{"look closer"}, zh.Hints.For(1))

	other, err := Load(r, "02-other")
	require.NoError(t, err)
	assert.Equal(t, "Other", other.In(lang.Chinese).Title, "a lab with no translation at all")
}
