package engagement

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/socmap/socmap/internal/civil"
	controlspkg "github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// ScopedControl is a control in (or excluded from) an engagement, with
// its occurrence windows for a Type II and flags on its evidence.
type ScopedControl struct {
	ID           int64
	Ref          string
	Title        string
	Frequency    string
	Nature       string
	Key          bool // a key control: a deviation on it needs a compensating key control
	OwnerEmail   string
	Included     bool
	Reason       string   // why it is in or out
	Requirements []string // in-scope requirements it is mapped to
	Operation
	Windows    []WindowState
	Sample     *Sample
	SampleNote string  // why there is no sample size yet
	Outside    []int64 // evidence dated entirely outside the period (Type II)
	AfterAsOf  []int64 // evidence dated after the as-of date (Type I)
	Stale      []int64 // evidence dated before the Type I's evidence window
	// ImplementedAfterAsOf: the control was put in place only after the
	// Type I's as-of date, so it cannot be implemented as of it.
	ImplementedAfterAsOf bool
}

// Operation is when a control operates, as the engagement shows it.
type Operation struct {
	Basis         period.Basis // windows, population, baseline (Type II)
	Schedule      string       // in words, "" for none
	Calendar      string       // daily controls: "every day", "on business days …"
	ImplementedOn *string
	RetiredOn     *string
	ReplacedBy    string          // the ref of the control that took over
	Changes       []period.Change // implemented or retired within the period
}

// RetiredWords is "retired on 2026-09-30, replaced by AC-09", or "".
func (o Operation) RetiredWords() string {
	if o.RetiredOn == nil {
		return ""
	}
	s := "retired on " + *o.RetiredOn
	if o.ReplacedBy != "" {
		s += ", replaced by " + o.ReplacedBy
	}
	return s
}

// EvidenceDates are the dates evidence carries: a period, an as-of date,
// the day it was collected.
type EvidenceDates struct {
	CoversFrom  *string
	CoversTo    *string
	AsOf        *string
	CollectedOn *string
}

// Span is the days evidence speaks for: its period, else its as-of date,
// else the day it was collected; ok is false for undated evidence. The
// occurrence windows and the owners' tasks both read evidence this way.
func (d EvidenceDates) Span() (from, to string, ok bool) {
	switch {
	case d.CoversFrom != nil && d.CoversTo != nil:
		return *d.CoversFrom, *d.CoversTo, true
	case d.AsOf != nil:
		return *d.AsOf, *d.AsOf, true
	case d.CollectedOn != nil:
		return *d.CollectedOn, *d.CollectedOn, true
	}
	return "", "", false
}

// Dates are the evidence dates as the period arithmetic reads them.
func (d EvidenceDates) Dates() (period.Dates, error) {
	var out period.Dates
	for _, f := range []struct {
		s   *string
		dst *civil.Date
	}{{d.CoversFrom, &out.From}, {d.CoversTo, &out.To}, {d.AsOf, &out.AsOf}, {d.CollectedOn, &out.Collected}} {
		if f.s == nil {
			continue
		}
		v, err := civil.Parse(*f.s)
		if err != nil {
			return out, err
		}
		*f.dst = v
	}
	return out, nil
}

type datedEvidence struct {
	ControlID  int64
	EvidenceID int64
	EvidenceDates
	dates period.Dates
}

// nextDated reads the next dated evidence from the cursor, nil at the end.
func nextDated(rows *store.EvidenceDatesCursor) (*datedEvidence, error) {
	var row store.ControlEvidenceDates
	if ok, err := rows.Next(&row); !ok {
		return nil, err
	}
	e := datedEvidence{ControlID: row.ControlID, EvidenceID: row.EvidenceID, EvidenceDates: EvidenceDates(row.EvidenceDates)}
	var err error
	if e.dates, err = e.Dates(); err != nil {
		return nil, fmt.Errorf("evidence %d: %w", e.EvidenceID, err)
	}
	return &e, nil
}

// Controls lists the engagement's controls: those mapped to its in-scope
// requirements plus those included by hand, less those excluded by hand
// (which are listed with Included false and the reason).
func (s *Service) Controls(ctx context.Context, id int64) ([]ScopedControl, error) {
	return s.controlsOn(ctx, id, s.Today())
}

func (s *Service) controlsOn(ctx context.Context, id int64, today civil.Date) ([]ScopedControl, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	in, err := s.scopeInputsOf(ctx, d, today)
	if err != nil {
		return nil, err
	}
	out, _, err := s.scopedControls(ctx, in, in.candidates())
	sortScoped(out)
	return out, err
}

// scopeInputs is what an engagement's scoped controls are worked out
// from besides the controls and their evidence: all of it read from the
// engagement's own small tables, so reading it again is cheap.
type scopeInputs struct {
	d          Detail
	op         *Occurrences
	reqs       map[int64][]string // in-scope requirements by control
	overrideOf map[int64]store.ScopeOverride
	policy     SamplePolicy
	risks      map[int64]period.Risk
}

func (s *Service) scopeInputsOf(ctx context.Context, d Detail, today civil.Date) (scopeInputs, error) {
	in := scopeInputs{d: d}
	var err error
	if in.op, err = s.OccurrencesOf(ctx, d, today); err != nil {
		return in, err
	}
	if in.reqs, in.overrideOf, err = s.scopeOf(ctx, d); err != nil {
		return in, err
	}
	if in.policy, err = s.PolicyOf(d.Engagement); err != nil {
		return in, err
	}
	in.risks, err = s.controlRisks(ctx, d.ID)
	return in, err
}

// candidates are the controls mapped into the scope or put in or out of
// it by hand.
func (in scopeInputs) candidates() []int64 {
	ids := make([]int64, 0, len(in.reqs)+len(in.overrideOf))
	for cid := range in.reqs {
		ids = append(ids, cid)
	}
	for cid := range in.overrideOf {
		if _, mapped := in.reqs[cid]; !mapped {
			ids = append(ids, cid)
		}
	}
	return ids
}

// scopedControls works out the scoped controls among ids, in ID order,
// leaving out those retired before the period; replacedBy is each one's
// successor, where it has one.
func (s *Service) scopedControls(ctx context.Context, in scopeInputs, ids []int64) (out []ScopedControl, replacedBy map[int64]int64, err error) {
	if len(ids) == 0 {
		return []ScopedControl{}, map[int64]int64{}, nil
	}
	controls, err := s.st.ControlsWithOwners(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	successors, err := s.successorRefs(ctx, controls)
	if err != nil {
		return nil, nil, err
	}
	replacedBy = map[int64]int64{}
	for _, c := range controls {
		if c.ReplacedBy != nil {
			replacedBy[c.ID] = *c.ReplacedBy
		}
	}
	// Evidence dates are read with a cursor in control order and handled
	// one control at a time, so memory does not grow with the evidence.
	// Nothing else is read while it is open: inside a transaction it
	// holds the one connection.
	rows, err := s.st.LiveEvidenceDates(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var pending *datedEvidence
	next := func() (*datedEvidence, error) { return nextDated(rows) }
	if pending, err = next(); err != nil {
		return nil, nil, err
	}
	out = make([]ScopedControl, 0, len(controls))
	for _, c := range controls {
		var ev []datedEvidence
		for pending != nil && pending.ControlID <= c.ID {
			if pending.ControlID == c.ID {
				ev = append(ev, *pending)
			}
			if pending, err = next(); err != nil {
				return nil, nil, err
			}
		}
		sc, operated, err := in.scoped(c, ev, successors)
		if err != nil {
			return nil, nil, err
		}
		if operated {
			out = append(out, sc)
		}
	}
	return out, replacedBy, nil
}

// scoped is one control as the engagement sees it; operated is false
// for a control retired before the period (or the as-of date).
func (in scopeInputs) scoped(c store.ControlWithOwner, ev []datedEvidence, successors map[int64]string) (ScopedControl, bool, error) {
	d := in.d
	sc := ScopedControl{ID: c.ID, Ref: c.Ref, Title: c.Title, Frequency: c.Frequency, Nature: c.Nature,
		Key: c.KeyControl, OwnerEmail: c.OwnerEmail, Requirements: in.reqs[c.ID], Included: len(in.reqs[c.ID]) > 0,
		Reason: "mapped to " + strings.Join(in.reqs[c.ID], ", ")}
	if o, ok := in.overrideOf[c.ID]; ok {
		sc.Included, sc.Reason = o.Included, o.Reason
	}
	pc, err := operationOf(c.Control)
	if err != nil {
		return sc, false, fmt.Errorf("control %s: %w", c.Ref, err)
	}
	if !operatedIn(d, pc) {
		return sc, false, nil
	}
	sc.Operation = operationWords(c.Control, pc, successors)
	if err := d.fillOperation(&sc, pc, in.op, ev, in.policy.Policy, in.risks[c.ID]); err != nil {
		return sc, false, fmt.Errorf("control %s: %w", c.Ref, err)
	}
	return sc, true, nil
}

// sortScoped puts the controls in scope first, each group by reference
// (then ID, so the order never depends on the order they were worked out
// in: a progress recomputed in part lists them as one computed whole).
func sortScoped(out []ScopedControl) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Included != out[j].Included {
			return out[i].Included
		}
		if out[i].Ref != out[j].Ref {
			return out[i].Ref < out[j].Ref
		}
		return out[i].ID < out[j].ID
	})
}

// scopeOf reads what puts a control in an engagement: the in-scope
// requirements each control is mapped to, and the hand-made overrides.
func (s *Service) scopeOf(ctx context.Context, d Detail) (map[int64][]string, map[int64]store.ScopeOverride, error) {
	mapped, err := s.st.MappingsReportedOn(ctx, reportedOn(d))
	if err != nil {
		return nil, nil, err
	}
	overrides, err := s.st.ScopeOverridesOf(ctx, d.ID)
	if err != nil {
		return nil, nil, err
	}
	overrideOf := map[int64]store.ScopeOverride{}
	for _, o := range overrides {
		overrideOf[o.ControlID] = o
	}
	reqs := map[int64][]string{}
	for _, m := range mapped {
		reqs[m.ControlID] = append(reqs[m.ControlID], m.Ref)
	}
	return reqs, overrideOf, nil
}

// InScope lists the IDs of the controls in an engagement's scope (retired
// controls included: the caller decides what they mean for it).
func (s *Service) InScope(ctx context.Context, d Detail) (map[int64]bool, error) {
	reqs, overrideOf, err := s.scopeOf(ctx, d)
	if err != nil {
		return nil, err
	}
	in := map[int64]bool{}
	for cid := range reqs {
		in[cid] = true
	}
	for cid, o := range overrideOf {
		in[cid] = o.Included
	}
	return in, nil
}

// CategoryList is the SOC 2 categories a SOC 2 engagement reports on,
// Security first; a SOC 1 has none.
func (d Detail) CategoryList() []string {
	if d.Report == "soc1" { // a SOC 1 reports on control objectives, no SOC 2 category
		return []string{}
	}
	cats := []string{"security"}
	if d.Categories != "" {
		cats = append(cats, strings.Split(d.Categories, ",")...)
	}
	return cats
}

// fillOperation adds the Type II windows and sample, or the Type I flags.
func (d Detail) fillOperation(sc *ScopedControl, pc period.Control, op *Occurrences, ev []datedEvidence, policy period.Policy, risk period.Risk) error {
	if d.ReportType == "type1" {
		w, _ := recencyOf(d.Engagement)
		for _, e := range ev {
			if from, _, ok := e.Span(); ok && from > *d.AsOf {
				sc.AfterAsOf = append(sc.AfterAsOf, e.EvidenceID)
			}
			if w.stale(e.EvidenceDates) {
				sc.Stale = append(sc.Stale, e.EvidenceID)
			}
		}
		sc.ImplementedAfterAsOf = ImplementedAfter(deref(sc.ImplementedOn), *d.AsOf)
		return nil
	}
	sc.Basis = pc.Basis()
	sc.Changes = pc.Changes(op.period)
	var err error
	dated := make([]Dated, len(ev))
	for i, e := range ev {
		dated[i] = Dated{ID: e.EvidenceID, Dates: e.dates}
	}
	if sc.Windows, err = op.Windows(sc.ID, pc, dated); err != nil {
		return err
	}
	for _, e := range ev {
		if e.dates.Outside(op.period) {
			sc.Outside = append(sc.Outside, e.EvidenceID)
		}
	}
	// A manual continuous control is sized by its population, as an
	// event-driven one is; an automated one is a test of one.
	sample, err := policy.Required(pc, risk, len(sc.Windows), period.Unknown)
	if err != nil {
		sc.SampleNote = err.Error()
	} else {
		sc.Sample = &sample
	}
	return nil
}

// operatedIn reports whether a control operated at all in the
// engagement's period (Type II) or on its as-of date (Type I): a retired
// control stays in the engagements whose period it overlaps.
func operatedIn(d Detail, pc period.Control) bool {
	if pc.Retired.IsZero() {
		return true
	}
	var on *string = d.AsOf
	if d.ReportType == "type2" {
		on = d.PeriodStart
	}
	if on == nil {
		return true
	}
	day, err := civil.Parse(*on)
	return err != nil || !pc.Retired.Before(day)
}

func operationWords(c store.Control, pc period.Control, successors map[int64]string) Operation {
	o := Operation{Schedule: pc.Schedule.Words(c.Frequency), Calendar: pc.CalendarWords(),
		ImplementedOn: c.ImplementedOn, RetiredOn: c.RetiredOn}
	if c.ReplacedBy != nil {
		o.ReplacedBy = successors[*c.ReplacedBy]
	}
	return o
}

// successorRefs reads the refs of the controls that replaced these.
func (s *Service) successorRefs(ctx context.Context, list []store.ControlWithOwner) (map[int64]string, error) {
	var ids []int64
	for _, c := range list {
		if c.ReplacedBy != nil {
			ids = append(ids, *c.ReplacedBy)
		}
	}
	if len(ids) == 0 {
		return map[int64]string{}, nil
	}
	return s.st.ControlRefsByID(ctx, ids)
}

// operationOf is the period arithmetic's view of a control.
func operationOf(c store.Control) (period.Control, error) { return controlspkg.OperationOf(c) }

// controlRisks reads the risk level each control of an engagement is
// sampled at, where it differs from the engagement's.
func (s *Service) controlRisks(ctx context.Context, id int64) (map[int64]period.Risk, error) {
	rows, err := s.st.SampleRisks(ctx, id)
	out := make(map[int64]period.Risk, len(rows))
	for cid, r := range rows {
		out[cid] = period.Risk(r)
	}
	return out, err
}
