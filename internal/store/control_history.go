package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// controlHistory lists what keeps a control on record: the rows that
// refer to it and are the audit's history or an engagement's working
// papers. Open generated tasks are not history; they go with the control.
var controlHistory = []struct {
	table, where, what string
}{
	{"tasks", "control_id = ? AND (done_at IS NOT NULL OR not_applicable)", "done or not-applicable task(s)"},
	{"engagement_control_results", "control_id = ?", "engagement result(s)"},
	{"engagement_exceptions", "control_id = ?", "exception(s)"},
	{"samples", "control_id = ?", "sample(s)"},
	{"populations", "control_id = ?", "population(s)"},
	{"engagement_evidence", "control_id = ?", "piece(s) of evidence an engagement relies on"},
	{"window_evidence", "control_id = ?", "window(s) with summary evidence"},
	{"engagement_scope_overrides", "control_id = ?", "engagement scope decision(s)"},
	{"subservice_orgs", "monitoring_control_id = ?", "subservice organisation(s) it monitors"},
	{"request_controls", "control_id = ?", "auditors' request(s)"},
}

// ControlHistory names the first kind of history control id has, with
// how many rows, or "" when it has none and may be deleted.
func ControlHistory(tx *gorm.DB, id int64) (string, error) {
	for _, h := range controlHistory {
		var n int64
		if err := tx.Table(h.table).Where(h.where, id).Count(&n).Error; err != nil {
			return "", err
		}
		if n > 0 {
			return fmt.Sprintf("%d %s", n, h.what), nil
		}
	}
	return "", nil
}

// ControlChanges are the audit trail's entries about the given controls
// between two instants (from inclusive, to exclusive), oldest first: what
// changed about them, e.g. after a report's period for a bridge letter.
func (db *DB) ControlChanges(ctx context.Context, controlIDs []int64, from, to time.Time) ([]AuditEntry, error) {
	ids := make([]string, len(controlIDs))
	for i, id := range controlIDs {
		ids[i] = fmt.Sprint(id)
	}
	var out []AuditEntry
	if len(ids) == 0 {
		return out, nil
	}
	err := db.R.WithContext(ctx).Where("object_type = 'control' AND object_id IN ? AND at >= ? AND at < ?", ids, from, to).
		Order("seq").Find(&out).Error
	return out, err
}
