// Package requests keeps an engagement's request (PBC) list as records:
// what the auditors ask the organisation for, who owes it, the evidence
// handed over, the conversation about it, and its state from open through
// submitted to accepted, or returned and submitted again.
package requests

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store"
)

// The request vocabularies.
var (
	Kinds    = []string{"population", "sample_evidence", "document", "configuration", "walkthrough", "other"}
	Phases   = []string{"interim", "final"}
	Statuses = []string{"open", "submitted", "accepted", "returned"}
	// Steps are what a request's history records.
	Steps = []string{"submit", "accept", "return", "undo"}
)

// KindLabels and StatusLabels are the words sheets and pages show.
var (
	KindLabels = map[string]string{"population": "Population", "sample_evidence": "Sample evidence",
		"document": "Document", "configuration": "Configuration or point-in-time", "walkthrough": "Walkthrough", "other": "Other"}
	StatusLabels = map[string]string{"open": "Open", "submitted": "Submitted", "accepted": "Accepted", "returned": "Returned"}
)

// Ref is a request's stable ID within its engagement: REQ-001 for 1.
func Ref(number int) string { return store.RequestRef(number) }

// ParseRef reads REQ-001 (any case, any zero padding) or a bare number.
func ParseRef(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 4 && strings.EqualFold(s[:4], "REQ-") {
		s = s[4:]
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && !strings.HasPrefix(s, "+")
}

// Service keeps requests.
type Service struct {
	db       *store.DB
	eng      *engagement.Service
	evidence *evidence.Service
	now      func() time.Time
}

// NewService builds the service.
func NewService(db *store.DB, eng *engagement.Service, ev *evidence.Service) *Service {
	return &Service{db: db, eng: eng, evidence: ev, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// ItemRef names one selected item of a sample.
type ItemRef struct {
	SampleID int64 `json:"sample_id"`
	Seq      int   `json:"seq"`
}

// Input is a request as a user writes it; nil fields stay unchanged on update.
type Input struct {
	Kind        *string
	Phase       *string
	Description *string
	OwnerEmail  *string
	DueOn       *string
	AuditorRef  *string
	ControlIDs  *[]int64
	SampleItems *[]ItemRef
	// IfVersion, when set, is the version the writer read (If-Match).
	IfVersion *int64
}

// Detail is a request with everything it names.
type Detail struct {
	store.Request
	Ref        string
	OwnerEmail string
	Controls   []store.RequestControlRef
	Items      []store.RequestItemRef
	Evidence   []store.RequestEvidenceRef
	Comments   []Comment
	// History is every submission, acceptance, return and undo, oldest first.
	History []store.TransitionRow
}

// Comment is one message of a thread with its attachments.
type Comment struct {
	store.CommentRow
	Files []store.RequestCommentFile
}

// LastComment is the newest comment's text, or "".
func (d Detail) LastComment() string {
	if len(d.Comments) == 0 {
		return ""
	}
	return d.Comments[len(d.Comments)-1].Body
}

// Create adds a request by hand (sourceKey nil) or from generation.
func (s *Service) Create(ctx context.Context, p *auth.Principal, engagementID int64, in Input, sourceKey *string) (Detail, error) {
	if _, err := s.eng.Get(ctx, engagementID); err != nil {
		return Detail{}, err
	}
	now := s.now()
	r := store.Request{EngagementID: engagementID, Phase: "final", Status: "open", RequestedAt: now,
		CreatedAt: now, UpdatedAt: now, SourceKey: sourceKey}
	if p != nil && p.User.ID != 0 {
		r.CreatedBy = &p.User.ID
	}
	controls, items, err := s.apply(ctx, &r, in, true)
	if err != nil {
		return Detail{}, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		n, err := s.db.NextRequestNumber(ctx, engagementID)
		if err != nil {
			return err
		}
		r.Number = n
		if err := s.db.CreateRequest(ctx, &r, controls, items); err != nil {
			return err
		}
		return s.audit(ctx, r, "request.create", auditlog.Diff(nil, snapshot(r, controls)))
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, engagementID, r.Number)
}

// Update changes what a request asks for; an accepted request is closed.
func (s *Service) Update(ctx context.Context, engagementID int64, number int, in Input) (Detail, error) {
	r, err := s.load(ctx, engagementID, number)
	if err != nil {
		return Detail{}, err
	}
	if r.Status == "accepted" {
		return Detail{}, apperr.Conflict("%s was accepted and can no longer be changed", Ref(number))
	}
	before := r
	beforeControls, err := s.controlIDs(ctx, r.ID)
	if err != nil {
		return Detail{}, err
	}
	controls, items, err := s.apply(ctx, &r, in, false)
	if err != nil {
		return Detail{}, err
	}
	if in.ControlIDs == nil {
		controls = beforeControls
	}
	r.UpdatedAt = s.now()
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.SaveRequest(ctx, &r, in.IfVersion); err != nil {
			return err
		}
		if in.ControlIDs != nil || in.SampleItems != nil {
			if items == nil && in.SampleItems == nil {
				if items, err = s.itemRefs(ctx, r.ID); err != nil {
					return err
				}
			}
			if err := s.db.SetRequestParts(ctx, r.ID, controls, items); err != nil {
				return err
			}
		}
		return s.audit(ctx, r, "request.update", auditlog.Diff(snapshot(before, beforeControls), snapshot(r, controls)))
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, engagementID, number)
}

// apply validates the input onto r and resolves its controls and items.
func (s *Service) apply(ctx context.Context, r *store.Request, in Input, creating bool) ([]int64, []store.RequestSampleItem, error) {
	f := apperr.Fields{}
	f.Choice("type", in.Kind, &r.Kind, Kinds)
	f.Choice("phase", in.Phase, &r.Phase, Phases)
	f.Text("description", in.Description, &r.Description, 4000)
	f.Text("auditor_ref", in.AuditorRef, &r.AuditorRef, 100)
	f.Date("due_on", in.DueOn, &r.DueOn)
	if creating {
		f.Require("type", r.Kind)
	}
	if in.OwnerEmail != nil {
		s.resolveOwner(ctx, r, *in.OwnerEmail, f)
	}
	var controls []int64
	if in.ControlIDs != nil {
		controls = slices.Compact(slices.Sorted(slices.Values(*in.ControlIDs)))
		if err := s.checkControls(ctx, r.EngagementID, controls, f); err != nil {
			return nil, nil, err
		}
	}
	var items []store.RequestSampleItem
	if in.SampleItems != nil {
		var err error
		if items, err = s.checkItems(ctx, r.EngagementID, *in.SampleItems, f); err != nil {
			return nil, nil, err
		}
	}
	return controls, items, f.Err("the request cannot be saved as given")
}

func (s *Service) resolveOwner(ctx context.Context, r *store.Request, email string, f apperr.Fields) {
	if strings.TrimSpace(email) == "" {
		r.OwnerID = nil
		return
	}
	u, err := s.db.UserByEmail(ctx, email)
	switch {
	case err != nil:
		f["owner_email"] = "no account has this e-mail address"
	case u.DisabledAt != nil:
		f["owner_email"] = "this account is disabled"
	case !auth.RoleCan(auth.Role(u.Role), auth.WorkOnRequests):
		f["owner_email"] = "a " + u.Role + " cannot submit requests; choose a control owner or the compliance team"
	default:
		r.OwnerID = &u.ID
	}
}

func (s *Service) checkControls(ctx context.Context, engagementID int64, controls []int64, f apperr.Fields) error {
	if len(controls) == 0 {
		return nil
	}
	in, err := s.eng.InScopeControlIDs(ctx, engagementID)
	if err != nil {
		return err
	}
	for _, c := range controls {
		if !slices.Contains(in, c) {
			f["control_ids"] = fmt.Sprintf("control %d is not in this engagement's scope", c)
			return nil
		}
	}
	return nil
}

func (s *Service) checkItems(ctx context.Context, engagementID int64, refs []ItemRef, f apperr.Fields) ([]store.RequestSampleItem, error) {
	items := []store.RequestSampleItem{}
	seen := map[ItemRef]bool{}
	for _, it := range refs {
		if seen[it] {
			continue
		}
		seen[it] = true
		_, found, err := s.db.SampleItemControl(ctx, engagementID, it.SampleID, it.Seq)
		if err != nil {
			return nil, err
		}
		if !found {
			f["sample_items"] = fmt.Sprintf("sample %d of this engagement has no item %d", it.SampleID, it.Seq)
			return nil, nil
		}
		items = append(items, store.RequestSampleItem{SampleID: it.SampleID, Seq: it.Seq})
	}
	return items, nil
}

func (s *Service) controlIDs(ctx context.Context, requestID int64) ([]int64, error) {
	refs, err := s.db.RequestControls(ctx, []int64{requestID})
	ids := make([]int64, len(refs))
	for i, c := range refs {
		ids[i] = c.ControlID
	}
	return ids, err
}

func (s *Service) itemRefs(ctx context.Context, requestID int64) ([]store.RequestSampleItem, error) {
	refs, err := s.db.RequestSampleItems(ctx, []int64{requestID})
	items := make([]store.RequestSampleItem, len(refs))
	for i, it := range refs {
		items[i] = store.RequestSampleItem{SampleID: it.SampleID, Seq: it.Seq}
	}
	return items, err
}

func (s *Service) load(ctx context.Context, engagementID int64, number int) (store.Request, error) {
	r, found, err := s.db.RequestByNumber(ctx, engagementID, number)
	if err == nil && !found {
		err = apperr.NotFound("engagement %d has no request %s", engagementID, Ref(number))
	}
	return r, err
}

// snapshot is what the audit trail records of a request.
func snapshot(r store.Request, controls []int64) map[string]any {
	return map[string]any{"type": r.Kind, "phase": r.Phase, "description": r.Description, "owner_id": r.OwnerID,
		"due_on": r.DueOn, "auditor_ref": r.AuditorRef, "status": r.Status, "control_ids": fmt.Sprint(controls)}
}

// audit records a change to a request under its engagement, where the
// engagement's auditors see it in the audit trail.
func (s *Service) audit(ctx context.Context, r store.Request, action string, changes map[string]auditlog.Change) error {
	if changes == nil {
		changes = map[string]auditlog.Change{}
	}
	changes["request"] = auditlog.Change{After: Ref(r.Number)}
	return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: action, ObjectType: "engagement",
		ObjectID: fmt.Sprint(r.EngagementID), Changes: changes})
}
