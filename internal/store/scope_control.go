package store

import "context"

// ControlInScopeOf reports whether one control, not retired, is in an
// engagement's scope: by the engagement's decision on it if it has one,
// otherwise by a mapping to a requirement the engagement reports on. It
// answers for one control what ScopeOverridesOf and MappingsReportedOn
// answer for all, so checking a control reads a few rows, not the scope.
func (db *DB) ControlInScopeOf(ctx context.Context, on ReportedOn, controlID int64) (bool, error) {
	conn := db.Conn(ctx, false)
	var overrides []ScopeOverride
	err := conn.Where("engagement_id = ? AND control_id = ?", on.EngagementID, controlID).Limit(1).Find(&overrides).Error
	if err != nil {
		return false, err
	}
	in := len(overrides) == 1 && overrides[0].Included
	if len(overrides) == 0 {
		var mapped []int64
		if err := mappedIn(conn, on).Where("m.control_id = ?", controlID).Limit(1).Pluck("m.control_id", &mapped).Error; err != nil {
			return false, err
		}
		in = len(mapped) == 1
	}
	if !in {
		return false, nil
	}
	live, err := db.LiveControlIDs(ctx, []int64{controlID})
	return len(live) == 1, err
}
