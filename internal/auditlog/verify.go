package auditlog

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/store"
)

// Break describes the first place the chain does not hold.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string { return fmt.Sprintf("audit entry #%d: %s", b.Seq, b.Reason) }

// Verify walks the whole trail in order and returns the number of entries
// checked, and a *Break naming the first entry that was altered or removed.
func Verify(ctx context.Context, db *store.DB) (int64, error) {
	var checked int64
	var prev store.AuditEntry
	var broken *Break
	var batch []store.AuditEntry
	err := db.R.WithContext(ctx).Order("seq").FindInBatches(&batch, 1000, func(_ *gorm.DB, _ int) error {
		for _, e := range batch {
			if broken = check(prev, e); broken != nil {
				return broken
			}
			prev = e
			checked++
		}
		return nil
	}).Error
	if broken != nil {
		return checked, broken
	}
	return checked, err
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
