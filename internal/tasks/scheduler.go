package tasks

import (
	"context"
	"log/slog"
	"time"
)

// Schedule says when reminder digests go out.
type Schedule struct {
	Cadence string        // daily, weekdays, weekly or off
	At      time.Duration // time of day in the organisation's time zone, e.g. 8h
	Mailer  Mailer        // nil keeps digests in the outbox
	// RefreshEvery is how often all tasks are refreshed, so new windows
	// open and evidence starts to expire without anyone changing anything.
	RefreshEvery time.Duration
}

// Period is the digest period due at now, or "" when none is: digests go
// out once the time of day has come, and a server that was down at that
// time catches up when it starts.
func (sch Schedule) Period(now time.Time, loc *time.Location) string {
	local := now.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	if local.Sub(midnight) < sch.At {
		return ""
	}
	return DigestPeriod(sch.Cadence, local)
}

// Run refreshes tasks and sends digests each minute until ctx ends. Every
// instance may run it: refreshing is idempotent and each digest is
// claimed in the database before it is sent.
func (s *Service) Run(ctx context.Context, sch Schedule, log *slog.Logger) {
	if sch.RefreshEvery <= 0 {
		sch.RefreshEvery = 15 * time.Minute
	}
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	var refreshed time.Time
	var sentFor string // the last period this instance sent digests for
	for {
		now := s.now()
		if now.Sub(refreshed) >= sch.RefreshEvery {
			if err := s.Refresh(ctx, nil); err != nil && ctx.Err() == nil {
				log.Error("refreshing tasks", "err", err)
			} else {
				refreshed = now
			}
		}
		if period := sch.Period(now, s.settings.Location); period != "" && period != sentFor {
			if n, err := s.SendDigests(ctx, period, sch.Mailer); err != nil && ctx.Err() == nil {
				log.Error("sending task digests", "err", err)
			} else {
				sentFor = period
				log.Info("task digests", "period", period, "count", n, "by_mail", sch.Mailer != nil)
			}
		}
		if sch.Mailer != nil {
			if err := s.RetryFailed(ctx, sch.Mailer); err != nil && ctx.Err() == nil {
				log.Error("retrying task digests", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
