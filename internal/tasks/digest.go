package tasks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/store"
)

// Mailer sends a plain-text message.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Digest is one reminder message to one user for one cadence period.
type Digest = store.Digest

// DigestSummary is a digest as the outbox lists it, without its body.
type DigestSummary = store.DigestSummary

// Cadences are how often owners get a digest.
var Cadences = []string{"daily", "weekdays", "weekly", "off"}

// maxAttempts bounds how often a digest the mail server refused is retried.
const maxAttempts = 3

// DigestPeriod names the cadence period a moment falls in ("" when no
// digest goes out that day): the date for daily and weekday digests, the
// ISO week for weekly ones.
func DigestPeriod(cadence string, local time.Time) string {
	switch cadence {
	case "daily":
		return local.Format(time.DateOnly)
	case "weekdays":
		if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return ""
		}
		return local.Format(time.DateOnly)
	case "weekly":
		y, w := local.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	}
	return ""
}

// SendDigests sends every user with due or overdue tasks one digest for
// the period; mailer nil keeps them in the outbox. A digest row is claimed
// by inserting it under the unique (user, period) key before anything is
// sent, so several instances running this at once send each digest once.
func (s *Service) SendDigests(ctx context.Context, period string, mailer Mailer) (int, error) {
	rows, _, err := s.List(ctx, Filter{States: []string{"overdue", "due"}})
	if err != nil {
		return 0, err
	}
	byOwner := map[int64][]Row{}
	var owners []int64
	for _, r := range rows {
		if r.OwnerID == nil || r.OwnerEmail == "" {
			continue
		}
		if _, seen := byOwner[*r.OwnerID]; !seen {
			owners = append(owners, *r.OwnerID)
		}
		byOwner[*r.OwnerID] = append(byOwner[*r.OwnerID], r)
	}
	owed, emails, err := s.owedRequests(ctx)
	if err != nil {
		return 0, err
	}
	for id := range owed {
		if _, seen := byOwner[id]; !seen {
			owners = append(owners, id)
			byOwner[id] = nil
		}
	}
	active, err := s.activeUsers(ctx, owners)
	if err != nil {
		return 0, err
	}
	sent := 0
	var unrecorded []error
	for _, id := range owners {
		if !active[id] {
			continue
		}
		recipient := emails[id]
		if len(byOwner[id]) > 0 {
			recipient = byOwner[id][0].OwnerEmail
		}
		d, err := s.compose(id, period, recipient, byOwner[id], owed[id], mailer != nil)
		if err != nil {
			return sent, err
		}
		claimed, err := s.db.ClaimDigest(ctx, &d)
		if err != nil {
			return sent, err
		}
		if !claimed {
			continue // already sent, by us or another instance
		}
		if mailer != nil {
			unrecorded = append(unrecorded, s.deliver(ctx, mailer, d))
		}
		sent++
	}
	return sent, errors.Join(unrecorded...)
}

func (s *Service) activeUsers(ctx context.Context, ids []int64) (map[int64]bool, error) {
	emails, err := s.db.ActiveUserEmails(ctx, ids)
	out := map[int64]bool{}
	for id := range emails {
		out[id] = true
	}
	return out, err
}

func (s *Service) compose(userID int64, period, recipient string, rows []Row, requests []string, sending bool) (Digest, error) {
	var overdue, due []string
	today := s.todayTime()
	for _, r := range rows {
		dueOn, err := civil.Parse(r.DueOn)
		if err != nil {
			return Digest{}, fmt.Errorf("task %d: due date: %w", r.ID, err)
		}
		line := "- " + r.Title + " (due " + r.DueOn
		if r.State == "overdue" {
			days := int(today.Sub(dueOn.Time()).Hours() / 24)
			overdue = append(overdue, fmt.Sprintf("%s, %d days overdue)", line, days))
		} else {
			due = append(due, line+")")
		}
	}
	var b strings.Builder
	if len(rows) > 0 {
		fmt.Fprintf(&b, "Hello,\n\nthese socmap tasks need evidence from you.\n")
	} else {
		fmt.Fprintf(&b, "Hello,\n\nthe auditors are waiting for you in socmap.\n")
	}
	for _, part := range []struct {
		name  string
		lines []string
	}{{"Overdue", overdue}, {"Due", due}} {
		if len(part.lines) > 0 {
			fmt.Fprintf(&b, "\n%s (%d):\n%s\n", part.name, len(part.lines), strings.Join(part.lines, "\n"))
		}
	}
	if len(requests) > 0 {
		fmt.Fprintf(&b, "\nRequests from the auditors waiting for you (%d):\n%s\n", len(requests), strings.Join(requests, "\n"))
	}
	if link := s.Link("/tasks"); link != "" {
		fmt.Fprintf(&b, "\nYour tasks: %s\n", link)
	}
	status := "outbox"
	if sending {
		status = "sending"
	}
	subject := fmt.Sprintf("socmap: %d overdue and %d due tasks", len(overdue), len(due))
	if len(requests) > 0 {
		subject += fmt.Sprintf(", %d requests", len(requests))
	}
	return Digest{UserID: userID, Period: period, Recipient: recipient, Subject: subject, Body: b.String(),
		Status: status, CreatedAt: s.now().UTC()}, nil
}

// deliver sends a claimed digest and records the outcome. A refusal by the
// mail server is an outcome, not an error; the error is a failure to record
// it, which leaves the row "sending" in the outbox for an administrator to see.
func (s *Service) deliver(ctx context.Context, mailer Mailer, d Digest) error {
	status, errText := "sent", ""
	var sentAt *time.Time
	if err := mailer.Send(ctx, d.Recipient, d.Subject, d.Body); err != nil {
		status, errText = "failed", err.Error()
	} else {
		now := s.now().UTC()
		sentAt = &now
	}
	if err := s.db.RecordDigestOutcome(ctx, d.ID, d.Attempts+1, status, errText, sentAt); err != nil {
		return fmt.Errorf("digest %d to %s: recording the outcome: %w", d.ID, d.Recipient, err)
	}
	return nil
}

// RetryFailed claims each digest the mail server refused (one instance
// wins the update) and sends it again, up to a few attempts.
func (s *Service) RetryFailed(ctx context.Context, mailer Mailer) error {
	failed, err := s.db.FailedDigests(ctx, maxAttempts)
	if err != nil {
		return err
	}
	var unrecorded []error
	for _, d := range failed {
		claimed, err := s.db.ClaimFailedDigest(ctx, d.ID)
		if err != nil {
			return err
		}
		if claimed {
			unrecorded = append(unrecorded, s.deliver(ctx, mailer, d))
		}
	}
	return errors.Join(unrecorded...)
}

// Outbox lists digests, newest first, without their bodies.
func (s *Service) Outbox(ctx context.Context, limit, offset int) ([]DigestSummary, int64, error) {
	return s.db.DigestSummaries(ctx, limit, offset)
}

// OutboxDigest is one digest with its body.
func (s *Service) OutboxDigest(ctx context.Context, id int64) (Digest, error) {
	d, found, err := s.db.DigestByID(ctx, id)
	if err == nil && !found {
		err = apperr.NotFound("digest %d not found", id)
	}
	return d, err
}
