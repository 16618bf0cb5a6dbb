package engagement

import (
	"context"
	"fmt"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/store"
)

// Implementations are a Type I's conclusions on whether a control was in
// place as of the report's date ("" while not concluded). They are apart
// from design: a suitably designed control may not be implemented yet.
var Implementations = []string{"", "implemented", "not_implemented"}

// DefaultEvidenceWindowDays is how far before a Type I's as-of date the
// evidence it relies on may be dated, unless the engagement says otherwise.
const DefaultEvidenceWindowDays = 90

// MaxEvidenceWindowDays bounds the window: evidence older than two years
// says nothing of a control as of a date.
const MaxEvidenceWindowDays = 730

// typeOneOutcome is a Type I control's outcome for the roll-up: ok only
// when it is suitably designed and implemented as of the date; a design
// deficiency or a control not implemented is a deficiency ("fail").
func typeOneOutcome(r Result) string {
	switch {
	case r.DesignResult == "design_deficiency" || r.Implementation == "not_implemented":
		return "fail"
	case r.DesignResult == "suitably_designed" && r.Implementation == "implemented":
		return "ok"
	}
	return ""
}

// ImplementedSince is the day the control was put in place for its Type I
// conclusion: the date the result records, else the control's own.
func ImplementedSince(r Result, controlImplementedOn *string) string {
	if r.ImplementedOn != nil {
		return *r.ImplementedOn
	}
	return deref(controlImplementedOn)
}

// ImplementedAfter reports whether a control implemented on since
// ("" unknown) was put in place only after the as-of date.
func ImplementedAfter(since, asOf string) bool { return since != "" && asOf != "" && since > asOf }

// recency is the window of days a Type I's evidence must be dated in.
type recency struct{ from, asOf string }

// recencyOf is e's evidence window; ok is false for a Type II or an
// engagement without an as-of date.
func recencyOf(e Engagement) (recency, bool) {
	if e.ReportType != "type1" || e.AsOf == nil {
		return recency{}, false
	}
	asOf, err := civil.Parse(*e.AsOf)
	if err != nil {
		return recency{}, false
	}
	days := e.EvidenceWindowDays
	if days <= 0 {
		days = DefaultEvidenceWindowDays
	}
	return recency{from: asOf.AddDays(-days).String(), asOf: *e.AsOf}, true
}

// stale: the evidence is dated, and every day it speaks for is before the
// window. Undated evidence is not stale, but it is not recent either.
func (w recency) stale(d EvidenceDates) bool {
	_, to, ok := d.Span()
	return ok && to < w.from
}

// recent: the evidence speaks for a day within the window.
func (w recency) recent(d EvidenceDates) bool {
	from, to, ok := d.Span()
	return ok && to >= w.from && from <= w.asOf
}

// StaleWords is how a page and a sheet flag stale evidence.
const StaleWords = "stale for this as-of date"

// checkTypeOne refuses a Type I conclusion of "implemented" the facts do
// not allow: a control put in place after the as-of date, or one resting
// on no evidence dated within the window (stale evidence alone is not
// enough).
func (s *Service) checkTypeOne(ctx context.Context, e Engagement, r Result, evidence []int64) (apperr.Fields, error) {
	fields := apperr.Fields{}
	if r.Implementation != "implemented" {
		return fields, nil
	}
	implementedOn, err := s.st.ControlImplementedOn(ctx, r.ControlID)
	if err != nil {
		return nil, err
	}
	if since := ImplementedSince(r, implementedOn); ImplementedAfter(since, deref(e.AsOf)) {
		fields["implementation"] = fmt.Sprintf("the control was implemented on %s, after the as-of date %s: it cannot be implemented as of the date", since, deref(e.AsOf))
		return fields, nil
	}
	w, ok := recencyOf(e)
	if !ok {
		return fields, nil
	}
	var dates []store.EvidenceDates
	if len(evidence) > 0 {
		if dates, err = s.st.EvidenceDatesOf(ctx, evidence); err != nil {
			return nil, err
		}
	}
	for _, d := range dates {
		if w.recent(EvidenceDates(d)) {
			return fields, nil
		}
	}
	fields["evidence_ids"] = fmt.Sprintf("rely on at least one piece of evidence dated between %s and the as-of date %s: older evidence is %s and cannot be the only evidence relied on",
		w.from, w.asOf, StaleWords)
	return fields, nil
}
