package store

import "context"

// SaveMark stores a window's not-expected mark, replacing its earlier one,
// and returns that earlier reason ("" if none).
func (db *DB) SaveMark(ctx context.Context, m WindowMark) (string, error) {
	return SaveWindowMark(ctx, db.Conn(ctx, true), m)
}

// DeleteMark removes a window's mark and returns its reason ("" when
// there was none).
func (db *DB) DeleteMark(ctx context.Context, engagementID, controlID int64, start string) (string, error) {
	return DeleteWindowMark(ctx, db.Conn(ctx, true), engagementID, controlID, start)
}

// AttachToWindow attaches evidence to a window and reports whether it was
// not attached yet.
func (db *DB) AttachToWindow(ctx context.Context, a WindowEvidence) (bool, error) {
	return AttachWindowEvidence(ctx, db.Conn(ctx, true), a)
}

// DetachFromWindow removes an attachment and reports whether there was one.
func (db *DB) DetachFromWindow(ctx context.Context, engagementID, controlID int64, start string, evidenceID int64) (bool, error) {
	return DetachWindowEvidence(ctx, db.Conn(ctx, true), engagementID, controlID, start, evidenceID)
}

// IsLiveEvidenceOf reports whether evidence is linked to a control and not
// deleted, as the caller's transaction sees it.
func (db *DB) IsLiveEvidenceOf(ctx context.Context, evidenceID, controlID int64) (bool, error) {
	return LiveEvidenceOf(ctx, db.Conn(ctx, true), evidenceID, controlID)
}
