package book

import (
	"testing"
	"testing/fstest"

	"github.com/netbook/netbook/runner/lang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func chapter(title string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\n---\n# " + title + "\n")}
}

// The Chinese book is the English one with each chapter replaced by its
// translation where there is one: a chapter without one, or with one that
// does not parse, is read in English, and nothing fails.
func TestLoadInFallsBackOnEnglish(t *testing.T) {
	fsys := fstest.MapFS{
		"00-start-here.md":    chapter("Start here"),
		"01-networks.md":      chapter("Networks"),
		"02-sockets.md":       chapter("Sockets"),
		"zh/00-start-here.md": chapter("从这里开始"),
		"zh/02-sockets.md":    {Data: []byte("---\nnot: a field\n---\n")},
		"zh/07-extra.md":      chapter("英文版没有的一章"),
	}
	b, err := LoadIn(fsys, lang.Chinese)
	require.NoError(t, err)
	assert.Equal(t, lang.Chinese, b.Lang)
	require.Len(t, b.Chapters, 3, "the English book's chapters, no more")

	assert.Equal(t, "从这里开始", b.Chapters[0].Title)
	assert.Equal(t, lang.Chinese, b.Chapters[0].Lang)
	assert.Equal(t, "zh/00-start-here.md", b.Chapters[0].Name, "a translation is named by its path, so its links resolve from chapters/zh")
	assert.Equal(t, "00-start-here", b.Chapters[0].Slug)

	assert.Equal(t, "Networks", b.Chapters[1].Title, "no translation: the English chapter")
	assert.Equal(t, lang.English, b.Chapters[1].Lang)
	assert.Equal(t, "Sockets", b.Chapters[2].Title, "a translation that does not parse: the English chapter")

	en, err := LoadIn(fsys, lang.English)
	require.NoError(t, err)
	assert.Equal(t, lang.English, en.Lang)
	assert.Equal(t, "Start here", en.Chapters[0].Title)

	only, err := LoadIn(fstest.MapFS{"01-networks.md": chapter("Networks")}, lang.Chinese)
	require.NoError(t, err, "a book with no Chinese edition at all is read in English")
	assert.Equal(t, "Networks", only.Chapters[0].Title)
	assert.Equal(t, ".", Folder(lang.English))
	assert.Equal(t, "zh", Folder(lang.Chinese))
}
