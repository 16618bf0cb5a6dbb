package tasks

import (
	"testing"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store/storetest"
)

// digestBody reads a listed digest's body, which the list leaves out, and
// checks that the list gave its size in bytes.
func (p *program) digestBody(t *testing.T, d DigestSummary) string {
	t.Helper()
	full, err := p.tasks.OutboxDigest(p.ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.Subject != d.Subject || full.Recipient != d.Recipient || d.Size != int64(len(full.Body)) || full.Body == "" {
		t.Errorf("digest %d listed as %+v, read as %+v (body %d bytes)", d.ID, d, full, len(full.Body))
	}
	return full.Body
}

// The outbox lists digests without their bodies, each body read on its
// own; a digest that does not exist is not found, on every database.
func TestOutboxListsWithoutBodies(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			c := p.control("AC-03", "monthly")
			p.engagement("2026-01-01", "2026-06-30", c.ID)
			p.refresh()
			if n, err := p.tasks.SendDigests(p.ctx, "2026-W11", nil); err != nil || n != 1 {
				t.Fatalf("%d %v", n, err)
			}
			// A body in more bytes than characters: the size is in bytes.
			if err := p.db.W.Exec("UPDATE digests SET body = body || ?", "\nÜbersicht – fertig").Error; err != nil {
				t.Fatal(err)
			}
			out, total, err := p.tasks.Outbox(p.ctx, 10, 0)
			if err != nil || total != 1 || len(out) != 1 {
				t.Fatalf("outbox: %d %+v %v", total, out, err)
			}
			if body := p.digestBody(t, out[0]); len(body) == len([]rune(body)) {
				t.Errorf("the body has no multi-byte character: %q", body)
			}
			_, err = p.tasks.OutboxDigest(p.ctx, out[0].ID+1)
			if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindNotFound {
				t.Errorf("a digest that does not exist: %v", err)
			}
		})
	}
}
