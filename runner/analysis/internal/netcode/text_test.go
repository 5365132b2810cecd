package netcode

import (
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/analysis"

	"github.com/netbook/netbook/runner/lang"
)

// A Text says its arguments that are Texts in its own language, and a
// Join puts the language's separator between its parts.
func TestTextIn(t *testing.T) {
	why := T(lang.VetWhyReturn, 12)
	problem := T(lang.VetConnServes, T(lang.VetTheGoroutine), "conn", why)
	assert.Equal(t, "the goroutine serves conn, the connection of one client, but leaves it open when it returns at line 12", problem.String())
	assert.Equal(t, "这个 goroutine 负责服务 conn（一个客户端的连接），但在第 12 行返回时没有关闭它", problem.In(lang.Chinese))

	both := Join(lang.VetStopAnd, T(lang.VetStopUnreachable), T(lang.VetStopNotWaited))
	assert.Contains(t, both.String(), "has stopped, and nothing waits for it to finish")
	assert.Contains(t, both.In(lang.Chinese), "那个客户端，而且没有任何代码等它结束")
	assert.Equal(t, "nothing waits for it to finish", Join(lang.VetStopAnd, T(lang.VetStopNotWaited)).String())

	assert.True(t, Text{}.IsZero())
	assert.Equal(t, "", Text{}.In(lang.Chinese))
}

// Find gives each diagnostic its own words, in the order they were
// reported, even two at one position.
func TestAdviceFind(t *testing.T) {
	a := &Advice{}
	one := Said{Pos: token.Pos(10), Category: "x", Problem: T(lang.VetWhyEnd)}
	two := Said{Pos: token.Pos(10), Category: "x", Problem: T(lang.VetWhyLoop)}
	for _, s := range []Said{one, two} {
		a.said = append(a.said, s)
		a.claimed = append(a.claimed, false)
	}
	d := analysis.Diagnostic{Pos: 10, Category: "x"}
	got, ok := a.Find(d)
	assert.True(t, ok)
	assert.Equal(t, one, got)
	got, ok = a.Find(d)
	assert.True(t, ok)
	assert.Equal(t, two, got)
	_, ok = a.Find(d)
	assert.False(t, ok, "each words once")
	_, ok = a.Find(analysis.Diagnostic{Pos: 10, Category: "y"})
	assert.False(t, ok, "another category")
	_, ok = (*Advice)(nil).Find(d)
	assert.False(t, ok, "an analyzer not wrapped with Run")
}
