// Package evidence keeps what shows controls at work: files (stored by
// hash, immutable, each replacement a new revision), links and notes, with
// the period they cover and the controls they support.
package evidence

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/store"
)

// DefaultMaxUpload is the default largest evidence file: 100 MiB.
const DefaultMaxUpload = 100 << 20

// Service manages evidence.
type Service struct {
	db        Store
	blobs     blob.Store
	MaxUpload int64
	now       func() time.Time
	// Changed hears which controls' evidence changed.
	Changed store.ControlsChanged
	// FillsWindow names an occurrence window of an active engagement the
	// evidence covers, or "": deleting such evidence takes a reason.
	FillsWindow func(ctx context.Context, evidenceID int64) (string, error)
}

// RestoreDays is how long deleted evidence can be restored.
const RestoreDays = 30

func NewService(db Store, blobs blob.Store, maxUpload int64) *Service {
	return &Service{db: db, blobs: blobs, MaxUpload: maxUpload, now: func() time.Time { return time.Now().UTC() }}
}

// Meta is the descriptive part of evidence; nil fields stay unchanged.
type Meta struct {
	Title        *string
	Description  *string
	CollectedOn  *string
	CoversFrom   *string
	CoversTo     *string
	AsOf         *string
	ExpiresOn    *string
	SourceSystem *string
	ProvidedBy   *string
	ControlIDs   *[]int64
	// IfVersion, when set, is the version the writer read (If-Match): the
	// save is refused with apperr.KindStale unless the row is still at it.
	IfVersion *int64
}

// applyMeta copies meta onto e and reports every invalid field.
func applyMeta(e *store.Evidence, m Meta, f apperr.Fields) {
	f.Text("title", m.Title, &e.Title, 200)
	f.Text("description", m.Description, &e.Description, 10000)
	f.Text("source_system", m.SourceSystem, &e.SourceSystem, 200)
	f.Text("provided_by", m.ProvidedBy, &e.ProvidedBy, 200)
	f.Date("collected_on", m.CollectedOn, &e.CollectedOn)
	f.Date("covers_from", m.CoversFrom, &e.CoversFrom)
	f.Date("covers_to", m.CoversTo, &e.CoversTo)
	f.Date("as_of", m.AsOf, &e.AsOf)
	f.Date("expires_on", m.ExpiresOn, &e.ExpiresOn)
	f.Require("title", e.Title)
	if (e.CoversFrom == nil) != (e.CoversTo == nil) {
		f["covers_to"] = "give both ends of the period it covers, or neither"
	}
	if e.CoversFrom != nil && e.CoversTo != nil && *e.CoversFrom > *e.CoversTo {
		f["covers_to"] = "the period ends before it starts"
	}
	if e.AsOf != nil && e.CoversFrom != nil {
		f["as_of"] = "give either the period it covers or the date it is as of, not both"
	}
}

// checkControls verifies the control IDs and that the principal may attach
// evidence to all of them (control owners only to their own controls).
func (s *Service) checkControls(ctx context.Context, p *auth.Principal, ids []int64, fields map[string]string) {
	if len(ids) == 0 {
		fields["control_ids"] = "link the evidence to at least one control"
		return
	}
	if len(ids) > 500 {
		fields["control_ids"] = "at most 500 controls"
		return
	}
	controls, err := s.db.ControlsByRef(ctx, ids)
	if err != nil {
		fields["control_ids"] = err.Error()
		return
	}
	if len(controls) != len(uniq(ids)) {
		fields["control_ids"] = "unknown control ID in the list"
		return
	}
	owners := make([]*int64, len(controls))
	for i, c := range controls {
		owners[i] = c.OwnerID
	}
	if !p.CanEditEvidenceOf(owners) {
		fields["control_ids"] = "control owners can only add evidence to controls they own"
	}
}

func uniq(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func snapshot(e store.Evidence, controls []int64) map[string]any {
	return map[string]any{"kind": e.Kind, "title": e.Title, "description": e.Description, "url": e.URL,
		"note": e.Note, "collected_on": e.CollectedOn, "covers_from": e.CoversFrom, "covers_to": e.CoversTo,
		"as_of": e.AsOf, "expires_on": e.ExpiresOn, "source_system": e.SourceSystem,
		"provided_by": e.ProvidedBy, "control_ids": fmt.Sprint(controls)}
}

// CreateOther records a link (http/https only) or a note.
func (s *Service) CreateOther(ctx context.Context, p *auth.Principal, kind, link, note string, m Meta) (store.Evidence, error) {
	fields := map[string]string{}
	e := store.Evidence{Kind: kind}
	switch kind {
	case "link":
		u, err := url.Parse(strings.TrimSpace(link))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fields["url"] = "must be an http:// or https:// address"
		} else if len(link) > 2000 {
			fields["url"] = "at most 2000 characters"
		} else {
			e.URL = u.String()
		}
	case "note":
		if strings.TrimSpace(note) == "" || len([]rune(note)) > 20000 {
			fields["note"] = "write the note, at most 20000 characters"
		}
		e.Note = strings.TrimSpace(note)
	case "file":
		return e, apperr.Invalid("upload a file as multipart/form-data with a file part", nil)
	default:
		fields["kind"] = "must be file, link or note"
	}
	return s.create(ctx, p, e, m, fields, nil)
}

// create validates and inserts evidence, its control links and, for a
// file, its first revision, in one transaction.
func (s *Service) create(ctx context.Context, p *auth.Principal, e store.Evidence, m Meta, fields map[string]string, file *store.EvidenceFile) (store.Evidence, error) {
	applyMeta(&e, m, fields)
	var ids []int64
	if m.ControlIDs != nil {
		ids = uniq(*m.ControlIDs)
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		s.checkControls(ctx, p, ids, fields)
		if len(fields) > 0 {
			return apperr.Invalid("the evidence cannot be saved as given", fields)
		}
		now := s.now()
		e.CreatedBy, e.CreatedAt, e.UpdatedAt = &p.User.ID, now, now
		if err := s.db.CreateEvidence(ctx, &e); err != nil {
			return err
		}
		if err := s.db.LinkEvidence(ctx, e.ID, ids); err != nil {
			return err
		}
		changes := auditlog.Diff(nil, snapshot(e, ids))
		if file != nil {
			file.EvidenceID, file.Revision, file.UploadedBy, file.UploadedAt = e.ID, 1, &p.User.ID, now
			if err := s.db.AddEvidenceFile(ctx, file); err != nil {
				return err
			}
			changes["file"] = auditlog.Change{After: fileLabel(*file)}
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "evidence.create", ObjectType: "evidence",
			ObjectID: fmt.Sprint(e.ID), Changes: changes})
	})
	s.Changed.Notify(ctx, err, ids)
	return e, err
}

func fileLabel(f store.EvidenceFile) string {
	return fmt.Sprintf("rev %d: %s (%d bytes, sha256 %s)", f.Revision, f.OriginalName, f.Size, f.SHA256)
}

// load takes live evidence and checks the principal may change it.
func (s *Service) load(ctx context.Context, p *auth.Principal, id int64) (store.Evidence, []int64, error) {
	e, err := s.db.LiveEvidenceByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return e, nil, apperr.NotFound("evidence %d not found", id)
	}
	if err != nil {
		return e, nil, err
	}
	ids, err := s.db.ControlIDsOfEvidence(ctx, id)
	if err != nil {
		return e, nil, err
	}
	fields := map[string]string{}
	s.checkControls(ctx, p, ids, fields)
	if fields["control_ids"] != "" && len(ids) > 0 {
		return e, ids, apperr.Forbidden("you may change evidence only of controls you own")
	}
	return e, ids, nil
}

// reliedOn says which engagement relies on the evidence for one of the
// controls (any control when nil), or "": such evidence must not be
// deleted nor unlinked from those controls.
func (s *Service) reliedOn(ctx context.Context, id int64, controls []int64) (string, error) {
	name, ref, err := s.db.EngagementRelyingOn(ctx, id, controls)
	if err != nil || name == "" {
		return "", err
	}
	return fmt.Sprintf("the engagement %q relies on it for %s", name, ref), nil
}

// Update changes evidence metadata and its control links.
func (s *Service) Update(ctx context.Context, p *auth.Principal, id int64, m Meta) (store.Evidence, error) {
	var e store.Evidence
	if m.ControlIDs != nil {
		// A scan's file is linked to the controls its checks passed; the
		// check mapping rules move it, a hand would break that.
		if scan, err := s.db.IsIngestEvidence(ctx, id); err != nil || scan {
			if err == nil {
				err = apperr.Conflict("evidence %d is a scanner's file: its controls follow the check mapping rules (Automated page), not control_ids", id)
			}
			return e, err
		}
	}
	var touched []int64 // controls linked before or after
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var ids []int64
		var err error
		if e, ids, err = s.load(ctx, p, id); err != nil {
			return err
		}
		touched = ids
		before := snapshot(e, ids)
		fields := map[string]string{}
		applyMeta(&e, m, fields)
		if m.ControlIDs != nil {
			old := ids
			ids = uniq(*m.ControlIDs)
			s.checkControls(ctx, p, ids, fields)
			if len(fields) == 0 {
				if use, err := s.reliedOn(ctx, id, without(old, ids)); err != nil || use != "" {
					return unlessErr(err, apperr.Conflict("evidence %d cannot be unlinked: %s", id, use))
				}
			}
		}
		if len(fields) > 0 {
			return apperr.Invalid("the evidence cannot be saved as given", fields)
		}
		touched = append(touched, ids...)
		e.UpdatedAt = s.now()
		if err := s.db.SaveEvidence(ctx, &e, m.IfVersion); err != nil {
			return err
		}
		if m.ControlIDs != nil {
			if err := s.db.RelinkEvidence(ctx, id, ids); err != nil {
				return err
			}
		}
		changes := auditlog.Diff(before, snapshot(e, ids))
		if len(changes) == 0 {
			return nil
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "evidence.update", ObjectType: "evidence",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	s.Changed.Notify(ctx, err, touched)
	return e, err
}

// Delete takes evidence out of use. Its record and files are kept for the
// audit trail, and compliance can restore it for RestoreDays; evidence an
// engagement relies on cannot be deleted, and evidence that fills an
// occurrence window of an active engagement only with a reason, which the
// audit trail keeps.
func (s *Service) Delete(ctx context.Context, p *auth.Principal, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 2000 {
		return apperr.Invalid("the reason is too long", map[string]string{"reason": "at most 2000 characters"})
	}
	var fills string
	if reason == "" && s.FillsWindow != nil {
		var err error
		if fills, err = s.FillsWindow(ctx, id); err != nil {
			return err
		}
	}
	var ids []int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		e, linked, err := s.load(ctx, p, id)
		ids = linked
		if err != nil {
			return err
		}
		if use, err := s.reliedOn(ctx, id, nil); err != nil || use != "" {
			return unlessErr(err, apperr.Conflict("evidence %d cannot be deleted: %s", id, use))
		}
		if fills != "" {
			return &apperr.Error{Kind: apperr.KindConflict, Code: "reason_required",
				Message: fmt.Sprintf("evidence %d covers %s: give a reason to delete it", id, fills),
				Fields:  map[string]string{"reason": "required: this evidence fills an occurrence window"}}
		}
		if err := s.db.DeleteEvidence(ctx, &e, s.now()); err != nil {
			return err
		}
		changes := auditlog.Diff(snapshot(e, ids), nil)
		if reason != "" {
			changes["reason"] = auditlog.Change{After: reason}
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "evidence.delete", ObjectType: "evidence",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	s.Changed.Notify(ctx, err, ids)
	return err
}

// Restore brings deleted evidence back, with its links and files, within
// RestoreDays of its deletion.
func (s *Service) Restore(ctx context.Context, id int64) (store.Evidence, error) {
	var e store.Evidence
	var ids []int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		e, err = s.db.EvidenceByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.NotFound("evidence %d not found", id)
		}
		if err != nil {
			return err
		}
		if e.DeletedAt == nil {
			return apperr.Conflict("evidence %d is not deleted", id)
		}
		if s.now().Sub(*e.DeletedAt) > RestoreDays*24*time.Hour {
			return apperr.Conflict("evidence %d was deleted on %s, more than %d days ago, and can no longer be restored",
				id, e.DeletedAt.Format(time.DateOnly), RestoreDays)
		}
		if ids, err = s.db.ControlIDsOfEvidence(ctx, id); err != nil {
			return err
		}
		deleted := *e.DeletedAt
		if err := s.db.RestoreEvidence(ctx, &e); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "evidence.restore", ObjectType: "evidence",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"deleted_at": {Before: deleted, After: nil}}})
	})
	s.Changed.Notify(ctx, err, ids)
	return e, err
}

// without lists the ids of a that are not in b.
func without(a, b []int64) []int64 {
	out := []int64{}
	for _, id := range a {
		if !slices.Contains(b, id) {
			out = append(out, id)
		}
	}
	return out
}

// unlessErr is err when there is one, else refusal.
func unlessErr(err, refusal error) error {
	if err != nil {
		return err
	}
	return refusal
}
