package auditlog

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/socmap/socmap/internal/signing"
	"github.com/socmap/socmap/internal/store"
)

// Notary signs checkpoints of the trail's head: each one is appended to
// the checkpoint file and put in the administrators' outbox, two copies
// outside the database's reach.
type Notary struct {
	db   *store.DB
	key  *signing.Key
	path string

	mu   sync.Mutex
	last *Checkpoint // the newest one written or read, nil before the first look
	now  func() time.Time
}

// NewNotary keeps checkpoints in dataDir's checkpoint file.
func NewNotary(db *store.DB, key *signing.Key, dataDir string) *Notary {
	return &Notary{db: db, key: key, path: filepath.Join(dataDir, CheckpointFile), now: time.Now}
}

// Path is the checkpoint file.
func (n *Notary) Path() string { return n.path }

// Checkpoint signs the current head and records it.
func (n *Notary) Checkpoint(ctx context.Context) (Checkpoint, error) {
	c, _, err := n.checkpoint(ctx, true)
	return c, err
}

// CheckpointIfChanged signs the head only if entries were added since the
// last checkpoint: the hourly one on a quiet installation adds nothing.
func (n *Notary) CheckpointIfChanged(ctx context.Context) (Checkpoint, bool, error) {
	return n.checkpoint(ctx, false)
}

func (n *Notary) checkpoint(ctx context.Context, always bool) (Checkpoint, bool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.last == nil {
		if err := n.loadLast(); err != nil {
			return Checkpoint{}, false, err
		}
	}
	head, err := n.db.AuditHead(ctx)
	if err != nil {
		return Checkpoint{}, false, err
	}
	if !always && n.last.Seq == head.Seq && n.last.Hash == head.Hash {
		return *n.last, false, nil
	}
	// Never sign a head that does not grow from the last signed one: a
	// trail rewritten since would otherwise be vouched for.
	if err := n.followsLast(ctx, head); err != nil {
		return Checkpoint{}, false, fmt.Errorf("not signing the audit trail: %w", err)
	}
	c := Sign(n.key, head.Seq, head.Hash, n.now())
	if err := appendCheckpoint(n.path, c); err != nil {
		return Checkpoint{}, false, fmt.Errorf("writing the audit checkpoint: %w", err)
	}
	n.last = &c
	if _, err := n.db.NotifyAdmins(ctx, fmt.Sprintf("audit-checkpoint-%d", c.Seq),
		fmt.Sprintf("socmap: audit trail checkpoint #%d", c.Seq), checkpointNotice(c)); err != nil {
		return c, true, fmt.Errorf("putting the audit checkpoint in the outbox: %w", err)
	}
	return c, true, nil
}

// loadLast reads the newest checkpoint of this key from the file.
func (n *Notary) loadLast() error {
	all, err := ReadCheckpoints(n.path)
	if err != nil {
		return err
	}
	n.last = &Checkpoint{}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Check(n.key.Public()) == nil {
			n.last = &all[i]
			break
		}
	}
	return nil
}

// followsLast checks the entries after the last checkpoint link to it,
// up to head.
func (n *Notary) followsLast(ctx context.Context, head store.AuditEntry) error {
	if head.Seq < n.last.Seq {
		return fmt.Errorf("entries after #%d are missing (checkpoint #%d of %s)", head.Seq, n.last.Seq, n.last.At.Format(time.RFC3339))
	}
	prev := store.AuditEntry{Seq: n.last.Seq, Hash: n.last.Hash}
	if n.last.Seq > 0 {
		e, found, err := n.db.AuditEntryAt(ctx, n.last.Seq)
		if err != nil {
			return err
		}
		if !found || e.Hash != n.last.Hash {
			return &Break{Seq: n.last.Seq, Reason: "rewritten since checkpoint #" + fmt.Sprint(n.last.Seq)}
		}
	}
	for prev.Seq < head.Seq {
		batch, err := n.db.AuditEntriesAfter(ctx, prev.Seq, 1000)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		for _, e := range batch {
			if b := check(prev, e); b != nil {
				return b
			}
			prev = e
		}
	}
	return nil
}

func checkpointNotice(c Checkpoint) string {
	return fmt.Sprintf("socmap signed the audit trail's head: entry #%d, hash %s, at %s.\n\n"+
		"Keep this line somewhere the database's administrators cannot change (a ticket, an e-mail archive).\n"+
		"Saved to a file, `socmap audit verify --anchor FILE` checks the trail still holds every entry it covers:\n\n%s\n",
		c.Seq, c.Hash, c.At.Format(time.RFC3339), c.String())
}
