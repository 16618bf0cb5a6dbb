// Package auditlog keeps the append-only, hash-chained audit trail: who
// changed what, when and from where. Each entry's hash covers its contents
// and the previous entry's hash, so altering or removing an entry breaks
// the chain at that point, and Verify names it.
package auditlog

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/socmap/socmap/internal/store"
)

// Actor is who does something and from where; it travels in the context.
type Actor struct {
	UserID    *int64
	Label     string // e-mail, or "cli" / "system"
	Via       string // session, token, cli, system
	TokenID   *int64
	Client    string // client address
	RequestID string
}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx; without one the change is the
// system's own.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Label: "system", Via: "system"}
}

// Event is what happened to which object. Changes maps each changed field
// to its value before and after.
type Event struct {
	Action     string // e.g. user.create, login.failure, evidence.download
	ObjectType string
	ObjectID   string
	Changes    map[string]Change
}

// Change is one field's value before and after; nil means absent.
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// Diff lists the fields whose values differ between two snapshots. A nil
// before (a creation) or after (a deletion) lists every field. Pointers
// are compared and recorded by the values they point to.
func Diff(before, after map[string]any) map[string]Change {
	out := map[string]Change{}
	for k, a := range after {
		a = plain(a)
		b, had := before[k]
		b = plain(b)
		if !had || fmt.Sprint(b) != fmt.Sprint(a) {
			out[k] = Change{Before: b, After: a}
		}
	}
	for k, b := range before {
		if _, has := after[k]; !has {
			out[k] = Change{Before: plain(b)}
		}
	}
	return out
}

// plain dereferences a pointer (nil stays nil).
func plain(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		return v
	}
	if rv.IsNil() {
		return nil
	}
	return rv.Elem().Interface()
}

// Record appends an entry in its own transaction, for events that change
// nothing else (a failed login, a download).
func Record(ctx context.Context, db *store.DB, ev Event) error {
	return AppendIn(ctx, db, ev)
}

// Transactor is the part of the store AppendIn needs: *store.DB has it.
// Domain packages name it in their store interfaces to record the audit
// trail inside their writes without handling the database themselves.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AppendAudit(ctx context.Context, entries []store.AuditEntry) error
}

// AppendIn adds entries inside the transaction db.InTx opened for ctx
// (or in a transaction of their own outside one), so they commit or roll
// back with the changes the store made in it.
func AppendIn(ctx context.Context, db Transactor, events ...Event) error {
	entries, err := entriesOf(ctx, events)
	if err != nil {
		return err
	}
	return db.AppendAudit(ctx, entries)
}

// entriesOf is what the store chains and keeps of events: who did them,
// from where, and what changed; the store adds the sequence, time and
// hashes.
func entriesOf(ctx context.Context, events []Event) ([]store.AuditEntry, error) {
	a := ActorFrom(ctx)
	entries := make([]store.AuditEntry, len(events))
	for i, ev := range events {
		changes := ev.Changes
		if changes == nil {
			changes = map[string]Change{}
		}
		changesJSON, err := json.Marshal(changes)
		if err != nil {
			return nil, err
		}
		entries[i] = store.AuditEntry{
			ActorID: a.UserID, Actor: a.Label, Via: a.Via, TokenID: a.TokenID,
			Action: ev.Action, ObjectType: ev.ObjectType, ObjectID: ev.ObjectID,
			Changes: string(changesJSON), Client: a.Client, RequestID: a.RequestID,
		}
	}
	return entries, nil
}

// Export is the audit entry of a file handed over: what it is, and the
// SHA-256 and size of the bytes as delivered, so the file an auditor
// holds can be matched to the entry.
func Export(objectType, objectID, what, sha256 string, size int64, more map[string]Change) Event {
	changes := map[string]Change{"export": {After: what}, "sha256": {After: sha256}, "size": {After: size}}
	for k, v := range more {
		changes[k] = v
	}
	return Event{Action: objectType + ".export", ObjectType: objectType, ObjectID: objectID, Changes: changes}
}
