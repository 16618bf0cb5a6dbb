package record

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
	ids, err := s.eng.IncludedIDs(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.st.PackageRows(ctx, id, ids)
	out := make([]PackageEntry, len(rows))
	for i, r := range rows {
		out[i] = PackageEntry{ControlRef: r.ControlRef, EvidenceID: r.EvidenceID, Kind: r.Kind, Name: r.Name,
			SHA256: r.SHA256, Note: r.Note, UploadedAt: r.CreatedAt}
		if r.FileUploadedAt != nil {
			out[i].UploadedAt = *r.FileUploadedAt
		}
	}
	return out, err
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
	d, err := s.eng.Get(ctx, id)
	if err != nil || d.ReportType != "type2" {
		return nil, err
	}
	ids, err := s.eng.IncludedIDs(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []PopulationFile
	for _, cid := range ids {
		w, err := s.eng.Work(ctx, id, cid)
		if err != nil {
			return nil, err
		}
		ref, err := s.st.ControlRefOf(ctx, cid)
		if err != nil {
			return nil, err
		}
		for _, p := range w.Populations {
			items, err := s.st.PopulationItemsOf(ctx, p.ID)
			if err != nil {
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
