package store

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/socmap/socmap/internal/apperr"
)

// Versioned is embedded in every model a person edits. Version counts the
// row's saves, so a writer that read version n can ask to be refused when
// anyone saved after it read (HTTP If-Match), instead of overwriting that
// save without knowing.
type Versioned struct {
	Version int64 `gorm:"not null;default:1"`
}

func (v *Versioned) versionField() *int64 { return &v.Version }

// VersionedRow is a model that embeds Versioned.
type VersionedRow interface{ versionField() *int64 }

// SaveVersion writes every column of row, which the caller read in tx,
// and bumps its version, all in one statement that only matches while
// the row is still at the version read: a save that came in between
// (another connection on PostgreSQL) makes this one fail rather than be
// overwritten. With expect set the row must also be at that version (the
// one the client loaded). A row never saved (version 0) is inserted.
// Either failure is an apperr of kind Stale, and row is left as it was.
func SaveVersion(tx *gorm.DB, row VersionedRow, expect *int64) error {
	v := row.versionField()
	read := *v
	if expect != nil && *expect != read {
		return staleError(*expect, read)
	}
	*v = read + 1
	if read == 0 {
		err := tx.Create(row).Error
		if IsDuplicate(err) {
			err = staleError(0, -1) // created by someone else meanwhile
		}
		if err != nil {
			*v = read
		}
		return err
	}
	// Associations are not the row's: a loaded child list is never rewritten here.
	res := tx.Model(row).Where("version = ?", read).Select("*").Omit(clause.Associations).Updates(row)
	if res.Error == nil && res.RowsAffected == 0 {
		res.Error = staleError(read, -1)
	}
	if res.Error != nil {
		*v = read
	}
	return res.Error
}

// staleError says the row moved on; now is its version, -1 when unknown.
func staleError(expected, now int64) error {
	if now >= 0 {
		return apperr.Stale("someone else saved this after you loaded it (you had version %d, it is now at version %d): "+
			"look at their change and apply yours again", expected, now)
	}
	return apperr.Stale("someone else saved this while your change was being saved: look at their change and apply yours again")
}

// IsStale reports whether err is SaveVersion's refusal.
func IsStale(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Kind == apperr.KindStale
}
