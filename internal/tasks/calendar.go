package tasks

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/store"
)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// FeedState is whether a user has a calendar feed: since when, and when
// it was revoked if it was.
type FeedState struct {
	CreatedAt *time.Time
	RevokedAt *time.Time
}

// Feed says whether the user has a calendar feed, since when, and whether
// it has been revoked.
func (s *Service) Feed(ctx context.Context, userID int64) (FeedState, error) {
	f, err := s.db.CalendarFeedOf(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return FeedState{}, nil
	}
	return FeedState{CreatedAt: &f.CreatedAt, RevokedAt: f.RevokedAt}, err
}

// NewFeed gives the user a new calendar feed token, replacing (and so
// revoking) any earlier one. The token is returned once.
func (s *Service) NewFeed(ctx context.Context, userID int64) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := "smc_" + base64.RawURLEncoding.EncodeToString(b[:])
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.SaveCalendarFeed(ctx, &store.CalendarFeed{UserID: userID, TokenHash: hashToken(token), CreatedAt: s.now().UTC()}); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "calendar_feed.create", ObjectType: "user", ObjectID: fmt.Sprint(userID)})
	})
	return token, err
}

// RevokeFeed ends the user's calendar feed; it stays listed as revoked.
func (s *Service) RevokeFeed(ctx context.Context, userID int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		revoked, err := s.db.RevokeCalendarFeed(ctx, userID, s.now().UTC())
		if err != nil || !revoked {
			return err
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "calendar_feed.revoke", ObjectType: "user", ObjectID: fmt.Sprint(userID)})
	})
}

// feedUser finds the active user a feed token belongs to.
func (s *Service) feedUser(ctx context.Context, token string) (store.User, error) {
	u, err := s.db.CalendarFeedUser(ctx, hashToken(token))
	if errors.Is(err, store.ErrNotFound) {
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
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//socmap//tasks//EN")
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	name := calendarText("socmap tasks: " + u.Email)
	cal.Props.SetText(ical.PropName, name)
	cal.Props.Set(extension("X-WR-CALNAME", name)) // the name Google Calendar and Outlook read
	// Subscribers refresh hourly (RFC 7986; X-PUBLISHED-TTL for Outlook).
	refresh := ical.NewProp(ical.PropRefreshInterval)
	refresh.Value = "PT1H"
	refresh.Params.Set(ical.ParamValue, string(ical.ValueDuration)) // required, though the default
	cal.Props.Set(refresh)
	cal.Props.Set(extension("X-PUBLISHED-TTL", "PT1H"))
	host := s.uidHost()
	for _, r := range rows {
		event, err := s.taskEvent(r, host)
		if err != nil {
			return err
		}
		cal.Children = append(cal.Children, event.Component)
	}
	fw := &foldingWriter{w: w}
	if len(cal.Children) == 0 {
		return writeEmptyCalendar(fw, cal)
	}
	return ical.NewEncoder(fw).Encode(cal)
}

// taskEvent is one task as an all-day event on its due date.
func (s *Service) taskEvent(r Row, host string) (*ical.Event, error) {
	due, err := civil.Parse(r.DueOn)
	if err != nil {
		return nil, fmt.Errorf("task %d: due date: %w", r.ID, err)
	}
	summary := r.Title
	if r.State == "overdue" {
		summary = "Overdue: " + summary
	}
	e := ical.NewEvent()
	e.Props.SetText(ical.PropUID, fmt.Sprintf("task-%d@%s", r.ID, host))
	e.Props.SetDateTime(ical.PropDateTimeStamp, r.UpdatedAt.UTC())
	e.Props.SetDate(ical.PropDateTimeStart, due.Time())
	e.Props.SetDate(ical.PropDateTimeEnd, due.AddDays(1).Time())
	e.Props.SetText(ical.PropSummary, calendarText(summary))
	e.Props.SetText(ical.PropDescription, calendarText(s.describe(r)))
	if link := s.Link("/tasks"); link != "" {
		u, err := url.Parse(link) // --public-url is checked at start-up
		if err != nil {
			return nil, fmt.Errorf("link to the tasks: %w", err)
		}
		e.Props.SetURI(ical.PropURL, u)
	}
	e.Props.SetText(ical.PropTransparency, "TRANSPARENT")
	e.SetStatus(ical.EventConfirmed)
	return e, nil
}

// extension is a non-standard text property, written without a VALUE parameter.
func extension(name, text string) *ical.Prop {
	p := ical.NewProp(name)
	p.SetText(text)
	p.Params.Del(ical.ParamValue)
	return p
}

// writeEmptyCalendar writes a calendar without events. go-ical refuses to
// encode one (RFC 5545 asks for at least one component), but a subscriber
// whose tasks are all done needs an answer that clears them from the
// calendar, as Google Calendar and Outlook publish for an empty calendar.
func writeEmptyCalendar(w io.Writer, cal *ical.Calendar) error {
	names := slices.Sorted(maps.Keys(cal.Props))
	lines := []string{"BEGIN:" + ical.CompCalendar}
	for _, name := range names {
		for _, p := range cal.Props[name] {
			line := name
			for _, param := range slices.Sorted(maps.Keys(p.Params)) {
				line += ";" + param + "=" + strings.Join(p.Params[param], ",")
			}
			lines = append(lines, line+":"+p.Value)
		}
	}
	lines = append(lines, "END:"+ical.CompCalendar, "")
	_, err := io.WriteString(w, strings.Join(lines, "\r\n"))
	return err
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

// calendarText drops the control characters a TEXT value cannot carry
// (RFC 5545 3.3.11), keeping newlines, which go-ical escapes with the rest.
func calendarText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// foldingWriter folds content lines at 75 octets without splitting a UTF-8
// character (RFC 5545 3.1); go-ical writes them unfolded, one per Write.
type foldingWriter struct {
	w     io.Writer
	width int // octets on the current line
}

func (f *foldingWriter) Write(p []byte) (int, error) {
	var b bytes.Buffer
	for s := p; len(s) > 0; {
		r, n := utf8.DecodeRune(s)
		switch {
		case r == '\r' || r == '\n':
			f.width = 0
		case f.width+n > 75:
			b.WriteString("\r\n ")
			f.width = 1
			fallthrough
		default:
			f.width += n
		}
		b.Write(s[:n])
		s = s[n:]
	}
	if _, err := f.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}
