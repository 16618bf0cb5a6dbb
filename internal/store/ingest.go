package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IngestSource is one scanner pointed at one environment, expected to
// report every IntervalHours.
type IngestSource struct {
	ID            int64 `gorm:"primaryKey"`
	Name          string
	Tool          string
	OwnerID       *int64
	IntervalHours int
	LastScannedAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// IngestRun is one ingested file: a scan, kept as evidence.
type IngestRun struct {
	ID            int64 `gorm:"primaryKey"`
	SourceID      int64
	ScanID        string
	Format        string
	FormatVersion string
	Tool          string
	ToolVersion   string
	Target        string
	ScannedAt     time.Time
	EvidenceID    int64
	Passed        int
	Failed        int
	Errored       int
	Skipped       int
	CreatedBy     *int64
	CreatedAt     time.Time
}

// IngestResult is one check on one resource in a run.
type IngestResult struct {
	ID       int64 `gorm:"primaryKey"`
	RunID    int64
	CheckID  string
	Status   string
	Resource string
	Message  string
}

// IngestCheck is a check id seen in some run, with its latest title.
type IngestCheck struct {
	CheckID    string `gorm:"primaryKey"`
	Title      string
	Tool       string
	LastSeenAt time.Time
}

// IngestRunCheck counts one check's results in one run.
type IngestRunCheck struct {
	RunID   int64  `gorm:"primaryKey"`
	CheckID string `gorm:"primaryKey"`
	Passed  int
	Failed  int
	Errored int
	Skipped int
}

// IngestRule maps the checks matching a pattern to a control.
type IngestRule struct {
	ID        int64 `gorm:"primaryKey"`
	Pattern   string
	ControlID int64
	Note      string
	CreatedBy *int64
	CreatedAt time.Time
}

type ingestCheckCriterion struct {
	CheckID       string `gorm:"primaryKey"`
	RequirementID int64  `gorm:"primaryKey"`
}

func (ingestCheckCriterion) TableName() string { return "ingest_check_criteria" }

type ingestFailureTask struct {
	TaskID   int64 `gorm:"primaryKey;autoIncrement:false"`
	SourceID int64 `gorm:"primaryKey;autoIncrement:false"`
	RunID    int64
}

// IngestTask is a task ingest opens: a control whose checks failed, or a
// source that stopped reporting.
type IngestTask = Task

// The kinds of tasks ingest opens, and how they are done.
const (
	TaskCheckFailure   = "check_failure"
	TaskStaleSource    = "stale_source"
	DoneByPassingRun   = "passed"
	DoneBySourceReport = "reported"
)

// soc2Framework is the catalog id of the SOC 2 criteria.
const soc2Framework = "soc2-tsc-2017"

// ---- sources and runs

// IngestSourceByName returns a source, or ErrNotFound.
func (db *DB) IngestSourceByName(ctx context.Context, name string) (IngestSource, error) {
	return takeRow[IngestSource](db.Conn(ctx, false).Where("name = ?", name))
}

// IngestSourceByID returns a source, or ErrNotFound.
func (db *DB) IngestSourceByID(ctx context.Context, id int64) (IngestSource, error) {
	return takeRow[IngestSource](db.Conn(ctx, false).Where("id = ?", id))
}

// SaveIngestSource inserts a new source or updates one.
func (db *DB) SaveIngestSource(ctx context.Context, s *IngestSource) error {
	return db.Conn(ctx, true).Save(s).Error
}

// IngestRunByScanID returns the run of a scan id, or ErrNotFound.
func (db *DB) IngestRunByScanID(ctx context.Context, scanID string) (IngestRun, error) {
	return takeRow[IngestRun](db.Conn(ctx, false).Where("scan_id = ?", scanID))
}

// IngestRunByID returns a run, or ErrNotFound.
func (db *DB) IngestRunByID(ctx context.Context, id int64) (IngestRun, error) {
	return takeRow[IngestRun](db.Conn(ctx, false).Where("id = ?", id))
}

func takeRow[T any](q *gorm.DB) (T, error) {
	var v T
	err := q.Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return v, ErrNotFound
	}
	return v, err
}

// CreateIngestRun inserts a run.
func (db *DB) CreateIngestRun(ctx context.Context, r *IngestRun) error {
	return db.Conn(ctx, true).Create(r).Error
}

// InsertIngestResults adds result rows in batches.
func (db *DB) InsertIngestResults(ctx context.Context, rows []IngestResult) error {
	if len(rows) == 0 {
		return nil
	}
	return db.Conn(ctx, true).CreateInBatches(rows, 500).Error
}

// SaveIngestChecks records the checks of a run: their titles and tools
// are updated, their counts in the run inserted, and the criteria of the
// checks in criteria (check id → requirement ids) replaced.
func (db *DB) SaveIngestChecks(ctx context.Context, checks []IngestCheck, criteria map[string][]int64, counts []IngestRunCheck) error {
	if len(checks) == 0 {
		return nil
	}
	tx := db.Conn(ctx, true)
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "check_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"title", "tool", "last_seen_at"})}).
		CreateInBatches(checks, 500).Error
	if err != nil {
		return err
	}
	var ids []string
	var links []ingestCheckCriterion
	for _, c := range checks {
		reqs, tagged := criteria[c.CheckID]
		if !tagged {
			continue
		}
		ids = append(ids, c.CheckID)
		for _, req := range reqs {
			links = append(links, ingestCheckCriterion{CheckID: c.CheckID, RequirementID: req})
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		if err := tx.Where("check_id IN ?", chunk).Delete(&ingestCheckCriterion{}).Error; err != nil {
			return err
		}
	}
	if len(links) > 0 {
		if err := tx.CreateInBatches(links, 500).Error; err != nil {
			return err
		}
	}
	return tx.CreateInBatches(counts, 500).Error
}

// ---- what mapping needs

// CheckCriteria is a check with the criteria references its tool tags it with.
type CheckCriteria struct {
	CheckID string
	Ref     string
}

// IngestCheckCriteria lists every check id seen with its criteria (a
// check without criteria comes once with an empty Ref).
func (db *DB) IngestCheckCriteria(ctx context.Context) ([]CheckCriteria, error) {
	var rows []CheckCriteria
	err := db.Conn(ctx, false).Table("ingest_checks AS c").
		Select("c.check_id, COALESCE(r.ref, '') AS ref").
		Joins("LEFT JOIN ingest_check_criteria cc ON cc.check_id = c.check_id").
		Joins("LEFT JOIN requirements r ON r.id = cc.requirement_id").
		Order("c.check_id, r.sort_order").Scan(&rows).Error
	return rows, err
}

// SOC2RequirementIDs maps every current SOC 2 criterion reference to its id.
func (db *DB) SOC2RequirementIDs(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		ID  int64
		Ref string
	}
	err := db.Conn(ctx, false).Table("requirements").Select("id, ref").
		Where("framework_id = ? AND NOT retired", soc2Framework).Scan(&rows).Error
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Ref] = r.ID
	}
	return out, err
}

// ControlsByCriterion maps each SOC 2 criterion reference to the controls
// mapped to it that are not retired.
func (db *DB) ControlsByCriterion(ctx context.Context) (map[string][]int64, error) {
	var rows []struct {
		Ref       string
		ControlID int64
	}
	err := db.Conn(ctx, false).Table("control_requirements AS m").Select("r.ref, m.control_id").
		Joins("JOIN requirements r ON r.id = m.requirement_id").
		Joins("JOIN controls c ON c.id = m.control_id").
		Where("r.framework_id = ? AND "+activeControl, soc2Framework).
		Order("r.ref, m.control_id").Scan(&rows).Error
	out := map[string][]int64{}
	for _, r := range rows {
		out[r.Ref] = append(out[r.Ref], r.ControlID)
	}
	return out, err
}

// IngestRuleRow is a rule with its control's reference and title.
type IngestRuleRow struct {
	IngestRule
	ControlRef   string
	ControlTitle string
}

// IngestRules lists every rule, by pattern.
func (db *DB) IngestRules(ctx context.Context) ([]IngestRuleRow, error) {
	var rows []IngestRuleRow
	err := db.Conn(ctx, false).Table("ingest_rules AS r").
		Select("r.*, c.ref AS control_ref, c.title AS control_title").
		Joins("JOIN controls c ON c.id = r.control_id").
		Order("r.pattern, c.ref").Scan(&rows).Error
	return rows, err
}

// IngestRuleByID returns a rule, or ErrNotFound.
func (db *DB) IngestRuleByID(ctx context.Context, id int64) (IngestRule, error) {
	return takeRow[IngestRule](db.Conn(ctx, false).Where("id = ?", id))
}

// CreateIngestRules inserts rules; one that exists (the same pattern and
// control) is left as it is and reported by its position in skipped.
func (db *DB) CreateIngestRules(ctx context.Context, rules []IngestRule) (skipped []int, err error) {
	tx := db.Conn(ctx, true)
	for i := range rules {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rules[i])
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected == 0 {
			skipped = append(skipped, i)
		}
	}
	return skipped, nil
}

// DeleteIngestRule removes a rule.
func (db *DB) DeleteIngestRule(ctx context.Context, id int64) error {
	return db.Conn(ctx, true).Delete(&IngestRule{}, id).Error
}

// ControlIDsByRef maps control references to ids; unknown ones are absent.
func (db *DB) ControlIDsByRef(ctx context.Context, refs []string) (map[string]int64, error) {
	var rows []struct {
		ID  int64
		Ref string
	}
	err := db.Conn(ctx, false).Table("controls").Select("id, ref").Where("ref IN ?", refs).Scan(&rows).Error
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Ref] = r.ID
	}
	return out, err
}

// ---- outcomes per control

// RunCheckCount is a check's counts in a run, with the run's time and evidence.
type RunCheckCount struct {
	IngestRunCheck
	ScannedAt  time.Time
	SourceID   int64
	EvidenceID int64
}

// RunCheckFilter narrows run check counts: to some checks, to runs in a
// time range (zero ends are open), to runs whose evidence is live.
type RunCheckFilter struct {
	CheckIDs []string // nil: every check
	RunIDs   []int64  // nil: every run
	SourceID int64    // 0: every source
	From, To time.Time
}

// IngestRunCheckCounts lists check counts of runs whose evidence has not
// been deleted, oldest run first.
func (db *DB) IngestRunCheckCounts(ctx context.Context, f RunCheckFilter) ([]RunCheckCount, error) {
	q := db.Conn(ctx, false).Table("ingest_run_checks AS rc").
		Select("rc.*, r.scanned_at, r.source_id, r.evidence_id").
		Joins("JOIN ingest_runs r ON r.id = rc.run_id").
		Joins("JOIN evidence e ON e.id = r.evidence_id AND " + liveEvidence)
	if f.CheckIDs != nil {
		q = q.Where("rc.check_id IN ?", stringsOrNone(f.CheckIDs))
	}
	if f.RunIDs != nil {
		q = q.Where("rc.run_id IN ?", idsOrNone(f.RunIDs))
	}
	if f.SourceID != 0 {
		q = q.Where("r.source_id = ?", f.SourceID)
	}
	if !f.From.IsZero() {
		q = q.Where("r.scanned_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("r.scanned_at < ?", f.To.UTC())
	}
	var rows []RunCheckCount
	err := q.Order("r.scanned_at, r.id, rc.check_id").Scan(&rows).Error
	return rows, err
}

// nonEmpty keeps "IN ?" valid SQL for an empty list: it matches nothing.
func stringsOrNone(ids []string) []string {
	if len(ids) == 0 {
		return []string{"\x00"}
	}
	return ids
}

func idsOrNone(ids []int64) []int64 {
	if len(ids) == 0 {
		return []int64{0}
	}
	return ids
}

// LatestIngestRuns returns each source's latest run with live evidence.
func (db *DB) LatestIngestRuns(ctx context.Context) ([]IngestRun, error) {
	var runs []IngestRun
	err := db.Conn(ctx, false).Table("ingest_runs AS r").Select("r.*").
		Joins("JOIN evidence e ON e.id = r.evidence_id AND " + liveEvidence).
		Where(`NOT EXISTS (SELECT 1 FROM ingest_runs later JOIN evidence le ON le.id = later.evidence_id AND le.deleted_at IS NULL
			WHERE later.source_id = r.source_id AND (later.scanned_at > r.scanned_at OR (later.scanned_at = r.scanned_at AND later.id > r.id)))`).
		Order("r.source_id").Scan(&runs).Error
	return runs, err
}

// IngestResultFilter selects result rows.
type IngestResultFilter struct {
	RunIDs   []int64
	CheckIDs []string // nil: every check
	Statuses []string // nil: every status
	Limit    int
	Offset   int
}

// IngestResults returns a page of result rows and how many match.
func (db *DB) IngestResults(ctx context.Context, f IngestResultFilter) ([]IngestResult, int64, error) {
	q := db.Conn(ctx, false).Model(&IngestResult{}).Where("run_id IN ?", idsOrNone(f.RunIDs))
	if f.CheckIDs != nil {
		q = q.Where("check_id IN ?", stringsOrNone(f.CheckIDs))
	}
	if f.Statuses != nil {
		q = q.Where("status IN ?", stringsOrNone(f.Statuses))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []IngestResult
	err := q.Order("run_id, check_id, id").Limit(f.Limit).Offset(f.Offset).Find(&rows).Error
	return rows, total, err
}

// ---- evidence of runs

// CreateIngestEvidence records the file of a run as evidence, with its
// first revision and its links to controls.
func (db *DB) CreateIngestEvidence(ctx context.Context, e *Evidence, f *EvidenceFile, controlIDs []int64) error {
	tx := db.Conn(ctx, true)
	if err := tx.Create(e).Error; err != nil {
		return err
	}
	f.EvidenceID = e.ID
	if err := tx.Create(f).Error; err != nil {
		return err
	}
	return db.AddEvidenceLinks(ctx, e.ID, controlIDs)
}

// AddEvidenceLinks links evidence to controls.
func (db *DB) AddEvidenceLinks(ctx context.Context, evidenceID int64, controlIDs []int64) error {
	if len(controlIDs) == 0 {
		return nil
	}
	links := make([]EvidenceControl, len(controlIDs))
	for i, c := range controlIDs {
		links[i] = EvidenceControl{EvidenceID: evidenceID, ControlID: c}
	}
	return db.Conn(ctx, true).Clauses(clause.OnConflict{DoNothing: true}).Create(&links).Error
}

// RemoveEvidenceLinks unlinks evidence from controls.
func (db *DB) RemoveEvidenceLinks(ctx context.Context, evidenceID int64, controlIDs []int64) error {
	if len(controlIDs) == 0 {
		return nil
	}
	return db.Conn(ctx, true).Where("evidence_id = ? AND control_id IN ?", evidenceID, controlIDs).
		Delete(&EvidenceControl{}).Error
}

// EvidenceLinks maps each of the given evidence items to its controls.
func (db *DB) EvidenceLinks(ctx context.Context, evidenceIDs []int64) (map[int64][]int64, error) {
	var rows []EvidenceControl
	out := map[int64][]int64{}
	for start := 0; start < len(evidenceIDs); start += 1000 {
		chunk := evidenceIDs[start:min(start+1000, len(evidenceIDs))]
		if err := db.Conn(ctx, false).Where("evidence_id IN ?", chunk).Order("evidence_id, control_id").Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.EvidenceID] = append(out[r.EvidenceID], r.ControlID)
		}
	}
	return out, nil
}

// IsIngestEvidence reports whether evidence is the file of a run, whose
// control links follow the check mapping rather than anyone's hand.
func (db *DB) IsIngestEvidence(ctx context.Context, evidenceID int64) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Model(&IngestRun{}).Where("evidence_id = ?", evidenceID).Count(&n).Error
	return n > 0, err
}

// ---- tasks

// IngestTaskByKey returns a task by its key, or ErrNotFound.
func (db *DB) IngestTaskByKey(ctx context.Context, key string) (IngestTask, error) {
	return takeRow[IngestTask](db.Conn(ctx, false).Where("task_key = ?", key))
}

// SaveIngestTask inserts or updates a task.
func (db *DB) SaveIngestTask(ctx context.Context, t *IngestTask) error {
	return SaveVersion(db.Conn(ctx, true), t, nil)
}

// SetFailureTaskRun remembers the run of a source that last failed a
// failure task.
func (db *DB) SetFailureTaskRun(ctx context.Context, taskID, sourceID, runID int64) error {
	return db.Conn(ctx, true).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "task_id"}, {Name: "source_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"run_id"})}).
		Create(&ingestFailureTask{TaskID: taskID, SourceID: sourceID, RunID: runID}).Error
}

// FailureTaskRuns returns the runs that last failed a task, one per source.
func (db *DB) FailureTaskRuns(ctx context.Context, taskID int64) ([]IngestRun, error) {
	var runs []IngestRun
	err := db.Conn(ctx, false).Table("ingest_runs AS r").Select("r.*").
		Joins("JOIN ingest_failure_tasks f ON f.run_id = r.id").Where("f.task_id = ?", taskID).
		Order("r.source_id").Scan(&runs).Error
	return runs, err
}

// ClearFailureTaskRuns forgets the failures of a source on a control's
// open failure tasks that were scanned before t, and returns the tasks
// left with no failing source: a later passing run has answered them.
func (db *DB) ClearFailureTaskRuns(ctx context.Context, controlID, sourceID int64, t time.Time) ([]IngestTask, error) {
	tx := db.Conn(ctx, true)
	open := tx.Table("tasks").Select("id").
		Where("kind = ? AND control_id = ? AND done_at IS NULL AND NOT not_applicable", TaskCheckFailure, controlID)
	err := tx.Where("source_id = ? AND task_id IN (?) AND run_id IN (?)", sourceID, open,
		tx.Table("ingest_runs").Select("id").Where("source_id = ? AND scanned_at < ?", sourceID, t.UTC())).
		Delete(&ingestFailureTask{}).Error
	if err != nil {
		return nil, err
	}
	var answered []IngestTask
	err = tx.Table("tasks").
		Where("kind = ? AND control_id = ? AND done_at IS NULL AND NOT not_applicable", TaskCheckFailure, controlID).
		Where("NOT EXISTS (SELECT 1 FROM ingest_failure_tasks f WHERE f.task_id = tasks.id)").
		Order("id").Find(&answered).Error
	return answered, err
}

// IngestRunByEvidence returns the run whose file is the evidence, or ErrNotFound.
func (db *DB) IngestRunByEvidence(ctx context.Context, evidenceID int64) (IngestRun, error) {
	return takeRow[IngestRun](db.Conn(ctx, false).Where("evidence_id = ?", evidenceID).Order("id"))
}

// OpenStaleTasks lists the open stale-source tasks of a source.
func (db *DB) OpenStaleTasks(ctx context.Context, sourceID int64) ([]IngestTask, error) {
	var rows []IngestTask
	err := db.Conn(ctx, false).Where("kind = ? AND task_key LIKE ? AND done_at IS NULL AND NOT not_applicable",
		TaskStaleSource, fmt.Sprintf("stale/%d/%%", sourceID)).Order("id").Find(&rows).Error
	return rows, err
}

// OwnerChange is a task given to its control's new owner.
type OwnerChange struct {
	TaskID        int64
	Before, After *int64
}

// FollowControlOwners gives the open failure tasks of some controls (nil:
// all) to their controls' current owners, and says which moved.
func (db *DB) FollowControlOwners(ctx context.Context, controlIDs []int64) ([]OwnerChange, error) {
	q := db.Conn(ctx, true).Table("tasks AS t").Select("t.id AS task_id, t.owner_id AS before, c.owner_id AS after").
		Joins("JOIN controls c ON c.id = t.control_id").
		Where("t.kind = ? AND t.done_at IS NULL AND NOT t.not_applicable AND t.owner_id IS DISTINCT FROM c.owner_id", TaskCheckFailure)
	if controlIDs != nil {
		q = q.Where("t.control_id IN ?", idsOrNone(controlIDs))
	}
	var moved []OwnerChange
	if err := q.Order("t.id").Scan(&moved).Error; err != nil {
		return nil, err
	}
	for _, m := range moved {
		if err := db.Conn(ctx, true).Model(&IngestTask{}).Where("id = ?", m.TaskID).
			Updates(map[string]any{"owner_id": m.After, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return nil, err
		}
	}
	return moved, nil
}

// IngestControls maps controls to what ingest needs of them: owner,
// reference, status and what their windows follow.
func (db *DB) IngestControls(ctx context.Context, ids []int64) (map[int64]Control, error) {
	var rows []Control
	err := db.Conn(ctx, false).Select("id, ref, title, owner_id, status, frequency, nature, implemented_on, retired_on, schedule, calendar").Where("id IN ?", idsOrNone(ids)).Find(&rows).Error
	out := make(map[int64]Control, len(rows))
	for _, c := range rows {
		out[c.ID] = c
	}
	return out, err
}

// ---- lists

// IngestEvidenceIDs lists the live evidence of every run.
func (db *DB) IngestEvidenceIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := db.Conn(ctx, false).Table("ingest_runs AS r").
		Joins("JOIN evidence e ON e.id = r.evidence_id AND "+liveEvidence).
		Order("r.evidence_id").Pluck("r.evidence_id", &ids).Error
	return ids, err
}

// IngestSourceRow is a source with its owner and how many runs it sent.
type IngestSourceRow struct {
	IngestSource
	OwnerEmail string
	Runs       int
}

// IngestSources lists every source by name.
func (db *DB) IngestSources(ctx context.Context) ([]IngestSourceRow, error) {
	var rows []IngestSourceRow
	err := db.Conn(ctx, false).Table("ingest_sources AS s").
		Select("s.*, COALESCE(u.email, '') AS owner_email, (SELECT COUNT(*) FROM ingest_runs r WHERE r.source_id = s.id) AS runs").
		Joins("LEFT JOIN users u ON u.id = s.owner_id").Order("s.name").Scan(&rows).Error
	return rows, err
}

// IngestRunRow is a run with its source's name.
type IngestRunRow struct {
	IngestRun
	SourceName      string
	EvidenceDeleted bool
}

// IngestRunFilter narrows the list of runs.
type IngestRunFilter struct {
	SourceID int64
	Limit    int
	Offset   int
}

// IngestRuns returns a page of runs, the latest scan first, and the total.
func (db *DB) IngestRuns(ctx context.Context, f IngestRunFilter) ([]IngestRunRow, int64, error) {
	q := db.Conn(ctx, false).Table("ingest_runs AS r").
		Joins("JOIN ingest_sources s ON s.id = r.source_id").Joins("JOIN evidence e ON e.id = r.evidence_id")
	if f.SourceID != 0 {
		q = q.Where("r.source_id = ?", f.SourceID)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []IngestRunRow
	err := q.Select("r.*, s.name AS source_name, e.deleted_at IS NOT NULL AS evidence_deleted").
		Order("r.scanned_at DESC, r.id DESC").Limit(f.Limit).Offset(f.Offset).Scan(&rows).Error
	return rows, total, err
}

// IngestRunCheckRow is a check's counts in a run, with the check's title.
type IngestRunCheckRow struct {
	IngestRunCheck
	Title string
}

// IngestRunChecks lists the checks of some runs with their counts.
func (db *DB) IngestRunChecks(ctx context.Context, runIDs []int64) ([]IngestRunCheckRow, error) {
	var rows []IngestRunCheckRow
	err := db.Conn(ctx, false).Table("ingest_run_checks AS rc").Select("rc.*, c.title").
		Joins("JOIN ingest_checks c ON c.check_id = rc.check_id").
		Where("rc.run_id IN ?", idsOrNone(runIDs)).Order("rc.run_id, rc.check_id").Scan(&rows).Error
	return rows, err
}

// IngestChecks lists every check seen, by id.
func (db *DB) IngestChecks(ctx context.Context) ([]IngestCheck, error) {
	var rows []IngestCheck
	err := db.Conn(ctx, false).Order("check_id").Find(&rows).Error
	return rows, err
}
