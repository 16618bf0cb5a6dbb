package engagement

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// ExceptionChange is a change of an exception; nil fields stay as they
// are. RemediationDate "" and RemediationOwnerID 0 clear them.
type ExceptionChange struct {
	Description        *string
	ManagementResponse *string
	RemediationDate    *string
	RemediationOwnerID *int64
	// IfVersion, when set, is the exception's version the writer read.
	IfVersion *int64
}

func exceptionSnapshot(x Exception) map[string]any {
	return map[string]any{"description": x.Description, "management_response": x.ManagementResponse,
		"remediation_date": x.RemediationDate, "remediation_owner_id": x.RemediationOwnerID}
}

// ChangeException changes an exception's description, management's
// response, or its remediation: the day the control was put right and
// who owns that. The remediation date cannot move once a retest was drawn
// from it, since the retest covers the days after it.
func (s *Service) ChangeException(ctx context.Context, id, exceptionID int64, ch ExceptionChange) (Exception, error) {
	var x Exception
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if x, err = s.liveException(ctx, id, exceptionID); err != nil {
			return err
		}
		before := exceptionSnapshot(x)
		fields := apperr.Fields{}
		fields.Text("description", ch.Description, &x.Description, 20000)
		fields.Text("management_response", ch.ManagementResponse, &x.ManagementResponse, 20000)
		if ch.Description != nil {
			fields.Require("description", x.Description)
		}
		if err := s.applyRemediation(ctx, &x, ch, fields); err != nil {
			return err
		}
		if len(fields) > 0 {
			return apperr.Invalid("the exception cannot be saved as given", fields)
		}
		changes := auditlog.Diff(before, exceptionSnapshot(x))
		if err := s.checkRetestKeepsDate(ctx, x, changes); err != nil {
			return err
		}
		x.UpdatedAt = s.now()
		if err := s.st.SaveException(ctx, &x, ch.IfVersion); err != nil {
			return err
		}
		action := "engagement.exception_response"
		if _, ok := changes["remediation_date"]; ok {
			action = "engagement.exception_remediation"
		} else if _, ok := changes["remediation_owner_id"]; ok {
			action = "engagement.exception_remediation"
		}
		changes["exception_id"] = auditlog.Change{After: x.ID}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: action, ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	return x, err
}

// liveException is an exception of the engagement not withdrawn.
func (s *Service) liveException(ctx context.Context, id, exceptionID int64) (Exception, error) {
	x, err := s.st.LiveException(ctx, id, exceptionID)
	if errors.Is(err, store.ErrNotFound) {
		return x, apperr.NotFound("exception %d not found in engagement %d", exceptionID, id)
	}
	return x, err
}

// applyRemediation copies the remediation fields of ch onto x, naming
// every invalid one: a date within or after the period (not before it
// started), and an owner who is a user of the organisation (not an
// auditor).
func (s *Service) applyRemediation(ctx context.Context, x *Exception, ch ExceptionChange, fields apperr.Fields) error {
	fields.Date("remediation_date", ch.RemediationDate, &x.RemediationDate)
	if x.RemediationDate != nil && ch.RemediationDate != nil && fields["remediation_date"] == "" {
		e, err := s.engagement(ctx, x.EngagementID)
		if err != nil {
			return err
		}
		if e.PeriodStart != nil && *x.RemediationDate < *e.PeriodStart {
			fields["remediation_date"] = "on or after the period's start, " + *e.PeriodStart
		}
	}
	if ch.RemediationOwnerID == nil {
		return nil
	}
	if *ch.RemediationOwnerID == 0 {
		x.RemediationOwnerID = nil
		return nil
	}
	ok, err := s.st.OrganisationUserExists(ctx, *ch.RemediationOwnerID)
	if err != nil {
		return err
	}
	if !ok {
		fields["remediation_owner_id"] = "a user of the organisation (not an auditor)"
		return nil
	}
	owner := *ch.RemediationOwnerID
	x.RemediationOwnerID = &owner
	return nil
}

// checkRetestKeepsDate refuses to move the remediation date of an
// exception that was retested: the retest was drawn from the days after it.
func (s *Service) checkRetestKeepsDate(ctx context.Context, x Exception, changes map[string]auditlog.Change) error {
	if _, ok := changes["remediation_date"]; !ok {
		return nil
	}
	n, err := s.st.RetestsDrawnFor(ctx, x.ID)
	if err != nil {
		return err
	}
	if n > 0 {
		return &apperr.Error{Kind: apperr.KindConflict, Code: "retest_drawn",
			Message: "a retest was already drawn from the days after this remediation date; the date stays as it is",
			Fields:  map[string]string{"remediation_date": "fixed once a retest is drawn"}}
	}
	return nil
}

// RetestWindow is the part of the period a retest of a control remediated
// on that day covers: from the day after the remediation to the period's
// end. A remediation on or after the last day leaves nothing to retest.
func RetestWindow(e Engagement, remediated *string) (period.Period, error) {
	if e.PeriodStart == nil || e.PeriodEnd == nil {
		return period.Period{}, apperr.Invalid("a retest samples the rest of a Type II period", map[string]string{"engagement": "has no period"})
	}
	if remediated == nil {
		return period.Period{}, apperr.Invalid("record the remediation date first: the retest covers the days after it",
			map[string]string{"remediation_date": "required for a retest"})
	}
	on, err := civil.Parse(*remediated)
	if err != nil {
		return period.Period{}, err
	}
	p, err := PeriodOf(e)
	if err != nil {
		return period.Period{}, err
	}
	from := on.AddDays(1)
	if from.Before(p.Start) {
		from = p.Start
	}
	if from.After(p.End) {
		return period.Period{}, apperr.Invalid("the control was remediated on or after the period's last day: there is no rest of the period to retest",
			map[string]string{"remediation_date": fmt.Sprintf("before %s for a retest", p.End)})
	}
	return period.Period{Start: from, End: p.End}, nil
}

// RetestInput is a request for a retest draw.
type RetestInput struct {
	PopulationID *int64 // nil: the newest current population with items in the window
	Seed         *uint64
	Size         *int // nil: the policy's size for the items in the window
	Attributes   []string
}

// DrawRetest samples the remediated control of an exception over the rest
// of the period: the items of a current population dated from the day
// after the remediation to the period's end. It is a sample of its own,
// purpose retest, kept beside the original one.
func (s *Service) DrawRetest(ctx context.Context, id, exceptionID, userID int64, in RetestInput) (DrawnSample, error) {
	var out DrawnSample
	attrs, err := CleanAttributes(in.Attributes)
	if err != nil {
		return out, err
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		x, err := s.liveException(ctx, id, exceptionID)
		if err != nil {
			return err
		}
		e, err := s.engagement(ctx, id)
		if err != nil {
			return err
		}
		w, err := RetestWindow(e, x.RemediationDate)
		if err != nil {
			return err
		}
		pop, seqs, err := s.retestItems(ctx, e, x.ControlID, w, in.PopulationID)
		if err != nil {
			return err
		}
		req, err := s.retestSize(ctx, e, x.ControlID, w, len(seqs))
		if err != nil {
			return err
		}
		n := min(req.Size, len(seqs))
		if in.Size != nil {
			if *in.Size < 1 || *in.Size > len(seqs) {
				return apperr.Invalid("the retest's size must be between 1 and the items in the rest of the period",
					map[string]string{"size": fmt.Sprintf("1 to %d", len(seqs))})
			}
			n = *in.Size
		}
		sd := RandomSeed()
		if in.Seed != nil {
			sd = *in.Seed
		}
		attrJSON, err := json.Marshal(attrs)
		if err != nil {
			return err
		}
		from, to := w.Start.String(), w.End.String()
		out = DrawnSample{EngagementID: id, ControlID: x.ControlID, PopulationID: pop.ID, Seed: strconv.FormatUint(sd, 10),
			Method: SelectionMethod, Size: n, RequiredSize: req.Size, Risk: string(req.Risk),
			SizeReason: fmt.Sprintf("%s; retest of exception %d over %s to %s", req.Reason, x.ID, from, to),
			Attributes: string(attrJSON), SelectedBy: &userID, SelectedAt: s.now(),
			Purpose: RetestSample, RemediationExceptionID: &x.ID, CoversFrom: &from, CoversTo: &to}
		picked := Select(len(seqs), n, sd)
		for i, p := range picked {
			picked[i] = seqs[p] - 1 // SaveDraw takes 0-based population indices
		}
		if err := s.SaveDraw(ctx, &out, picked); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.sample_retest", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"control_id": x.ControlID,
				"sample_id": out.ID, "exception_id": x.ID, "population_id": pop.ID, "seed": out.Seed, "size": n,
				"required": req.Size, "covers_from": from, "covers_to": to})})
	})
	return out, err
}

// retestItems are the items (1-based seqs) of the population a retest is
// drawn from that are dated within the window.
func (s *Service) retestItems(ctx context.Context, e Engagement, controlID int64, w period.Period, want *int64) (Population, []int, error) {
	pops, err := s.CurrentPopulations(ctx, e, controlID)
	if err != nil {
		return Population{}, nil, err
	}
	from, to := w.Start.String(), w.End.String()
	for _, p := range pops { // newest first
		if want != nil && p.ID != *want {
			continue
		}
		seqs, err := s.st.PopulationSeqsDated(ctx, p.ID, from, to)
		if err != nil {
			return p, nil, err
		}
		if len(seqs) > 0 {
			return p, seqs, nil
		}
		if want != nil {
			break
		}
	}
	if want != nil && !populationIn(pops, *want) {
		return Population{}, nil, apperr.Invalid("not one of the control's current populations",
			map[string]string{"population_id": fmt.Sprintf("population %d is not current for this control", *want)})
	}
	return Population{}, nil, apperr.Invalid(fmt.Sprintf("no item of the control's population is dated from %s to %s: upload the population of the rest of the period", from, to),
		map[string]string{"population": "no items after the remediation"})
}

func populationIn(pops []Population, id int64) bool {
	for _, p := range pops {
		if p.ID == id {
			return true
		}
	}
	return false
}

// retestSize is the policy's size for the items and windows of the rest
// of the period.
func (s *Service) retestSize(ctx context.Context, e Engagement, controlID int64, w period.Period, items int) (Sample, error) {
	policy, err := s.PolicyOf(e)
	if err != nil {
		return Sample{}, err
	}
	sc, err := s.ScopedControlOf(ctx, e.ID, controlID)
	if err != nil {
		return Sample{}, err
	}
	r, err := s.st.ResultOf(ctx, e.ID, controlID)
	if err != nil {
		return Sample{}, err
	}
	windows := 0
	for _, win := range sc.Windows {
		if !win.End.Before(w.Start) && !win.Start.After(w.End) {
			windows++
		}
	}
	req, err := policy.Required(controlOf(sc.Frequency, sc.Nature), period.Risk(r.SampleRisk), windows, items)
	if err != nil {
		return req, apperr.Invalid(err.Error(), nil)
	}
	return req, nil
}

// RetestResult is a retest's outcome as Section IV states it.
type RetestResult struct {
	From, To string
	Stats    SampleStats
}

// RetestsOf are the retests of an exception in a control's test work.
func RetestsOf(w TestWork, exceptionID int64) ([]RetestResult, error) {
	var out []RetestResult
	for _, smp := range w.Samples {
		if !smp.Retest() || smp.RemediationExceptionID == nil || *smp.RemediationExceptionID != exceptionID {
			continue
		}
		var attrs []string
		if err := json.Unmarshal([]byte(smp.Attributes), &attrs); err != nil {
			return nil, fmt.Errorf("sample %d attributes: %w", smp.ID, err)
		}
		r := RetestResult{Stats: SampleStats{Required: smp.RequiredSize}}
		if smp.CoversFrom != nil && smp.CoversTo != nil {
			r.From, r.To = *smp.CoversFrom, *smp.CoversTo
		}
		for _, it := range w.Items[smp.ID] {
			if err := r.Stats.count(attrs, it.ItemID, it.Results); err != nil {
				return nil, fmt.Errorf("sample %d: %w", smp.ID, err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Words is the retest's result: "no exceptions noted (0 of 5)",
// "exceptions noted (1 of 5)", or how far testing has got.
func (r RetestResult) Words() string {
	st := r.Stats
	head := fmt.Sprintf("Retest of %s to %s: ", r.From, r.To)
	switch {
	case st.Tested < st.Selected:
		return head + fmt.Sprintf("in progress (%d of %d items tested)", st.Tested, st.Selected)
	case st.Failed > 0:
		return head + fmt.Sprintf("exceptions noted (%d of %d)", st.Failed, st.Tested)
	}
	return head + fmt.Sprintf("no exceptions noted (0 of %d)", st.Tested)
}
