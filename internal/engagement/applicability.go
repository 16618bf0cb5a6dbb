package engagement

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Applicability is a criterion or objective decided not applicable to one
// engagement, with the reason, by whom and when. The decision belongs to
// the engagement: another report on the same organisation may reach a
// different one.
type Applicability = store.EngagementApplicability

// notApplicableIn is the engagement's not-applicable requirements with
// their reasons.
func (s *Service) notApplicableIn(ctx context.Context, id int64) (map[int64]string, error) {
	rows, err := s.st.EngagementApplicabilityOf(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.RequirementID] = r.Reason
	}
	return out, nil
}

// NotApplicable lists the engagement's not-applicable decisions.
func (s *Service) NotApplicable(ctx context.Context, id int64) ([]Applicability, error) {
	return s.st.EngagementApplicabilityOf(ctx, id)
}

// reportedOn says which requirements an engagement reports on: the SOC
// 1's objectives in scope, or the SOC 2 criteria of its categories.
func reportedOn(d Detail) store.ReportedOn {
	return store.ReportedOn{EngagementID: d.ID, SOC1: d.Report == "soc1", Categories: d.CategoryList()}
}

// requirementReportedOn resolves a criterion or objective the engagement reports
// on by its reference ("CC6.2", "CO-01"); any other is not found.
func (s *Service) requirementReportedOn(ctx context.Context, d Detail, ref string) (store.Requirement, error) {
	r, err := s.st.RequirementReportedOn(ctx, reportedOn(d), ref)
	if errors.Is(err, store.ErrNotFound) {
		return r, apperr.NotFound("%s is not a criterion or objective of the engagement %q", ref, d.Name)
	}
	return r, err
}

// SetNotApplicable decides that a requirement does not apply to the
// engagement, with the reason; deciding again changes the reason.
func (s *Service) SetNotApplicable(ctx context.Context, id int64, ref, reason string, userID int64) (Applicability, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return Applicability{}, apperr.Invalid("say why the requirement does not apply to this engagement", map[string]string{"reason": "required"})
	case len([]rune(reason)) > 2000:
		return Applicability{}, apperr.Invalid("the reason is too long", map[string]string{"reason": "at most 2000 characters"})
	}
	return s.changeApplicability(ctx, id, ref, &Applicability{Reason: reason, DecidedBy: &userID, DecidedAt: s.now()})
}

// ClearNotApplicable makes a requirement applicable to the engagement again.
func (s *Service) ClearNotApplicable(ctx context.Context, id int64, ref string) error {
	_, err := s.changeApplicability(ctx, id, ref, nil)
	return err
}

// changeApplicability saves (a != nil) or removes the decision, audited.
func (s *Service) changeApplicability(ctx context.Context, id int64, ref string, a *Applicability) (Applicability, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return Applicability{}, err
	}
	var out Applicability
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.CheckUnlocked(ctx, id); err != nil {
			return err
		}
		r, err := s.requirementReportedOn(ctx, d, ref)
		if err != nil {
			return err
		}
		before, err := s.st.EngagementApplicabilityDecision(ctx, id, r.ID)
		if err != nil {
			return err
		}
		after := map[string]any{"not_applicable": false, "reason": ""}
		if a == nil {
			if err := s.st.ClearEngagementApplicability(ctx, id, r.ID); err != nil {
				return err
			}
		} else {
			out = *a
			out.EngagementID, out.RequirementID = id, r.ID
			if err := s.st.SaveEngagementApplicability(ctx, &out); err != nil {
				return err
			}
			after = map[string]any{"not_applicable": true, "reason": out.Reason}
		}
		changes := auditlog.Diff(map[string]any{"not_applicable": before.RequirementID != 0, "reason": before.Reason}, after)
		if len(changes) == 0 {
			return nil
		}
		changes["requirement"] = auditlog.Change{After: r.FrameworkID + "/" + r.Ref}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.applicability", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	return out, err
}
