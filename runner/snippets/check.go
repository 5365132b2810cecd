package snippets

import (
	"context"
	"fmt"

	"github.com/netbook/netbook/runner/book"
)

// Check runs every runnable snippet of a chapter with the Go toolchain, the
// two halves of a pair together, and returns what is wrong with them.
func Check(ctx context.Context, b *Built, c *book.Chapter) []error {
	var errs []error
	fail := func(s *book.Snippet, format string, args ...any) {
		errs = append(errs, fmt.Errorf("chapters/%s.md:%d: snippet %s %s", c.Slug, s.Line, s.ID(), fmt.Sprintf(format, args...)))
	}
	servers := map[string]*book.Snippet{}
	for _, s := range c.Snippets {
		if s.Server != "" {
			servers[s.Server] = s
		}
	}
	for _, s := range c.Snippets {
		if err := CheckFormat(s); err != nil {
			errs = append(errs, err)
		}
		if !s.Runnable() || s.Server != "" {
			continue
		}
		if err := b.Err(s); err != nil {
			fail(s, "does not compile:\n%v", err)
			continue
		}
		if s.Client == "" {
			res := b.Run(ctx, s, DefaultTimeout)
			if res.Err != nil {
				fail(s, "failed: %v\n%s", res.Err, indent(res.Output))
				continue
			}
			if err := Compare(s, res.Output); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		srv := servers[s.Client]
		if srv == nil {
			fail(s, "is the client of pair %q, but no snippet is marked server=%s", s.Client, s.Client)
			continue
		}
		if err := b.Err(srv); err != nil {
			fail(srv, "does not compile:\n%v", err)
			continue
		}
		p, err := b.Start(srv)
		if err != nil {
			fail(srv, "did not start: %v", err)
			continue
		}
		addr, err := p.Addr(DefaultTimeout)
		if err != nil {
			p.Stop()
			fail(srv, "%v", err)
			continue
		}
		res := b.Run(ctx, s, DefaultTimeout, addr)
		serverOut := p.Stop()
		if res.Err != nil {
			fail(s, "failed: %v\n%s", res.Err, indent(res.Output))
			continue
		}
		if err := Compare(s, res.Output); err != nil {
			errs = append(errs, err)
		}
		if err := Compare(srv, serverOut); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
