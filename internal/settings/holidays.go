package settings

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/store"
)

// Holiday is a day off the organisation's business-day calendar leaves
// out, for daily controls that run on business days.
type Holiday struct {
	Day  string `json:"day"`
	Name string `json:"name"`
}

// maxHolidays bounds the list: decades of public holidays fit.
const maxHolidays = 1000

// Holidays lists the organisation's holidays in date order.
func (s *Service) Holidays(ctx context.Context) ([]Holiday, error) {
	rows, err := s.db.Holidays(ctx)
	out := make([]Holiday, len(rows))
	for i, r := range rows {
		out[i] = Holiday{Day: r.Day, Name: r.Name}
	}
	return out, err
}

// SetHolidays replaces the list, in the audit trail. Every problem is
// named at once and nothing is changed while there is one.
func (s *Service) SetHolidays(ctx context.Context, in []Holiday) ([]Holiday, error) {
	rows, err := checkHolidays(in)
	if err != nil {
		return nil, err
	}
	before, err := s.Holidays(ctx)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].CreatedAt = s.now().UTC()
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.ReplaceHolidays(ctx, rows); err != nil {
			return err
		}
		after := make([]Holiday, len(rows))
		for i, r := range rows {
			after[i] = Holiday{Day: r.Day, Name: r.Name}
		}
		if slices.Equal(before, after) {
			return nil
		}
		return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "settings.holidays", ObjectType: "settings", ObjectID: "holidays",
			Changes: map[string]auditlog.Change{"holidays": {Before: holidayWords(before), After: holidayWords(after)}}})
	})
	s.Changed.Notify(ctx, err, nil)
	if err != nil {
		return nil, err
	}
	return s.Holidays(ctx)
}

func checkHolidays(in []Holiday) ([]store.Holiday, error) {
	if len(in) > maxHolidays {
		return nil, apperr.Invalid("too many holidays", map[string]string{"holidays": fmt.Sprintf("at most %d", maxHolidays)})
	}
	fields := apperr.Fields{}
	seen := map[string]bool{}
	rows := make([]store.Holiday, 0, len(in))
	for i, h := range in {
		key := fmt.Sprintf("holidays[%d]", i)
		day, err := civil.Parse(strings.TrimSpace(h.Day))
		name := strings.Join(strings.Fields(h.Name), " ")
		switch {
		case err != nil:
			fields[key] = "the day must be a date such as 2026-12-25"
		case seen[day.String()]:
			fields[key] = day.String() + " is listed twice"
		case utf8.RuneCountInString(name) > 100:
			fields[key] = "the name has at most 100 characters"
		default:
			seen[day.String()] = true
			rows = append(rows, store.Holiday{Day: day.String(), Name: name})
		}
	}
	if err := fields.Err("the holidays cannot be saved as given"); err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b store.Holiday) int { return strings.Compare(a.Day, b.Day) })
	return rows, nil
}

func holidayWords(list []Holiday) string {
	parts := make([]string, len(list))
	for i, h := range list {
		parts[i] = h.Day
		if h.Name != "" {
			parts[i] += " " + h.Name
		}
	}
	return strings.Join(parts, ", ")
}
