package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Request is one item of an engagement's request (PBC) list. Number is
// its stable ID within the engagement (REQ-001 is 1).
type Request struct {
	ID           int64 `gorm:"primaryKey"`
	EngagementID int64
	Number       int
	SourceKey    *string
	AuditorRef   string
	Kind         string
	Phase        string
	Description  string
	OwnerID      *int64
	DueOn        *string
	Status       string
	ReturnReason string
	RequestedAt  time.Time
	SubmittedAt  *time.Time
	AcceptedAt   *time.Time
	CreatedBy    *int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DeletedAt    *time.Time
	Versioned
}

// RequestControl names a control a request is about.
type RequestControl struct {
	RequestID int64 `gorm:"primaryKey"`
	ControlID int64 `gorm:"primaryKey"`
}

// RequestSampleItem names a selected sample item a request asks evidence for.
type RequestSampleItem struct {
	RequestID int64 `gorm:"primaryKey"`
	SampleID  int64 `gorm:"primaryKey"`
	Seq       int   `gorm:"primaryKey"`
}

// RequestEvidence is evidence handed over for a request.
type RequestEvidence struct {
	RequestID  int64 `gorm:"primaryKey"`
	EvidenceID int64 `gorm:"primaryKey"`
	AttachedBy *int64
	AttachedAt time.Time
}

func (RequestEvidence) TableName() string { return "request_evidence" }

// RequestComment is one message of a request's thread.
type RequestComment struct {
	ID        int64 `gorm:"primaryKey"`
	RequestID int64
	AuthorID  *int64
	Body      string
	CreatedAt time.Time
}

// RequestCommentFile is a file attached to a comment, kept by its SHA-256
// in the evidence store.
type RequestCommentFile struct {
	ID           int64 `gorm:"primaryKey"`
	CommentID    int64
	SHA256       string `gorm:"column:sha256"`
	Size         int64
	MediaType    string
	OriginalName string
}

// NextRequestNumber takes the engagement's next request number. The
// counter only goes up, so no number is handed out twice, even after the
// request that held it is deleted; concurrent callers get different ones.
func (db *DB) NextRequestNumber(ctx context.Context, engagementID int64) (int, error) {
	var n int
	err := db.Conn(ctx, true).Raw(`INSERT INTO request_counters (engagement_id, last_number) VALUES (?, 1)
		ON CONFLICT (engagement_id) DO UPDATE SET last_number = request_counters.last_number + 1
		RETURNING last_number`, engagementID).Scan(&n).Error
	return n, err
}

// CreateRequest inserts a request with its controls and sample items.
func (db *DB) CreateRequest(ctx context.Context, r *Request, controls []int64, items []RequestSampleItem) error {
	tx := db.Conn(ctx, true)
	r.Version = 1
	if err := tx.Create(r).Error; err != nil {
		return err
	}
	return db.setRequestParts(tx, r.ID, controls, items)
}

// SetRequestParts replaces a request's controls and sample items.
func (db *DB) SetRequestParts(ctx context.Context, requestID int64, controls []int64, items []RequestSampleItem) error {
	tx := db.Conn(ctx, true)
	if err := tx.Where("request_id = ?", requestID).Delete(&RequestControl{}).Error; err != nil {
		return err
	}
	if err := tx.Where("request_id = ?", requestID).Delete(&RequestSampleItem{}).Error; err != nil {
		return err
	}
	return db.setRequestParts(tx, requestID, controls, items)
}

func (db *DB) setRequestParts(tx *gorm.DB, requestID int64, controls []int64, items []RequestSampleItem) error {
	for _, c := range controls {
		if err := tx.Create(&RequestControl{RequestID: requestID, ControlID: c}).Error; err != nil {
			return err
		}
	}
	for _, it := range items {
		it.RequestID = requestID
		if err := tx.Create(&it).Error; err != nil {
			return err
		}
	}
	return nil
}

// SaveRequest writes a request's own columns and moves its version on,
// refused as stale unless it is still at the version read (and at
// expect, when given).
func (db *DB) SaveRequest(ctx context.Context, r *Request, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), r, expect)
}

// RequestByNumber finds a live request of an engagement by its number;
// found is false when there is none.
func (db *DB) RequestByNumber(ctx context.Context, engagementID int64, number int) (r Request, found bool, err error) {
	var list []Request
	err = db.Conn(ctx, false).Where("engagement_id = ? AND number = ? AND deleted_at IS NULL", engagementID, number).
		Limit(1).Find(&list).Error
	if err != nil || len(list) == 0 {
		return r, false, err
	}
	return list[0], true, nil
}

// RequestSourceKeys lists the source keys of an engagement's requests,
// deleted ones included: generating again must not bring back a request
// someone deleted.
func (db *DB) RequestSourceKeys(ctx context.Context, engagementID int64) (map[string]bool, error) {
	var keys []string
	err := db.Conn(ctx, false).Model(&Request{}).Where("engagement_id = ? AND source_key IS NOT NULL", engagementID).
		Pluck("source_key", &keys).Error
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, err
}

// RequestFilter selects an engagement's live requests; zero values select all.
type RequestFilter struct {
	EngagementID int64
	Status       string
	OwnerID      int64
	Kind         string
	ControlID    int64
	// OwnedBy, with Statuses, selects across engagements the requests a
	// user owes: those they own or on a control they own.
	OwnedBy  int64
	Statuses []string
}

// Requests lists live requests by engagement and number.
func (db *DB) Requests(ctx context.Context, f RequestFilter) ([]Request, error) {
	var out []Request
	err := db.requestsWhere(ctx, f).Select("r.*").Order("r.engagement_id, r.number").Scan(&out).Error
	return out, err
}

// RequestsPage is one page of Requests and how many match in all.
func (db *DB) RequestsPage(ctx context.Context, f RequestFilter, limit, offset int) ([]Request, int64, error) {
	var total int64
	if err := db.requestsWhere(ctx, f).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Request
	err := db.requestsWhere(ctx, f).Select("r.*").Order("r.engagement_id, r.number").
		Limit(limit).Offset(offset).Scan(&out).Error
	return out, total, err
}

// requestsWhere selects the live requests f names, without columns so
// that it counts as well as it lists.
func (db *DB) requestsWhere(ctx context.Context, f RequestFilter) *gorm.DB {
	q := db.Conn(ctx, false).Table("requests AS r").Where("r.deleted_at IS NULL")
	if f.EngagementID != 0 {
		q = q.Where("r.engagement_id = ?", f.EngagementID)
	}
	if f.Status != "" {
		q = q.Where("r.status = ?", f.Status)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("r.status IN ?", f.Statuses)
	}
	if f.OwnerID != 0 {
		q = q.Where("r.owner_id = ?", f.OwnerID)
	}
	if f.Kind != "" {
		q = q.Where("r.kind = ?", f.Kind)
	}
	if f.ControlID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM request_controls rc WHERE rc.request_id = r.id AND rc.control_id = ?)", f.ControlID)
	}
	if f.OwnedBy != 0 {
		q = q.Where(`(r.owner_id = ? OR EXISTS (SELECT 1 FROM request_controls rc JOIN controls c ON c.id = rc.control_id
			WHERE rc.request_id = r.id AND c.owner_id = ?))`, f.OwnedBy, f.OwnedBy)
	}
	return q
}

// RequestControlRef is a control of a request, with its reference and owner.
type RequestControlRef struct {
	RequestID int64
	ControlID int64
	Ref       string
	OwnerID   *int64
}

// RequestControls lists the controls of the given requests, by reference.
func (db *DB) RequestControls(ctx context.Context, requestIDs []int64) ([]RequestControlRef, error) {
	var out []RequestControlRef
	if len(requestIDs) == 0 {
		return out, nil
	}
	err := db.Conn(ctx, false).Table("request_controls AS rc").
		Select("rc.request_id, rc.control_id, c.ref, c.owner_id").Joins("JOIN controls c ON c.id = rc.control_id").
		Where("rc.request_id IN ?", requestIDs).Order("rc.request_id, c.ref").Scan(&out).Error
	return out, err
}

// RequestItemRef is a sample item of a request, with its population item's ID.
type RequestItemRef struct {
	RequestID int64
	SampleID  int64
	Seq       int
	ItemID    string
	ItemDate  *string
}

// RequestSampleItems lists the sample items of the given requests.
func (db *DB) RequestSampleItems(ctx context.Context, requestIDs []int64) ([]RequestItemRef, error) {
	var out []RequestItemRef
	if len(requestIDs) == 0 {
		return out, nil
	}
	err := db.Conn(ctx, false).Table("request_sample_items AS ri").
		Select("ri.request_id, ri.sample_id, ri.seq, pi.item_id, pi.item_date").
		Joins("JOIN samples s ON s.id = ri.sample_id").
		Joins("JOIN population_items pi ON pi.population_id = s.population_id AND pi.seq = ri.seq").
		Where("ri.request_id IN ?", requestIDs).Order("ri.request_id, ri.sample_id, ri.seq").Scan(&out).Error
	return out, err
}

// RequestEvidenceRef is evidence handed over for a request, with its latest file name.
type RequestEvidenceRef struct {
	RequestID  int64
	EvidenceID int64
	Title      string
	Kind       string
	FileName   string
	AttachedAt time.Time
}

// RequestEvidenceOf lists the live evidence attached to the given requests.
func (db *DB) RequestEvidenceOf(ctx context.Context, requestIDs []int64) ([]RequestEvidenceRef, error) {
	var out []RequestEvidenceRef
	if len(requestIDs) == 0 {
		return out, nil
	}
	err := db.Conn(ctx, false).Table("request_evidence AS re").
		Select(`re.request_id, re.evidence_id, e.title, e.kind, re.attached_at,
			COALESCE((SELECT f.original_name FROM evidence_files f WHERE f.evidence_id = e.id ORDER BY f.revision DESC LIMIT 1), '') AS file_name`).
		Joins("JOIN evidence e ON e.id = re.evidence_id AND "+liveEvidence).
		Where("re.request_id IN ?", requestIDs).Order("re.request_id, re.evidence_id").Scan(&out).Error
	return out, err
}

// AttachRequestEvidence links evidence to a request; linking it again changes nothing.
func (db *DB) AttachRequestEvidence(ctx context.Context, requestID int64, evidenceIDs []int64, by int64, at time.Time) error {
	tx := db.Conn(ctx, true)
	for _, id := range evidenceIDs {
		var n int64
		if err := tx.Model(&RequestEvidence{}).Where("request_id = ? AND evidence_id = ?", requestID, id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if err := tx.Create(&RequestEvidence{RequestID: requestID, EvidenceID: id, AttachedBy: &by, AttachedAt: at}).Error; err != nil {
			return err
		}
	}
	return nil
}

// LiveEvidenceIDs returns which of the IDs are live evidence.
func (db *DB) LiveEvidenceIDs(ctx context.Context, ids []int64) ([]int64, error) {
	var out []int64
	if len(ids) == 0 {
		return out, nil
	}
	err := db.Conn(ctx, false).Table("evidence AS e").Where("e.id IN ? AND "+liveEvidence, ids).Order("e.id").Pluck("e.id", &out).Error
	return out, err
}

// EvidenceAttachedInEngagement reports whether evidence was handed over
// for a live request of the engagement.
func (db *DB) EvidenceAttachedInEngagement(ctx context.Context, engagementID, evidenceID int64) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Table("request_evidence AS re").Joins("JOIN requests r ON r.id = re.request_id").
		Where("re.evidence_id = ? AND r.engagement_id = ? AND r.deleted_at IS NULL", evidenceID, engagementID).Count(&n).Error
	return n > 0, err
}

// CommentRow is a comment with its author's e-mail address.
type CommentRow struct {
	RequestComment
	AuthorEmail string
}

// AddRequestComment inserts a comment and its attachments.
func (db *DB) AddRequestComment(ctx context.Context, c *RequestComment, files []RequestCommentFile) error {
	tx := db.Conn(ctx, true)
	if err := tx.Create(c).Error; err != nil {
		return err
	}
	for i := range files {
		files[i].CommentID = c.ID
		if err := tx.Create(&files[i]).Error; err != nil {
			return err
		}
	}
	return nil
}

// RequestComments lists the comments of the given requests, oldest first.
func (db *DB) RequestComments(ctx context.Context, requestIDs []int64) ([]CommentRow, error) {
	var out []CommentRow
	if len(requestIDs) == 0 {
		return out, nil
	}
	err := db.Conn(ctx, false).Table("request_comments AS c").Select("c.*, COALESCE(u.email, '') AS author_email").
		Joins("LEFT JOIN users u ON u.id = c.author_id").
		Where("c.request_id IN ?", requestIDs).Order("c.request_id, c.id").Scan(&out).Error
	return out, err
}

// RequestCommentFiles lists the attachments of the given comments.
func (db *DB) RequestCommentFiles(ctx context.Context, commentIDs []int64) ([]RequestCommentFile, error) {
	var out []RequestCommentFile
	if len(commentIDs) == 0 {
		return out, nil
	}
	err := db.Conn(ctx, false).Where("comment_id IN ?", commentIDs).Order("comment_id, id").Find(&out).Error
	return out, err
}

// RequestCommentFile finds one attachment of one comment of one request.
func (db *DB) RequestCommentFile(ctx context.Context, requestID, fileID int64) (f RequestCommentFile, found bool, err error) {
	var list []RequestCommentFile
	err = db.Conn(ctx, false).Table("request_comment_files AS f").Select("f.*").
		Joins("JOIN request_comments c ON c.id = f.comment_id").
		Where("f.id = ? AND c.request_id = ?", fileID, requestID).Limit(1).Scan(&list).Error
	if err != nil || len(list) == 0 {
		return f, false, err
	}
	return list[0], true, nil
}

// SampleItemControl returns the control of an engagement's sample that
// holds the item seq; found is false when the engagement has no such item.
func (db *DB) SampleItemControl(ctx context.Context, engagementID, sampleID int64, seq int) (controlID int64, found bool, err error) {
	var ids []int64
	err = db.Conn(ctx, false).Table("sample_items AS si").Joins("JOIN samples s ON s.id = si.sample_id").
		Where("s.engagement_id = ? AND si.sample_id = ? AND si.seq = ?", engagementID, sampleID, seq).
		Limit(1).Pluck("s.control_id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, false, err
	}
	return ids[0], true, nil
}

// DrawnSample is a sample of an engagement with the items it selected.
type DrawnSample struct {
	ID         int64
	ControlID  int64
	SelectedAt time.Time
	Seqs       []int `gorm:"-"`
}

// EngagementSamples lists an engagement's samples with their items, oldest first.
func (db *DB) EngagementSamples(ctx context.Context, engagementID int64) ([]DrawnSample, error) {
	var out []DrawnSample
	q := db.Conn(ctx, false)
	if err := q.Table("samples").Select("id, control_id, selected_at").Where("engagement_id = ?", engagementID).
		Order("id").Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		if err := q.Table("sample_items").Where("sample_id = ?", out[i].ID).Order("seq").Pluck("seq", &out[i].Seqs).Error; err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RequestRef is a request's stable ID within its engagement: REQ-001 for 1.
func RequestRef(number int) string { return fmt.Sprintf("REQ-%03d", number) }

// OwedRequest is an open or returned request someone has to answer: its
// owner, or when it has none the owners of its controls.
type OwedRequest struct {
	UserID     int64
	Email      string
	Engagement string
	Number     int
	Status     string
	DueOn      *string
	Kind       string
}

// OwedRequests lists every open and returned request by the user who owes
// it, by engagement and number.
func (db *DB) OwedRequests(ctx context.Context) ([]OwedRequest, error) {
	var out []OwedRequest
	err := db.Conn(ctx, false).Raw(`SELECT u.id AS user_id, u.email, e.name AS engagement, r.number, r.status, r.due_on, r.kind
		FROM requests r JOIN engagements e ON e.id = r.engagement_id
		JOIN users u ON u.id = r.owner_id OR (r.owner_id IS NULL AND u.id IN
			(SELECT c.owner_id FROM request_controls rc JOIN controls c ON c.id = rc.control_id WHERE rc.request_id = r.id))
		WHERE r.deleted_at IS NULL AND r.status IN ('open', 'returned') AND u.disabled_at IS NULL
		ORDER BY u.id, e.name, r.number`).Scan(&out).Error
	return out, err
}

// RequestedSamples are the samples of an engagement whose evidence a live
// sample-evidence request asks for.
func (db *DB) RequestedSamples(ctx context.Context, engagementID int64) (map[int64]bool, error) {
	var ids []int64
	err := db.Conn(ctx, false).Table("request_sample_items AS ri").Joins("JOIN requests r ON r.id = ri.request_id").
		Where("r.engagement_id = ? AND r.deleted_at IS NULL AND r.kind = 'sample_evidence'", engagementID).
		Distinct("ri.sample_id").Pluck("ri.sample_id", &ids).Error
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}
