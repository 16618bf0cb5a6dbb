package complementary

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// SubserviceReview is a subservice organisation's own SOC report as
// reviewed for an engagement.
type SubserviceReview = store.SubserviceReview

// VendorCUEC is a control the subservice organisation's report expects of
// us, with the in-scope control of ours that addresses it.
type VendorCUEC = store.VendorCUEC

// Opinions a service auditor gives.
var Opinions = []string{"unmodified", "qualified", "adverse", "disclaimer"}

// Reviews lists a subservice organisation's reviews, latest first.
func (s *Service) Reviews(ctx context.Context, id, orgID int64) ([]SubserviceReview, error) {
	if _, err := s.Subservice(ctx, id, orgID); err != nil {
		return nil, err
	}
	return s.st.ReviewsOf(ctx, orgID)
}

// Review returns one review of an engagement's subservice organisation.
func (s *Service) Review(ctx context.Context, id, orgID, reviewID int64) (SubserviceReview, error) {
	r, err := s.st.ReviewIn(ctx, id, orgID, reviewID)
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.NotFound("review %d not found for subservice organisation %d of engagement %d", reviewID, orgID, id)
	}
	return r, err
}

// VendorCUECInput is one of the vendor's CUECs and the control of ours
// that addresses it.
type VendorCUECInput struct {
	Text      string
	ControlID *int64
}

// ReviewInput records or changes a review; on a change nil fields stay as
// they are (CUECs, when given, replace the list).
type ReviewInput struct {
	Report                 *string
	ReportType             *string
	PeriodStart            *string
	PeriodEnd              *string
	VendorAuditor          *string
	Opinion                *string
	ExceptionsNoted        *string
	ExceptionsRelevance    *string
	BridgeLetterEvidenceID *int64 // 0 removes it
	ReviewedOn             *string
	CUECs                  *[]VendorCUECInput
	// IfVersion, when set, is the version the writer read (If-Match).
	IfVersion *int64
}

// applyReview copies the input onto r and names every invalid field.
func (s *Service) applyReview(ctx context.Context, id int64, r *SubserviceReview, in ReviewInput) (apperr.Fields, error) {
	f := apperr.Fields{}
	f.Choice("report", in.Report, &r.Report, engagement.Reports)
	f.Choice("report_type", in.ReportType, &r.ReportType, engagement.Types)
	f.Choice("opinion", in.Opinion, &r.Opinion, Opinions)
	f.Text("vendor_auditor", in.VendorAuditor, &r.VendorAuditor, 200)
	f.Text("exceptions_noted", in.ExceptionsNoted, &r.ExceptionsNoted, 5000)
	f.Text("exceptions_relevance", in.ExceptionsRelevance, &r.ExceptionsRelevance, 5000)
	f.Date("period_start", in.PeriodStart, &r.PeriodStart)
	for _, d := range []struct {
		name string
		v    *string
		dst  *string
	}{{"period_end", in.PeriodEnd, &r.PeriodEnd}, {"reviewed_on", in.ReviewedOn, &r.ReviewedOn}} {
		if d.v == nil {
			continue
		}
		if _, err := civil.Parse(*d.v); err != nil {
			f[d.name] = "a date, YYYY-MM-DD"
			continue
		}
		*d.dst = *d.v
	}
	for name, v := range map[string]string{"report": r.Report, "report_type": r.ReportType, "opinion": r.Opinion,
		"period_end": r.PeriodEnd, "reviewed_on": r.ReviewedOn} {
		if v == "" && f[name] == "" {
			f[name] = "required"
		}
	}
	if r.ReportType == "type1" {
		r.PeriodStart = nil // a Type I is as of its period end
	} else if r.ReportType == "type2" && f["period_start"] == "" {
		if r.PeriodStart == nil {
			f["period_start"] = "a Type II report covers a period: give its start"
		} else if r.PeriodEnd != "" && *r.PeriodStart > r.PeriodEnd {
			f["period_end"] = "the period ends before it starts"
		}
	}
	if err := s.applyBridgeLetter(ctx, r, in.BridgeLetterEvidenceID, f); err != nil {
		return nil, err
	}
	if in.CUECs != nil {
		if err := s.applyVendorCUECs(ctx, id, r, *in.CUECs, f); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (s *Service) applyBridgeLetter(ctx context.Context, r *SubserviceReview, evidenceID *int64, f apperr.Fields) error {
	if evidenceID == nil {
		return nil
	}
	if *evidenceID == 0 {
		r.BridgeLetterEvidenceID = nil
		return nil
	}
	live, err := s.st.LiveEvidenceIDs(ctx, []int64{*evidenceID})
	if err != nil {
		return err
	}
	if len(live) == 0 {
		f["bridge_letter_evidence_id"] = "no such evidence item"
		return nil
	}
	r.BridgeLetterEvidenceID = evidenceID
	return nil
}

// applyVendorCUECs replaces the vendor's CUECs: each is described and, if
// addressed, by a control in the engagement's scope.
func (s *Service) applyVendorCUECs(ctx context.Context, id int64, r *SubserviceReview, in []VendorCUECInput, f apperr.Fields) error {
	r.CUECs = make([]VendorCUEC, 0, len(in))
	for i, c := range in {
		text, ok := checkText(c.Text)
		if !ok {
			f[fmt.Sprintf("cuecs[%d]", i)] = "describe the control the vendor expects of us, at most 5000 characters"
		}
		if c.ControlID != nil {
			inScope, err := s.eng.ControlInScope(ctx, id, *c.ControlID)
			if err != nil {
				return err
			}
			if !inScope {
				f[fmt.Sprintf("cuecs[%d]", i)] = fmt.Sprintf("control %d is not in the engagement's scope: the vendor's CUEC must be addressed by an in-scope control", *c.ControlID)
			}
		}
		r.CUECs = append(r.CUECs, VendorCUEC{Text: text, ControlID: c.ControlID})
	}
	return nil
}

func reviewSnapshot(r SubserviceReview) map[string]any {
	cuecs := make([]string, len(r.CUECs))
	for i, c := range r.CUECs {
		cuecs[i] = c.Text
		if c.ControlID != nil {
			cuecs[i] += fmt.Sprintf(" (control %d)", *c.ControlID)
		}
	}
	return map[string]any{"report": r.Report, "report_type": r.ReportType, "period_start": r.PeriodStart, "period_end": r.PeriodEnd,
		"vendor_auditor": r.VendorAuditor, "opinion": r.Opinion, "exceptions_noted": r.ExceptionsNoted,
		"exceptions_relevance": r.ExceptionsRelevance, "bridge_letter_evidence_id": r.BridgeLetterEvidenceID,
		"reviewed_by": r.ReviewedBy, "reviewed_on": r.ReviewedOn, "vendor_cuecs": strings.Join(cuecs, "; ")}
}

// AddReview records a review of a subservice organisation's SOC report by
// the user reviewer; the organisation is no longer "review due".
func (s *Service) AddReview(ctx context.Context, id, orgID, reviewer int64, in ReviewInput) (SubserviceReview, error) {
	r := SubserviceReview{SubserviceID: orgID, ReviewedBy: &reviewer, CreatedAt: s.now()}
	if in.CUECs == nil {
		in.CUECs = &[]VendorCUECInput{}
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Subservice(ctx, id, orgID); err != nil {
			return err
		}
		fields, err := s.applyReview(ctx, id, &r, in)
		if err != nil {
			return err
		}
		if len(fields) > 0 {
			return apperr.Invalid("the review cannot be saved as given", fields)
		}
		if err := s.st.CreateReview(ctx, &r); err != nil {
			return err
		}
		changes := auditlog.Diff(nil, reviewSnapshot(r))
		changes["subservice_id"], changes["review_id"] = auditlog.Change{After: orgID}, auditlog.Change{After: r.ID}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.subservice_review_add", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	return r, err
}

// UpdateReview changes a recorded review.
func (s *Service) UpdateReview(ctx context.Context, id, orgID, reviewID int64, in ReviewInput) (SubserviceReview, error) {
	var r SubserviceReview
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.Review(ctx, id, orgID, reviewID); err != nil {
			return err
		}
		before := reviewSnapshot(r)
		fields, err := s.applyReview(ctx, id, &r, in)
		if err != nil {
			return err
		}
		if len(fields) > 0 {
			return apperr.Invalid("the review cannot be saved as given", fields)
		}
		cuecs := r.CUECs
		r.CUECs = nil // saved below, apart from the review's own row
		if err := s.st.SaveReview(ctx, &r, in.IfVersion); err != nil {
			return err
		}
		if in.CUECs != nil {
			if err := s.st.ReplaceVendorCUECs(ctx, r.ID, cuecs); err != nil {
				return err
			}
		}
		r.CUECs = cuecs
		changes := auditlog.Diff(before, reviewSnapshot(r))
		changes["subservice_id"], changes["review_id"] = auditlog.Change{After: orgID}, auditlog.Change{After: r.ID}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.subservice_review_update", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	if err != nil {
		return r, err
	}
	return s.Review(ctx, id, orgID, reviewID)
}

// RemoveReview deletes a review with the vendor's CUECs recorded in it.
func (s *Service) RemoveReview(ctx context.Context, id, orgID, reviewID int64) error {
	return s.st.InTx(ctx, func(ctx context.Context) error {
		r, err := s.Review(ctx, id, orgID, reviewID)
		if err != nil {
			return err
		}
		if err := s.st.DeleteReview(ctx, r.ID); err != nil {
			return err
		}
		changes := auditlog.Diff(reviewSnapshot(r), nil)
		changes["subservice_id"], changes["review_id"] = auditlog.Change{Before: orgID}, auditlog.Change{Before: r.ID}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.subservice_review_remove", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
}
