package sampling

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// PopulationInput is an uploaded population with what the workpapers
// record about it.
type PopulationInput struct {
	Phase       string  // "" is the whole period
	CoversFrom  *string // a stated sub-period; nil: the phase's part of the period
	CoversTo    *string
	Source      string
	Query       string
	Parameters  string
	GeneratedBy string
	GeneratedAt *string // YYYY-MM-DD or RFC 3339
	RecordCount *int    // the count the source reports, checked against the file
	EvidenceIDs []int64 // evidence that the population is complete and accurate
	FileName    string
	Items       []PopulationItem
}

// UploadPopulation stores a parsed population for a control in scope; a
// new upload becomes the current population of its phase and earlier
// ones are kept. Items dated outside the part of the period it covers are
// refused, each with its row; an empty population needs its completeness
// evidence.
func (s *Service) UploadPopulation(ctx context.Context, id, controlID, userID int64, in PopulationInput) (store.Population, error) {
	p := store.Population{EngagementID: id, ControlID: controlID, Phase: in.Phase, Source: strings.TrimSpace(in.Source),
		Query: strings.TrimSpace(in.Query), Parameters: strings.TrimSpace(in.Parameters), GeneratedBy: strings.TrimSpace(in.GeneratedBy),
		FileName: in.FileName, ItemCount: len(in.Items), UploadedBy: &userID, UploadedAt: s.now()}
	if p.Phase == "" {
		p.Phase = period.WholePeriod
	}
	fields := populationFields(&p, in)
	if len(fields) > 0 {
		return p, apperr.Invalid("the population cannot be saved as given", fields)
	}
	if err := s.eng.CheckInScope(ctx, id, controlID); err != nil {
		return p, err
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.eng.Find(ctx, id)
		if err != nil {
			return err
		}
		if err := s.checkCovers(ctx, e, &p, in); err != nil {
			return err
		}
		if err := outsideCovers(p, in.Items); err != nil {
			return err
		}
		if err := s.checkEvidence(ctx, in.EvidenceIDs); err != nil {
			return err
		}
		if err := s.savePopulation(ctx, &p, in); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.population", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"control_id": controlID,
				"population_id": p.ID, "file_name": p.FileName, "items": p.ItemCount, "source": p.Source, "phase": p.Phase,
				"covers": fmt.Sprintf("%s to %s", *p.CoversFrom, *p.CoversTo), "evidence": fmt.Sprint(in.EvidenceIDs)})})
	})
	return p, err
}

// populationFields checks what can be checked without the database.
func populationFields(p *store.Population, in PopulationInput) apperr.Fields {
	fields := apperr.Fields{}
	if !slices.Contains(period.Phases, p.Phase) {
		fields["phase"] = "one of " + strings.Join(period.Phases, ", ")
	}
	for name, v := range map[string]struct {
		s   string
		max int
	}{"source": {p.Source, 500}, "generated_by": {p.GeneratedBy, 500}, "query": {p.Query, 20000}, "parameters": {p.Parameters, 20000}} {
		if len([]rune(v.s)) > v.max {
			fields[name] = fmt.Sprintf("at most %d characters", v.max)
		}
	}
	if in.GeneratedAt != nil && strings.TrimSpace(*in.GeneratedAt) != "" {
		at, err := parseMoment(*in.GeneratedAt)
		if err != nil {
			fields["generated_at"] = "a date (YYYY-MM-DD) or a time (RFC 3339)"
		}
		p.GeneratedAt = &at
	}
	if in.RecordCount != nil && *in.RecordCount != len(in.Items) {
		fields["record_count"] = fmt.Sprintf("the source reports %d records but the file has %d items: upload the complete population", *in.RecordCount, len(in.Items))
	}
	if len(in.Items) == 0 && len(in.EvidenceIDs) == 0 {
		fields["evidence_ids"] = "an empty population needs the evidence that it is complete (the query and its empty result)"
	}
	return fields
}

func parseMoment(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}

// checkCovers settles the days a population covers: the whole period, its
// interim part up to a stated end, its remainder from a stated start, or a
// stated sub-period; always within the period, and an interim and a
// remainder never overlapping.
func (s *Service) checkCovers(ctx context.Context, e engagement.Engagement, p *store.Population, in PopulationInput) error {
	if e.ReportType != "type2" || e.PeriodStart == nil || e.PeriodEnd == nil {
		return apperr.Invalid("populations are tested over a period: this is not a Type II engagement", map[string]string{"population": "Type II only"})
	}
	start, end := *e.PeriodStart, *e.PeriodEnd
	from, to := start, end
	fields := apperr.Fields{}
	fields.Date("covers_from", in.CoversFrom, &p.CoversFrom)
	fields.Date("covers_to", in.CoversTo, &p.CoversTo)
	if p.CoversFrom != nil {
		from = *p.CoversFrom
	}
	if p.CoversTo != nil {
		to = *p.CoversTo
	}
	switch {
	case len(fields) > 0:
	case from < start || to > end:
		fields["covers_from"] = fmt.Sprintf("the population must lie within the period %s to %s", start, end)
	case to < from:
		fields["covers_to"] = "the population ends before it starts"
	case p.Phase == period.Interim && to >= end:
		fields["covers_to"] = "an interim population ends before the period does: give its last day"
	case p.Phase == period.Remainder && from <= start:
		fields["covers_from"] = "a remainder population starts after the period does: give its first day"
	}
	if len(fields) > 0 {
		return apperr.Invalid("the population cannot be saved as given", fields)
	}
	p.CoversFrom, p.CoversTo = &from, &to
	current, err := s.eng.CurrentPopulations(ctx, e, p.ControlID)
	if err != nil {
		return err
	}
	for _, c := range current {
		cFrom, cTo := coversOf(c, e)
		overlap := from <= cTo && cFrom <= to
		if (p.Phase == period.Interim && c.Phase == period.Remainder || p.Phase == period.Remainder && c.Phase == period.Interim) && overlap {
			return apperr.Invalid("the interim and remainder populations overlap", map[string]string{
				"covers_from": fmt.Sprintf("the %s population covers %s to %s", c.Phase, cFrom, cTo)})
		}
	}
	return nil
}

// covers is the days a population covers (the period, for one uploaded
// before populations said so).
func coversOf(p store.Population, e engagement.Engagement) (string, string) {
	from, to := "", ""
	if e.PeriodStart != nil && e.PeriodEnd != nil {
		from, to = *e.PeriodStart, *e.PeriodEnd
	}
	if p.CoversFrom != nil {
		from = *p.CoversFrom
	}
	if p.CoversTo != nil {
		to = *p.CoversTo
	}
	return from, to
}

// outsideCovers refuses items dated outside the population's days, each
// reported with its row.
func outsideCovers(p store.Population, items []PopulationItem) error {
	var problems []string
	outside := 0
	for _, it := range items {
		if it.Date == nil || (*it.Date >= *p.CoversFrom && *it.Date <= *p.CoversTo) {
			continue
		}
		outside++
		if len(problems) < maxReportedErrors {
			problems = append(problems, fmt.Sprintf("row %d: item %s is dated %s, outside %s to %s", it.Row, it.ItemID, *it.Date, *p.CoversFrom, *p.CoversTo))
		}
	}
	if outside == 0 {
		return nil
	}
	msg := fmt.Sprintf("%d items are dated outside the days the population covers (state a sub-period if that is intended):\n  %s",
		outside, strings.Join(problems, "\n  "))
	return &apperr.Error{Kind: apperr.KindInvalid, Code: "invalid_population", Message: msg}
}

// checkEvidence refuses evidence that does not exist or was deleted.
func (s *Service) checkEvidence(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	live, err := s.st.LiveEvidenceIDs(ctx, ids)
	if err != nil {
		return err
	}
	if len(live) != len(ids) {
		return apperr.Invalid("unknown evidence", map[string]string{"evidence_ids": "each must be an existing evidence item"})
	}
	return nil
}

// savePopulation stores a population with its items and completeness evidence.
func (s *Service) savePopulation(ctx context.Context, p *store.Population, in PopulationInput) error {
	rows := make([]store.PopulationItem, len(in.Items))
	for i, it := range in.Items {
		extra, err := json.Marshal(it.Extra)
		if err != nil {
			return err
		}
		rows[i] = store.PopulationItem{Seq: it.Seq, ItemID: it.ItemID, ItemDate: it.Date,
			Description: it.Description, Extra: string(extra)}
	}
	return s.st.CreatePopulation(ctx, p, rows, slices.Compact(slices.Sorted(slices.Values(in.EvidenceIDs))))
}
