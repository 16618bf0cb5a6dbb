package store

import (
	"context"

	"gorm.io/gorm"
)

// UserFilter selects a page of accounts; zero values select all.
type UserFilter struct {
	// Text matches the e-mail address or the name, case-insensitively.
	Text string
	// Roles keeps the accounts with one of these roles.
	Roles []string
	// Active leaves out disabled accounts.
	Active bool
	// Limit 0 answers every account that matches.
	Limit  int
	Offset int
}

// UsersPage lists one page of the accounts f selects by e-mail address,
// and how many it selects in all.
func (db *DB) UsersPage(ctx context.Context, f UserFilter) ([]User, int64, error) {
	var total int64
	if err := db.usersWhere(ctx, f).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	q := db.usersWhere(ctx, f).Order("email").Offset(f.Offset)
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	out := []User{}
	err := q.Find(&out).Error
	return out, total, err
}

func (db *DB) usersWhere(ctx context.Context, f UserFilter) *gorm.DB {
	q := db.R.WithContext(ctx).Model(&User{})
	if f.Text != "" {
		p := LikePattern(f.Text)
		q = q.Where(`(LOWER(email) LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')`, p, p)
	}
	if len(f.Roles) > 0 {
		q = q.Where("role IN ?", f.Roles)
	}
	if f.Active {
		q = q.Where("disabled_at IS NULL")
	}
	return q
}
