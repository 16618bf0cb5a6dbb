package auditlog

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/store"
)

// Break describes the first place the chain does not hold.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string { return fmt.Sprintf("audit entry #%d: %s", b.Seq, b.Reason) }

// Truncated says the trail ends before an entry a checkpoint covers: the
// newest entries were deleted.
type Truncated struct {
	Last       int64 // the newest entry still there
	Checkpoint Checkpoint
}

func (t *Truncated) Error() string {
	return fmt.Sprintf("entries after #%d are missing: checkpoint of %s covers the trail up to #%d",
		t.Last, t.Checkpoint.At.Format(time.RFC3339), t.Checkpoint.Seq)
}

// Verify walks the whole trail in order and returns the number of entries
// checked, and a *Break naming the first entry that was altered or removed.
func Verify(ctx context.Context, db *store.DB) (int64, error) {
	return VerifyAgainst(ctx, db, nil)
}

// VerifyAgainst is Verify that also holds the trail to signed
// checkpoints (already checked with Check): an entry a checkpoint names
// must still have the hash signed (else *Break, rewritten), and the trail
// must reach the newest one (else *Truncated). A rewrite that recomputes
// every later hash keeps the chain whole; only the checkpoints catch it.
func VerifyAgainst(ctx context.Context, db *store.DB, checkpoints []Checkpoint) (int64, error) {
	cps := slices.Clone(checkpoints)
	slices.SortFunc(cps, func(a, b Checkpoint) int { return cmp.Compare(a.Seq, b.Seq) })
	next := 0
	var checked int64
	var prev store.AuditEntry
	var broken *Break
	var batch []store.AuditEntry
	err := db.R.WithContext(ctx).Order("seq").FindInBatches(&batch, 1000, func(_ *gorm.DB, _ int) error {
		for _, e := range batch {
			if broken = check(prev, e); broken != nil {
				return broken
			}
			for ; next < len(cps) && cps[next].Seq <= e.Seq; next++ {
				if broken = matches(cps[next], prev, e); broken != nil {
					return broken
				}
			}
			prev = e
			checked++
		}
		return nil
	}).Error
	if broken != nil {
		return checked, broken
	}
	if err != nil {
		return checked, err
	}
	for ; next < len(cps); next++ {
		if cps[next].Seq == 0 && prev.Seq == 0 {
			continue // a checkpoint of the empty trail
		}
		return checked, &Truncated{Last: prev.Seq, Checkpoint: cps[len(cps)-1]}
	}
	return checked, nil
}

// matches checks one checkpoint against the entry it names, e (or prev,
// for a checkpoint of the empty trail before the first entry).
func matches(c Checkpoint, prev, e store.AuditEntry) *Break {
	at := c.At.Format(time.RFC3339)
	switch {
	case c.Seq == 0 && prev.Seq == 0:
		return nil
	case c.Seq != e.Seq:
		return &Break{Seq: c.Seq, Reason: fmt.Sprintf("removed: the checkpoint of %s signed it, the trail jumps past it", at)}
	case c.Hash != e.Hash:
		return &Break{Seq: c.Seq, Reason: fmt.Sprintf("rewritten: its hash is not the one the checkpoint of %s signed "+
			"(it or an earlier entry was changed and the later hashes recomputed)", at)}
	}
	return nil
}

func check(prev, e store.AuditEntry) *Break {
	switch {
	case e.Seq != prev.Seq+1:
		return &Break{Seq: prev.Seq + 1, Reason: fmt.Sprintf("removed (the trail jumps from #%d to #%d)", prev.Seq, e.Seq)}
	case e.PrevHash != prev.Hash:
		return &Break{Seq: prev.Seq, Reason: "altered or replaced (the next entry's link to it does not match)"}
	case hashOf(e) != e.Hash:
		return &Break{Seq: e.Seq, Reason: "altered (its contents do not match its hash)"}
	}
	return nil
}
