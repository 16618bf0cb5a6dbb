package engagement

import (
	"context"
	"time"

	"github.com/socmap/socmap/exports"
)

// PackageEntry is an evidence item of an in-scope control, for the
// evidence package: one entry per control it supports. A file is the
// revision the conclusion relies on (else the newest); a note is its text.
type PackageEntry struct {
	ControlRef string
	EvidenceID int64
	Kind       string // file or note
	Name       string // the file's name, or the note's title
	SHA256     string // files only
	Note       string // notes only
	UploadedAt time.Time
}

// packageRow is a PackageEntry as read: the file's upload time, or the
// evidence's creation for a note (SQLite returns a COALESCE of the two
// as text, so they are read apart).
type packageRow struct {
	PackageEntry
	FileUploadedAt *time.Time
	CreatedAt      time.Time
}

// PackageEntries lists every live file and note evidence of the
// engagement's in-scope controls, with the time each was uploaded; for a
// locked engagement, those of its point-in-time record.
func (s *Service) PackageEntries(ctx context.Context, id int64) ([]PackageEntry, error) {
	rec, status, err := s.lockedContent(ctx, id)
	if err != nil || status != "" {
		return rec.Entries, err
	}
	return s.livePackageEntries(ctx, id)
}

func (s *Service) livePackageEntries(ctx context.Context, id int64) ([]PackageEntry, error) {
	ids, err := s.includedIDs(ctx, id)
	if err != nil {
		return nil, err
	}
	var rows []packageRow
	err = s.db.R.WithContext(ctx).Table("evidence_controls AS ec").
		Select("c.ref AS control_ref, e.id AS evidence_id, e.kind, COALESCE(f.original_name, e.title) AS name, "+
			"COALESCE(f.sha256, '') AS sha256, e.note, f.uploaded_at AS file_uploaded_at, e.created_at").
		Joins("JOIN controls c ON c.id = ec.control_id").
		Joins("JOIN evidence e ON e.id = ec.evidence_id").
		// The revision the conclusion was pinned to, else the newest.
		Joins("LEFT JOIN evidence_files f ON f.evidence_id = e.id AND f.revision = COALESCE("+
			"(SELECT ee.revision FROM engagement_evidence ee WHERE ee.engagement_id = ? AND ee.control_id = ec.control_id AND ee.evidence_id = e.id), "+
			"(SELECT MAX(revision) FROM evidence_files WHERE evidence_id = e.id))", id).
		Where("ec.control_id IN ? AND e.deleted_at IS NULL AND (e.kind = 'note' OR f.id IS NOT NULL)", ids).
		Order("c.ref, e.id").Scan(&rows).Error
	out := make([]PackageEntry, len(rows))
	for i, r := range rows {
		out[i] = r.PackageEntry
		out[i].UploadedAt = r.CreatedAt
		if r.FileUploadedAt != nil {
			out[i].UploadedAt = *r.FileUploadedAt
		}
	}
	return out, err
}

func (s *Service) includedIDs(ctx context.Context, id int64) ([]int64, error) {
	scoped, err := s.Controls(ctx, id)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, c := range scoped {
		if c.Included {
			ids = append(ids, c.ID)
		}
	}
	return ids, nil
}

// PopulationFile is a control's current population as the package ships
// it: the items socmap holds, as a CSV table.
type PopulationFile struct {
	ControlRef string
	Name       string
	UploadedAt time.Time
	Table      exports.Table
}

// PopulationFiles lists the current populations of the in-scope
// controls; for a locked engagement, those of its point-in-time record.
func (s *Service) PopulationFiles(ctx context.Context, id int64) ([]PopulationFile, error) {
	rec, status, err := s.lockedContent(ctx, id)
	if err != nil || status != "" {
		return recordPopulations(rec), err
	}
	return s.livePopulationFiles(ctx, id)
}

func (s *Service) livePopulationFiles(ctx context.Context, id int64) ([]PopulationFile, error) {
	d, err := s.Get(ctx, id)
	if err != nil || d.ReportType != "type2" {
		return nil, err
	}
	ids, err := s.includedIDs(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []PopulationFile
	for _, cid := range ids {
		w, err := s.Work(ctx, id, cid)
		if err != nil {
			return nil, err
		}
		var ref string
		if err := s.db.R.WithContext(ctx).Table("controls").Where("id = ?", cid).Pluck("ref", &ref).Error; err != nil {
			return nil, err
		}
		for _, p := range w.Populations {
			var items []populationItem
			if err := s.db.R.WithContext(ctx).Where("population_id = ?", p.ID).Order("seq").Find(&items).Error; err != nil {
				return nil, err
			}
			rows := make([][]any, len(items))
			for i, it := range items {
				rows[i] = []any{it.Seq, it.ItemID, it.ItemDate, it.Description}
			}
			out = append(out, PopulationFile{ControlRef: ref, Name: p.Phase + "-" + p.FileName, UploadedAt: p.UploadedAt,
				Table: exports.Table{Name: "Population", Columns: []exports.Column{{Header: "Seq", Kind: exports.Number},
					{Header: "Item"}, {Header: "Date", Kind: exports.Date}, {Header: "Description"}}, Rows: rows}})
		}
	}
	return out, nil
}
