package requests

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store"
)

// maxComment bounds a comment's text and a return's reason.
const maxComment = 4000

// mayAnswer checks that the principal may submit or comment on the
// request: control owners only on requests they own or that name a
// control they own; everyone else with the permission on any.
func (s *Service) mayAnswer(ctx context.Context, p *auth.Principal, r store.Request) error {
	if p.Role() != auth.Owner {
		return nil
	}
	if r.OwnerID != nil && *r.OwnerID == p.User.ID {
		return nil
	}
	controls, err := s.db.RequestControls(ctx, []int64{r.ID})
	if err != nil {
		return err
	}
	for _, c := range controls {
		if c.OwnerID != nil && *c.OwnerID == p.User.ID {
			return nil
		}
	}
	return apperr.Forbidden("%s is neither yours nor about a control you own", Ref(r.Number))
}

// CheckSubmit says whether the principal may submit the request now,
// before anything is uploaded for it.
func (s *Service) CheckSubmit(ctx context.Context, p *auth.Principal, engagementID int64, number int) (store.Request, error) {
	r, err := s.load(ctx, engagementID, number)
	if err != nil {
		return r, err
	}
	if err := s.mayAnswer(ctx, p, r); err != nil {
		return r, err
	}
	if r.Status != "open" && r.Status != "returned" {
		return r, apperr.Conflict("%s is %s: only an open or returned request can be submitted", Ref(number), r.Status)
	}
	return r, nil
}

// UploadControls are the controls an upload made while submitting the
// request is linked to: those of the request the principal may add
// evidence to.
func (s *Service) UploadControls(ctx context.Context, p *auth.Principal, r store.Request) ([]int64, error) {
	controls, err := s.db.RequestControls(ctx, []int64{r.ID})
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, c := range controls {
		if p.CanEditEvidenceOf([]*int64{c.OwnerID}) {
			ids = append(ids, c.ControlID)
		}
	}
	if len(ids) == 0 && p.Role() == auth.Owner {
		return nil, apperr.Forbidden("%s names no control you own: attach evidence that exists instead", Ref(r.Number))
	}
	return ids, nil
}

// Submit hands evidence over for a request: the evidence is attached and
// the request becomes submitted, with the note (if any) in its thread. A
// request is never submitted without evidence.
func (s *Service) Submit(ctx context.Context, p *auth.Principal, engagementID int64, number int, evidenceIDs []int64, note string) (Detail, error) {
	r, err := s.CheckSubmit(ctx, p, engagementID, number)
	if err != nil {
		return Detail{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxComment {
		return Detail{}, apperr.Invalid("the note is too long", map[string]string{"note": fmt.Sprintf("at most %d characters", maxComment)})
	}
	live, err := s.db.LiveEvidenceIDs(ctx, evidenceIDs)
	if err != nil {
		return Detail{}, err
	}
	for _, id := range evidenceIDs {
		if !containsID(live, id) {
			return Detail{}, apperr.Invalid("the evidence cannot be attached", map[string]string{"evidence_ids": fmt.Sprintf("evidence %d not found", id)})
		}
	}
	have, err := s.db.RequestEvidenceOf(ctx, []int64{r.ID})
	if err != nil {
		return Detail{}, err
	}
	if len(live) == 0 && len(have) == 0 {
		return Detail{}, apperr.Invalid("attach evidence to submit the request", map[string]string{"evidence_ids": "attach an upload or existing evidence"})
	}
	now := s.now()
	step := store.RequestTransition{RequestID: r.ID, Action: "submit", FromStatus: r.Status, ToStatus: "submitted",
		ActorID: &p.User.ID, At: now, PrevSubmittedAt: r.SubmittedAt}
	before := r.Status
	r.Status, r.SubmittedAt, r.AcceptedAt, r.UpdatedAt = "submitted", &now, nil, now
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.AttachRequestEvidence(ctx, r.ID, live, p.User.ID, now); err != nil {
			return err
		}
		if err := s.db.SaveRequest(ctx, &r, nil); err != nil {
			return err
		}
		if err := s.db.AddRequestTransition(ctx, &step); err != nil {
			return err
		}
		if note != "" {
			if err := s.db.AddRequestComment(ctx, &store.RequestComment{RequestID: r.ID, AuthorID: &p.User.ID, Body: note, CreatedAt: now}, nil); err != nil {
				return err
			}
		}
		return s.audit(ctx, r, "request.submit", map[string]auditlog.Change{"status": {Before: before, After: r.Status},
			"evidence_ids": {After: fmt.Sprint(live)}})
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, engagementID, number)
}

// Accept closes a submitted request.
func (s *Service) Accept(ctx context.Context, engagementID int64, number int) (Detail, error) {
	return s.decide(ctx, engagementID, number, "accepted", "request.accept", "")
}

// Return sends a submitted request back with a reason, which also goes
// into its thread.
func (s *Service) Return(ctx context.Context, engagementID int64, number int, reason string) (Detail, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return Detail{}, apperr.Invalid("say why the request is returned", map[string]string{"reason": "required"})
	case utf8.RuneCountInString(reason) > maxComment:
		return Detail{}, apperr.Invalid("the reason is too long", map[string]string{"reason": fmt.Sprintf("at most %d characters", maxComment)})
	}
	return s.decide(ctx, engagementID, number, "returned", "request.return", reason)
}

func (s *Service) decide(ctx context.Context, engagementID int64, number int, status, action, reason string) (Detail, error) {
	r, err := s.load(ctx, engagementID, number)
	if err != nil {
		return Detail{}, err
	}
	if r.Status != "submitted" {
		return Detail{}, apperr.Conflict("%s is %s: only a submitted request can be %s", Ref(number), r.Status, status)
	}
	now := s.now()
	a := auditlog.ActorFrom(ctx)
	step := store.RequestTransition{RequestID: r.ID, Action: strings.TrimPrefix(action, "request."), FromStatus: r.Status,
		ToStatus: status, ActorID: a.UserID, At: now, PrevSubmittedAt: r.SubmittedAt, PrevReturnReason: r.ReturnReason}
	r.Status, r.UpdatedAt = status, now
	if status == "accepted" {
		r.AcceptedAt = &now
	} else {
		r.ReturnReason = reason
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.SaveRequest(ctx, &r, nil); err != nil {
			return err
		}
		if err := s.db.AddRequestTransition(ctx, &step); err != nil {
			return err
		}
		if reason != "" {
			c := store.RequestComment{RequestID: r.ID, AuthorID: a.UserID, Body: "Returned: " + reason, CreatedAt: now}
			if err := s.db.AddRequestComment(ctx, &c, nil); err != nil {
				return err
			}
		}
		changes := map[string]auditlog.Change{"status": {Before: "submitted", After: status}}
		if reason != "" {
			changes["reason"] = auditlog.Change{After: reason}
		}
		return s.audit(ctx, r, action, changes)
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, engagementID, number)
}

// Attachment is a file arriving with a comment.
type Attachment = evidence.Upload

// Comment adds a message to a request's thread, with attachments stored
// in the evidence store (not as evidence).
func (s *Service) Comment(ctx context.Context, p *auth.Principal, engagementID int64, number int, body string, files []store.RequestCommentFile) (Detail, error) {
	r, err := s.CheckComment(ctx, p, engagementID, number)
	if err != nil {
		return Detail{}, err
	}
	body = strings.TrimSpace(body)
	switch {
	case body == "" && len(files) == 0:
		return Detail{}, apperr.Invalid("the comment is empty", map[string]string{"body": "required"})
	case utf8.RuneCountInString(body) > maxComment:
		return Detail{}, apperr.Invalid("the comment is too long", map[string]string{"body": fmt.Sprintf("at most %d characters", maxComment)})
	}
	now := s.now()
	c := store.RequestComment{RequestID: r.ID, AuthorID: &p.User.ID, Body: body, CreatedAt: now}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.AddRequestComment(ctx, &c, files); err != nil {
			return err
		}
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = fmt.Sprintf("%s (%d bytes, sha256 %s)", f.OriginalName, f.Size, f.SHA256)
		}
		return s.audit(ctx, r, "request.comment", map[string]auditlog.Change{"comment": {After: body},
			"files": {After: strings.Join(names, "; ")}})
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, engagementID, number)
}

// CheckComment says whether the principal may comment on the request,
// before any attachment is stored.
func (s *Service) CheckComment(ctx context.Context, p *auth.Principal, engagementID int64, number int) (store.Request, error) {
	r, err := s.load(ctx, engagementID, number)
	if err != nil {
		return r, err
	}
	return r, s.mayAnswer(ctx, p, r)
}

// CommentFile finds an attachment of a request's thread.
func (s *Service) CommentFile(ctx context.Context, engagementID int64, number int, fileID int64) (store.RequestCommentFile, error) {
	r, err := s.load(ctx, engagementID, number)
	if err != nil {
		return store.RequestCommentFile{}, err
	}
	f, found, err := s.db.RequestCommentFile(ctx, r.ID, fileID)
	if err == nil && !found {
		err = apperr.NotFound("%s has no attachment %d", Ref(number), fileID)
	}
	return f, err
}

func containsID(list []int64, id int64) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// Delete removes an open request from the list. Its number stays taken:
// the next request gets a new one, and generation does not bring it back.
// A request with a submission is history and is kept. With ifVersion it
// is refused as stale unless the request is still at that version.
func (s *Service) Delete(ctx context.Context, engagementID int64, number int, ifVersion *int64) error {
	r, err := s.load(ctx, engagementID, number)
	if err != nil {
		return err
	}
	if r.Status != "open" {
		return apperr.Conflict("%s is %s: only an open request can be deleted", Ref(number), r.Status)
	}
	now := s.now()
	r.DeletedAt, r.UpdatedAt = &now, now
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.SaveRequest(ctx, &r, ifVersion); err != nil {
			return err
		}
		return s.audit(ctx, r, "request.delete", auditlog.Diff(snapshot(r, nil), nil))
	})
}
