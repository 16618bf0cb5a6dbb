package engagement

import (
	"context"
	"fmt"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// RollForward starts the next period's engagement from this one: the same
// report, scope, manual scope decisions, not-applicable decisions, sample
// policy, CUECs and
// subservice organisations with their CSOCs (each "review due"); no
// results, populations, samples, exceptions or auditor access. Without
// dates given it covers the next period: from the day after this one ends,
// as long (period.Next); a Type I is as of a year later.
func (s *Service) RollForward(ctx context.Context, id int64, in Input) (Engagement, error) {
	var next Engagement
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		prev, err := s.engagement(ctx, id)
		if err != nil {
			return err
		}
		next = prev
		next.ID, next.Status, next.CreatedAt, next.UpdatedAt, next.Version = 0, "planning", s.now(), s.now(), 1
		next.Name = prev.Name + " (next period)"
		if err := nextDates(&next); err != nil {
			return err
		}
		status := "planning"
		in.Status, in.Report, in.ReportType = &status, nil, nil
		if fields := apply(&next, in); len(fields) > 0 {
			return apperr.Invalid("the next engagement cannot be created as given", fields)
		}
		if err := s.st.CreateEngagement(ctx, (*store.Engagement)(&next)); err != nil {
			return err
		}
		if err := s.st.CopyEngagementDecisions(ctx, id, next.ID); err != nil {
			return err
		}
		if err := s.copyComplementary(ctx, id, next.ID); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.roll_forward", ObjectType: "engagement",
			ObjectID: fmt.Sprint(next.ID), Changes: auditlog.Diff(nil, map[string]any{"from_engagement": id,
				"name": next.Name, "period_start": next.PeriodStart, "period_end": next.PeriodEnd, "as_of": next.AsOf})})
	})
	s.Changed.Notify(ctx, err, nil)
	return next, err
}

// NextDates are the dates a roll forward gives the next engagement when
// none are asked for: what its form offers as the default.
func NextDates(e Engagement) (asOf, start, end *string, err error) {
	err = nextDates(&e)
	return e.AsOf, e.PeriodStart, e.PeriodEnd, err
}

// nextDates moves an engagement's dates on to the next period.
func nextDates(e *Engagement) error {
	if e.AsOf != nil {
		d, err := civil.Parse(*e.AsOf)
		if err != nil {
			return err
		}
		next := period.MonthsFrom(d, 12).String()
		if d.AddDays(1).Day == 1 { // a month end stays a month end
			next = period.MonthsFrom(d.AddDays(1), 12).AddDays(-1).String()
		}
		e.AsOf = &next
	}
	if e.PeriodStart == nil || e.PeriodEnd == nil {
		return nil
	}
	p, err := PeriodOf(*e)
	if err != nil {
		return err
	}
	n := p.Next()
	start, end := n.Start.String(), n.End.String()
	e.PeriodStart, e.PeriodEnd = &start, &end
	return nil
}

// copyComplementary gives the next engagement the CUECs and the
// subservice organisations with their CSOCs, each "review due".
func (s *Service) copyComplementary(ctx context.Context, id, nextID int64) error {
	cuecs, subs, err := s.st.ComplementaryOf(ctx, id)
	if err != nil {
		return err
	}
	for _, c := range cuecs {
		c.ID, c.EngagementID, c.CreatedAt, c.Version = 0, nextID, s.now(), 1
		if err := s.st.CreateCUEC(ctx, &c); err != nil {
			return err
		}
	}
	// The CUECs and CSOCs keep their numbers, and the counters go on
	// from where this period's stopped.
	if err := s.st.CarryCounters(ctx, id, nextID); err != nil {
		return err
	}
	for _, sub := range subs {
		sub.ID, sub.EngagementID, sub.CreatedAt, sub.Version, sub.ReviewDue = 0, nextID, s.now(), 1, true
		for i := range sub.CSOCs {
			sub.CSOCs[i].ID, sub.CSOCs[i].SubserviceID = 0, 0
		}
		if err := s.st.CreateSubservice(ctx, &sub); err != nil {
			return err
		}
	}
	return nil
}
