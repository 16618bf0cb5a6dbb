package demo

import (
	"fmt"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/requests"
)

// auditRequests generates the SOC 2 engagement's request list and plays
// a few requests through with the auditor, so the list holds every state:
// one accepted, one returned with its reason, one submitted, the rest
// open, each answered one with its thread.
func (l *loader) auditRequests() error {
	id := l.result.Engagements[0]
	svc := requests.NewService(l.db, l.engagements, l.evidence)
	auditor := &auth.Principal{User: l.users[people[10].Email]}
	created, err := svc.Generate(l.ctx, auditor, id)
	if err != nil {
		return fmt.Errorf("requests: %w", err)
	}
	steps := []func(requests.Detail, *auth.Principal) error{
		func(r requests.Detail, _ *auth.Principal) error {
			_, err := svc.Accept(l.ctx, id, r.Number)
			return err
		},
		func(r requests.Detail, _ *auth.Principal) error {
			_, err := svc.Return(l.ctx, id, r.Number, "The listing must cover the whole period, not the first quarter only.")
			return err
		},
		func(requests.Detail, *auth.Principal) error { return nil },
	}
	for _, r := range created {
		if len(steps) == 0 {
			break
		}
		owner, ok := l.users[r.OwnerEmail]
		if len(r.Controls) == 0 || !ok {
			continue
		}
		rows, _, err := l.evidence.List(l.ctx, evidence.Filter{ControlID: r.Controls[0].ControlID, Limit: 1})
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			continue
		}
		p := &auth.Principal{User: owner}
		if _, err := svc.Comment(l.ctx, auditor, id, r.Number, "Please include the query you ran.", nil); err != nil {
			return err
		}
		if _, err := svc.Submit(l.ctx, p, id, r.Number, []int64{rows[0].ID}, "Attached, with the query in the file's header."); err != nil {
			return fmt.Errorf("requests: submit %s: %w", r.Ref, err)
		}
		if err := steps[0](r, auditor); err != nil {
			return fmt.Errorf("requests: %s: %w", r.Ref, err)
		}
		steps = steps[1:]
	}
	return nil
}
