package tasks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/civil"
	"gorm.io/gorm/clause"
)

// Mailer sends a plain-text message.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Digest is one reminder message to one user for one cadence period.
type Digest struct {
	ID        int64      `json:"id" gorm:"primaryKey"`
	UserID    int64      `json:"user_id"`
	Period    string     `json:"period"`
	Recipient string     `json:"recipient"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Status    string     `json:"status"` // outbox (no mail server), sending, sent, failed
	Attempts  int        `json:"attempts"`
	Error     string     `json:"error"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

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
		res := s.db.W.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&d)
		if res.Error != nil {
			return sent, res.Error
		}
		if res.RowsAffected == 0 {
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
	var active []int64
	err := s.db.R.WithContext(ctx).Table("users").Where("id IN ? AND disabled_at IS NULL", ids).Pluck("id", &active).Error
	out := map[int64]bool{}
	for _, id := range active {
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
	update := map[string]any{"attempts": d.Attempts + 1}
	if err := mailer.Send(ctx, d.Recipient, d.Subject, d.Body); err != nil {
		update["status"], update["error"] = "failed", err.Error()
	} else {
		update["status"], update["error"], update["sent_at"] = "sent", "", s.now().UTC()
	}
	if err := s.db.W.WithContext(ctx).Model(&Digest{}).Where("id = ?", d.ID).Updates(update).Error; err != nil {
		return fmt.Errorf("digest %d to %s: recording the outcome: %w", d.ID, d.Recipient, err)
	}
	return nil
}

// RetryFailed claims each digest the mail server refused (one instance
// wins the update) and sends it again, up to a few attempts.
func (s *Service) RetryFailed(ctx context.Context, mailer Mailer) error {
	var failed []Digest
	if err := s.db.R.WithContext(ctx).Where("status = 'failed' AND attempts < ?", maxAttempts).Find(&failed).Error; err != nil {
		return err
	}
	var unrecorded []error
	for _, d := range failed {
		res := s.db.W.WithContext(ctx).Model(&Digest{}).Where("id = ? AND status = 'failed'", d.ID).Update("status", "sending")
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			unrecorded = append(unrecorded, s.deliver(ctx, mailer, d))
		}
	}
	return errors.Join(unrecorded...)
}

// Outbox lists digests, newest first.
func (s *Service) Outbox(ctx context.Context, limit, offset int) ([]Digest, int64, error) {
	q := s.db.R.WithContext(ctx).Model(&Digest{})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	out := []Digest{}
	err := q.Order("id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, total, err
}
