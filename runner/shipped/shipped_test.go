package shipped

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clone writes a small work tree with one lab, sums it and commits it to
// a new git repository, as a fresh clone of the book would be.
func clone(t *testing.T) (repo.Root, *labs.Lab, *labs.Sums) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.work":                   "go 1.22\n\nuse ./labs\n",
		"labs/go.mod":               "module example.com/labs\n\ngo 1.22\n",
		"labs/01-demo/README.md":    "---\ntitle: Demo\nchapter: 01-demo\nfiles: [demo.go]\n---\n",
		"labs/01-demo/demo.go":      "package demo\n\n// TODO\nfunc Two() int { return 0 }\n",
		"labs/01-demo/demo_test.go": "package demo\n\nimport \"testing\"\n\n// Two.\nfunc TestTask1Two(t *testing.T) {\n\tif Two() != 2 {\n\t\tt.Fatal(\"want 2\")\n\t}\n}\n",
	}
	for name, content := range files {
		write(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	r := repo.Root{Dir: dir}
	l, err := labs.Load(r, "01-demo")
	require.NoError(t, err)
	require.NoError(t, labs.WriteSums(r, []*labs.Lab{l}))
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "-c", "user.name=book", "-c", "user.email=book@example.com", "commit", "-qm", "the book")
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	return r, l, sums
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
}

func TestAnUntouchedLabNeedsNoOverlay(t *testing.T) {
	r, l, sums := clone(t)
	v, err := Book(context.Background(), r, l, sums, Options{Skeleton: true})
	require.NoError(t, err)
	defer v.Close()
	assert.Empty(t, v.Overlay)
	assert.Empty(t, v.Restored)
}

// A student who edited the test file, even one who committed the edit,
// still gets the book's test; a student's solution is left alone unless
// the skeleton is asked for.
func TestEditedTestsAreReadBackFromGit(t *testing.T) {
	r, l, sums := clone(t)
	test := filepath.Join(l.Dir, "demo_test.go")
	shippedTest, err := os.ReadFile(test)
	require.NoError(t, err)
	write(t, test, "package demo\n\nimport \"testing\"\n\n// Two.\nfunc TestTask1Two(t *testing.T) { return }\n")
	write(t, filepath.Join(l.Dir, "demo.go"), "package demo\n\nfunc Two() int { return 2 }\n")
	git(t, r.Dir, "-c", "user.name=s", "-c", "user.email=s@example.com", "commit", "-qam", "my work")

	ctx := context.Background()
	v, err := Book(ctx, r, l, sums, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"01-demo/demo_test.go"}, v.Restored)
	require.Len(t, v.Overlay, 1)
	got, err := os.ReadFile(v.Overlay[test])
	require.NoError(t, err)
	assert.Equal(t, string(shippedTest), string(got))
	require.NoError(t, v.Close())
	_, err = os.Stat(v.Overlay[test])
	assert.True(t, os.IsNotExist(err), "Close removes the temp files")

	v, err = Book(ctx, r, l, sums, Options{Skeleton: true})
	require.NoError(t, err)
	defer v.Close()
	assert.Equal(t, []string{"01-demo/demo.go", "01-demo/demo_test.go"}, v.Restored)
	got, err = os.ReadFile(v.Overlay[filepath.Join(l.Dir, "demo.go")])
	require.NoError(t, err)
	assert.Contains(t, string(got), "return 0", "the skeleton as shipped")
}

func TestADeletedTestComesBack(t *testing.T) {
	r, l, sums := clone(t)
	require.NoError(t, os.Remove(filepath.Join(l.Dir, "demo_test.go")))
	v, err := Book(context.Background(), r, l, sums, Options{})
	require.NoError(t, err)
	defer v.Close()
	assert.Equal(t, []string{"01-demo/demo_test.go"}, v.Restored)
	c, err := l.Through(v.Overlay)
	require.NoError(t, err)
	require.Len(t, c.Tasks, 1, "the tasks are read from the book's file")
}

// A student's own tests run, unless they would take over the book's.
func TestOwnTestFiles(t *testing.T) {
	r, l, sums := clone(t)
	write(t, filepath.Join(l.Dir, "mine_test.go"), "package demo\n\nimport \"testing\"\n\nfunc TestMine(t *testing.T) {}\n")
	write(t, filepath.Join(l.Dir, "main_test.go"), "package demo\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestMain(m *testing.M) { os.Exit(0) }\n")
	write(t, filepath.Join(l.Dir, "extra_test.go"), "package demo\n\nimport \"testing\"\n\nfunc TestTask2Free(t *testing.T) {}\n")
	v, err := Book(context.Background(), r, l, sums, Options{})
	require.NoError(t, err)
	defer v.Close()
	assert.Equal(t, []string{"mine_test.go"}, v.Own)
	assert.Equal(t, []Left{
		{File: "extra_test.go", Why: Why{Kind: DeclaresTask, Name: "TestTask2Free"}},
		{File: "main_test.go", Why: Why{Kind: DeclaresTestMain}},
	}, v.Hidden)
	assert.Equal(t, "extra_test.go: it declares TestTask2Free; tasks are the book's tests", v.Hidden[0].String())
	assert.Equal(t, "main_test.go: it declares TestMain, which decides how the book's tests run", v.Hidden[1].String())
	assert.Equal(t, "", v.Overlay[filepath.Join(l.Dir, "main_test.go")])

	v2, err := Book(context.Background(), r, l, sums, Options{HideOwn: true})
	require.NoError(t, err)
	defer v2.Close()
	assert.Empty(t, v2.Own)
	assert.Len(t, v2.Hidden, 3)
}

func TestWithoutGitTheBookCannotBeRecovered(t *testing.T) {
	r, l, sums := clone(t)
	require.NoError(t, os.RemoveAll(filepath.Join(r.Dir, ".git")))
	write(t, filepath.Join(l.Dir, "demo_test.go"), "package demo\n")
	_, err := Book(context.Background(), r, l, sums, Options{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrUnrecoverable))
	assert.EqualError(t, err, "the book's copy cannot be recovered (01-demo/demo_test.go): this copy of the book is not a git clone")
	var lost *UnrecoverableError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, &UnrecoverableError{Files: []string{"01-demo/demo_test.go"}, Why: Why{Kind: NotAClone}}, lost)
	assert.Equal(t, "本书的版本（01-demo/demo_test.go）无法取回：你这份副本不是用 git 克隆的", lost.Text(lang.Chinese))
}

// Every reason is said in English as it always was (errors, JSON, grade's
// reports), and in Chinese with no English sentence in it: only the names
// it is about.
func TestWhyInEveryLanguage(t *testing.T) {
	for _, c := range []struct {
		why    Why
		en, zh string
	}{
		{Why{Kind: NoGit}, "git is not installed", "没有安装 git"},
		{Why{Kind: NotAClone}, "this copy of the book is not a git clone", "你这份副本不是用 git 克隆的"},
		{Why{Kind: GitFailed, Name: "fatal: bad object"}, "git cat-file: fatal: bad object", "git cat-file 出错：fatal: bad object"},
		{Why{Kind: GitTooLittle}, "git cat-file answered too little", "git cat-file 返回的内容不完整"},
		{Why{Kind: NotInHistory, Name: "01-demo/demo_test.go"},
			"01-demo/demo_test.go is not in this clone's history (a download without git, or a shallow clone?)",
			"这个克隆的历史里没有 01-demo/demo_test.go（是不带 git 下载的，还是浅克隆？）"},
		{Why{Kind: OtherBytes, Name: "01-demo/demo_test.go"}, "git returned other bytes for 01-demo/demo_test.go", "git 给出的 01-demo/demo_test.go 和本书记录的不一致"},
		{Why{Kind: NotInBook}, "not part of the book", "它不是本书的文件"},
		{Why{Kind: DeclaresTestMain}, "it declares TestMain, which decides how the book's tests run", "它声明了 TestMain，而 TestMain 决定本书的测试怎样运行"},
		{Why{Kind: DeclaresTask, Name: "TestTask2Free"}, "it declares TestTask2Free; tasks are the book's tests", "它声明了 TestTask2Free；任务只能是本书的测试"},
	} {
		assert.Equal(t, c.en, c.why.Text(lang.English))
		assert.Equal(t, c.en, c.why.String())
		assert.Equal(t, c.zh, c.why.Text(lang.Chinese))
	}
	b, err := json.Marshal([]Left{{File: "main_test.go", Why: Why{Kind: DeclaresTestMain}}})
	require.NoError(t, err)
	assert.JSONEq(t, `["main_test.go: it declares TestMain, which decides how the book's tests run"]`, string(b), "JSON keeps the English line")
}

func TestAnObjectMissingFromHistory(t *testing.T) {
	r, l, _ := clone(t)
	sums := &labs.Sums{Files: map[string]labs.Shipped{
		"01-demo/demo_test.go": {Path: "01-demo/demo_test.go", Role: labs.Book, ID: "0123456789012345678901234567890123456789"},
	}}
	_, err := Book(context.Background(), r, l, sums, Options{})
	assert.True(t, errors.Is(err, ErrUnrecoverable))
	assert.ErrorContains(t, err, "not in this clone's history")
	var lost *UnrecoverableError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, Why{Kind: NotInHistory, Name: "01-demo/demo_test.go"}, lost.Why)
}
