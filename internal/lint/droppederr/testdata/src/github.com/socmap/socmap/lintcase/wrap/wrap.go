// Package wrap holds functions that hand back a checked error as their own.
package wrap

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

func Day(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) } // want Day:"returnsCheckedError"

func Hours(s string) (int, error) { // want Hours:"returnsCheckedError"
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	return int(d.Hours()), nil
}

// Twice wraps a wrapper.
func Twice(s string) (time.Time, error) { return Day(s) } // want Twice:"returnsCheckedError"

type Store struct{ db *gorm.DB }

func (s *Store) Save(v any) error { return s.db.Create(v).Error } // want Save:"returnsCheckedError"

// Explained returns its own error, not the parser's: not a wrapper.
func Explained(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errors.New("expected YYYY-MM-DD")
	}
	return t, nil
}
