package session

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCompare(t *testing.T) {
	assert.Equal(t, "", Compare([]byte("same\n"), []byte("same\n")))
	assert.Equal(t, ""+
		"  expected: \"Hello, Michael!\\n\"\n"+
		"  received: \"Hello Michael!\\n\"\n"+
		"                  ^ first difference, at byte 5\n",
		Compare([]byte("Hello, Michael!\n"), []byte("Hello Michael!\n")))
	assert.Contains(t, Compare([]byte("ab"), []byte("abc")), "^ more than expected, from here")
	assert.Contains(t, Compare([]byte("abc"), []byte("ab")), "^ first difference, at byte 2")
}
