package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// postgresAuditLock serialises appends across instances sharing a database.
const postgresAuditLock = 0x50c3a9

// AppendAudit chains entries, in order, after the trail's head and inserts
// them inside the transaction InTx opened for ctx (or one of their own), so
// they commit or roll back with the change they record. It sets each
// entry's Seq, At, PrevHash and Hash; the caller fills in the rest.
func (db *DB) AppendAudit(ctx context.Context, entries []AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return db.InTx(ctx, func(ctx context.Context) error {
		return appendAudit(db.Conn(ctx, true), entries)
	})
}

// appendAudit chains and inserts entries inside tx with one read of the
// head and batched inserts: a bulk change (an import) records one entry
// per object without one round trip per entry.
func appendAudit(tx *gorm.DB, entries []AuditEntry) error {
	if tx.Dialector.Name() == "postgres" {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", postgresAuditLock).Error; err != nil {
			return err
		}
	}
	var last AuditEntry
	if err := tx.Order("seq DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	chained := make([]AuditEntry, len(entries))
	for i, e := range entries {
		e.Seq, e.At, e.PrevHash = last.Seq+1, at, last.Hash
		e.Hash = AuditHash(e)
		chained[i], last = e, e
	}
	return tx.CreateInBatches(&chained, 500).Error
}

// AuditHash is the hash an entry carries: it covers the entry's contents
// and the previous entry's hash, so altering or removing an entry breaks
// the chain there.
func AuditHash(e AuditEntry) string {
	fields, err := json.Marshal([]any{
		e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.ActorID, e.Actor, e.Via, e.TokenID,
		e.Action, e.ObjectType, e.ObjectID, e.Changes, e.Client, e.RequestID, e.PrevHash,
	})
	if err != nil {
		// Numbers, strings and pointers to them always encode; a failure
		// here means a field of another type was added to the list.
		panic("store: hashing an audit entry: " + err.Error())
	}
	sum := sha256.Sum256(fields)
	return hex.EncodeToString(sum[:])
}
