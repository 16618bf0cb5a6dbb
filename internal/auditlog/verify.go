package auditlog

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

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
	w := walk{cps: slices.Clone(checkpoints)}
	slices.SortFunc(w.cps, func(a, b Checkpoint) int { return cmp.Compare(a.Seq, b.Seq) })
	for {
		batch, err := db.AuditEntriesAfter(ctx, w.prev.Seq, 1000)
		if err != nil {
			return w.checked, err
		}
		if len(batch) == 0 {
			break
		}
		for _, e := range batch {
			if broken := w.step(e); broken != nil {
				return w.checked, broken
			}
		}
	}
	for ; w.next < len(w.cps); w.next++ {
		if w.cps[w.next].Seq == 0 && w.prev.Seq == 0 {
			continue // a checkpoint of the empty trail
		}
		return w.checked, &Truncated{Last: w.prev.Seq, Checkpoint: w.cps[len(w.cps)-1]}
	}
	return w.checked, nil
}

// walk is a verification under way: the entry checked last and the
// checkpoints (sorted by seq) from next on still to meet.
type walk struct {
	cps     []Checkpoint
	next    int
	prev    store.AuditEntry
	checked int64
}

// step checks the entry after prev against the chain and the checkpoints
// that name it or an entry before it.
func (w *walk) step(e store.AuditEntry) *Break {
	if broken := check(w.prev, e); broken != nil {
		return broken
	}
	for ; w.next < len(w.cps) && w.cps[w.next].Seq <= e.Seq; w.next++ {
		if broken := matches(w.cps[w.next], w.prev, e); broken != nil {
			return broken
		}
	}
	w.prev = e
	w.checked++
	return nil
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
	case store.AuditHash(e) != e.Hash:
		return &Break{Seq: e.Seq, Reason: "altered (its contents do not match its hash)"}
	}
	return nil
}
