package tasks

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/store"
)

// calendarFeed is a user's calendar subscription; only the SHA-256 of
// its secret token is kept, like API tokens.
type calendarFeed struct {
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	TokenHash string
	CreatedAt time.Time
}

func (calendarFeed) TableName() string { return "calendar_feeds" }

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// FeedCreatedAt says whether the user has a calendar feed, and since when.
func (s *Service) FeedCreatedAt(ctx context.Context, userID int64) (*time.Time, error) {
	var f calendarFeed
	err := s.db.R.WithContext(ctx).Take(&f, userID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &f.CreatedAt, err
}

// NewFeed gives the user a new calendar feed token, replacing (and so
// revoking) any earlier one. The token is returned once.
func (s *Service) NewFeed(ctx context.Context, userID int64) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := "smc_" + base64.RawURLEncoding.EncodeToString(b[:])
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Save(&calendarFeed{UserID: userID, TokenHash: hashToken(token), CreatedAt: s.now().UTC()}).Error; err != nil {
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "calendar_feed.create", ObjectType: "user", ObjectID: fmt.Sprint(userID)})
	})
	return token, err
}

// RevokeFeed ends the user's calendar feed.
func (s *Service) RevokeFeed(ctx context.Context, userID int64) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Delete(&calendarFeed{}, userID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "calendar_feed.revoke", ObjectType: "user", ObjectID: fmt.Sprint(userID)})
	})
}

// feedUser finds the active user a feed token belongs to.
func (s *Service) feedUser(ctx context.Context, token string) (store.User, error) {
	var u store.User
	err := s.db.R.WithContext(ctx).Table("users").
		Where("id = (SELECT user_id FROM calendar_feeds WHERE token_hash = ?) AND disabled_at IS NULL", hashToken(token)).
		Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, apperr.NotFound("no such calendar feed: it may have been revoked")
	}
	return u, err
}

// WriteCalendar writes the open tasks of the feed token's user as an
// iCalendar (RFC 5545) calendar: one all-day event on each due date, which
// Google Calendar, Outlook and Thunderbird all show (they do not all show
// VTODO items).
func (s *Service) WriteCalendar(ctx context.Context, w io.Writer, token string) error {
	u, err := s.feedUser(ctx, token)
	if err != nil {
		return err
	}
	rows, _, err := s.List(ctx, Filter{OwnerID: u.ID, States: []string{"overdue", "due", "upcoming"}})
	if err != nil {
		return err
	}
	c := icsWriter{w: w}
	c.line("BEGIN:VCALENDAR")
	c.line("VERSION:2.0")
	c.line("PRODID:-//socmap//tasks//EN")
	c.line("CALSCALE:GREGORIAN")
	c.line("METHOD:PUBLISH")
	c.line("X-WR-CALNAME:" + icsText("socmap tasks: "+u.Email))
	c.line("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
	c.line("X-PUBLISHED-TTL:PT1H")
	host := s.uidHost()
	for _, r := range rows {
		dueOn, err := civil.Parse(r.DueOn)
		if err != nil {
			return fmt.Errorf("task %d: due date: %w", r.ID, err)
		}
		due := dueOn.Time()
		summary := r.Title
		if r.State == "overdue" {
			summary = "Overdue: " + summary
		}
		c.line("BEGIN:VEVENT")
		c.line(fmt.Sprintf("UID:task-%d@%s", r.ID, host))
		c.line("DTSTAMP:" + r.UpdatedAt.UTC().Format("20060102T150405Z"))
		c.line("DTSTART;VALUE=DATE:" + due.Format("20060102"))
		c.line("DTEND;VALUE=DATE:" + due.AddDate(0, 0, 1).Format("20060102"))
		c.line("SUMMARY:" + icsText(summary))
		c.line("DESCRIPTION:" + icsText(s.describe(r)))
		if link := s.Link("/tasks"); link != "" {
			c.line("URL:" + link)
		}
		c.line("TRANSP:TRANSPARENT")
		c.line("STATUS:CONFIRMED")
		c.line("END:VEVENT")
	}
	c.line("END:VCALENDAR")
	return c.err
}

// describe is a task in a sentence or two, for calendars and digests.
func (s *Service) describe(r Row) string {
	var parts []string
	if r.ControlRef != "" {
		parts = append(parts, "Control "+r.ControlRef)
	}
	if r.WindowStart != nil && r.WindowEnd != nil {
		parts = append(parts, "evidence dated "+*r.WindowStart+" to "+*r.WindowEnd)
	}
	parts = append(parts, "due "+r.DueOn)
	if r.Description != "" {
		parts = append(parts, r.Description)
	}
	if link := s.Link("/tasks"); link != "" {
		parts = append(parts, link)
	}
	return strings.Join(parts, "\n")
}

// Link is an absolute URL to a path of socmap, or "" when no public URL
// is set.
func (s *Service) Link(path string) string {
	if s.settings.PublicURL == "" {
		return ""
	}
	return strings.TrimRight(s.settings.PublicURL, "/") + path
}

func (s *Service) uidHost() string {
	if u, err := url.Parse(s.settings.PublicURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "socmap"
}

// icsText escapes a TEXT value (RFC 5545 3.3.11) and drops control
// characters other than newlines.
func icsText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// icsWriter writes content lines ending in CRLF, folded at 75 octets
// without splitting a UTF-8 character (RFC 5545 3.1).
type icsWriter struct {
	w   io.Writer
	err error
}

func (c *icsWriter) line(s string) {
	var b strings.Builder
	width := 0
	for _, r := range s {
		n := utf8.RuneLen(r)
		if width+n > 75 {
			b.WriteString("\r\n ")
			width = 1
		}
		b.WriteRune(r)
		width += n
	}
	b.WriteString("\r\n")
	if c.err == nil {
		_, c.err = io.WriteString(c.w, b.String())
	}
}
