package store

import (
	"context"
	"time"
)

// RequestTransition is one step of a request's history: a submission,
// acceptance or return, or the undoing of one (Undoes names it). It keeps
// what the step overwrote, so that undoing it restores the request.
type RequestTransition struct {
	ID               int64 `gorm:"primaryKey"`
	RequestID        int64
	Action           string
	FromStatus       string
	ToStatus         string
	ActorID          *int64
	At               time.Time
	PrevSubmittedAt  *time.Time
	PrevReturnReason string
	Undoes           *int64
}

// TransitionRow is a transition with its actor's e-mail address.
type TransitionRow struct {
	RequestTransition
	ActorEmail string
}

// AddRequestTransition records a step of a request's history.
func (db *DB) AddRequestTransition(ctx context.Context, t *RequestTransition) error {
	return db.Conn(ctx, true).Create(t).Error
}

// RequestTransitions lists the history of the given requests, oldest first.
func (db *DB) RequestTransitions(ctx context.Context, requestIDs []int64) ([]TransitionRow, error) {
	var out []TransitionRow
	if len(requestIDs) == 0 {
		return out, nil
	}
	err := db.Conn(ctx, false).Table("request_transitions AS t").Select("t.*, COALESCE(u.email, '') AS actor_email").
		Joins("LEFT JOIN users u ON u.id = t.actor_id").
		Where("t.request_id IN ?", requestIDs).Order("t.request_id, t.id").Scan(&out).Error
	return out, err
}

// LastRequestTransition is the newest step of a request's history; found
// is false when it has none.
func (db *DB) LastRequestTransition(ctx context.Context, requestID int64) (t RequestTransition, found bool, err error) {
	var list []RequestTransition
	err = db.Conn(ctx, true).Where("request_id = ?", requestID).Order("id DESC").Limit(1).Find(&list).Error
	if err != nil || len(list) == 0 {
		return t, false, err
	}
	return list[0], true, nil
}
