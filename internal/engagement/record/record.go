package record

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/workbook"
	"github.com/socmap/socmap/internal/store"
)

// recordContent is the record's stored form.
type recordContent struct {
	Summary     [][]cell
	Sheets      []recordSheet
	Entries     []PackageEntry
	Populations []recordPopulation
}

type recordSheet struct {
	Name    string
	Columns []exports.Column
	Rows    [][]cell
}

type recordPopulation struct {
	ControlRef string
	Name       string
	UploadedAt time.Time
	Sheet      recordSheet
}

// cell is one workbook value with its Go type, so the sheet written from
// the record is the one written from the database.
type cell struct {
	S *string    `json:"s,omitempty"` // text
	I *int64     `json:"i,omitempty"` // integer
	F *float64   `json:"f,omitempty"` // decimal
	P *float64   `json:"p,omitempty"` // exports.Percent
	H *string    `json:"h,omitempty"` // exports.Heading
	T *time.Time `json:"t,omitempty"` // a time
	D *string    `json:"d,omitempty"` // a civil date
}

func encodeCell(v any) cell {
	switch x := v.(type) {
	case nil:
		return cell{}
	case *string:
		if x == nil {
			return cell{}
		}
		return encodeCell(*x)
	case *int64:
		if x == nil {
			return cell{}
		}
		return encodeCell(*x)
	case *civil.Date:
		if x == nil {
			return cell{}
		}
		return encodeCell(*x)
	case string:
		return cell{S: &x}
	case exports.Heading:
		s := string(x)
		return cell{H: &s}
	case exports.Percent:
		f := float64(x)
		return cell{P: &f}
	case int:
		i := int64(x)
		return cell{I: &i}
	case int32:
		i := int64(x)
		return cell{I: &i}
	case int64:
		return cell{I: &x}
	case uint:
		i := int64(x)
		return cell{I: &i}
	case uint32:
		i := int64(x)
		return cell{I: &i}
	case uint64:
		i := int64(x)
		return cell{I: &i}
	case float32:
		f := float64(x)
		return cell{F: &f}
	case float64:
		return cell{F: &x}
	case time.Time:
		return cell{T: &x}
	case civil.Date:
		if x.IsZero() {
			return cell{}
		}
		s := x.String()
		return cell{D: &s}
	}
	s := fmt.Sprint(v)
	return cell{S: &s}
}

func (c cell) value() any {
	switch {
	case c.S != nil:
		return *c.S
	case c.I != nil:
		return *c.I
	case c.F != nil:
		return *c.F
	case c.P != nil:
		return exports.Percent(*c.P)
	case c.H != nil:
		return exports.Heading(*c.H)
	case c.T != nil:
		return *c.T
	case c.D != nil:
		d, err := civil.Parse(*c.D)
		if err != nil {
			return *c.D
		}
		return d
	}
	return nil
}

func encodeRows(rows [][]any) [][]cell {
	out := make([][]cell, len(rows))
	for i, r := range rows {
		out[i] = make([]cell, len(r))
		for j, v := range r {
			out[i][j] = encodeCell(v)
		}
	}
	return out
}

func decodeRows(rows [][]cell) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = make([]any, len(r))
		for j, c := range r {
			out[i][j] = c.value()
		}
	}
	return out
}

// encodeTable reads every row of a table, streamed or not.
func encodeTable(t exports.Table) (recordSheet, error) {
	var rows [][]any
	err := t.Each(func(row []any) error {
		rows = append(rows, append([]any(nil), row...))
		return nil
	})
	return recordSheet{Name: t.Name, Columns: t.Columns, Rows: encodeRows(rows)}, err
}

func (r recordSheet) table() exports.Table {
	return exports.Table{Name: r.Name, Columns: r.Columns, Rows: decodeRows(r.Rows)}
}

// Take keeps what the engagement's report rests on now.
func (s *Service) Take(ctx context.Context, id int64) error {
	summary, tables, err := s.workbook.Live(ctx, id, "")
	if err != nil {
		return err
	}
	var content recordContent
	sum := summary(exports.Written{})
	content.Summary = encodeRows(sum.Rows[:len(sum.Rows)-len(workbook.Footer(exports.Written{}, ""))])
	for _, t := range tables {
		sheet, err := encodeTable(t)
		if err != nil {
			return err
		}
		content.Sheets = append(content.Sheets, sheet)
	}
	if content.Entries, err = s.livePackageEntries(ctx, id); err != nil {
		return err
	}
	pops, err := s.livePopulationFiles(ctx, id)
	if err != nil {
		return err
	}
	for _, p := range pops {
		sheet, err := encodeTable(p.Table)
		if err != nil {
			return err
		}
		content.Populations = append(content.Populations, recordPopulation{ControlRef: p.ControlRef, Name: p.Name, UploadedAt: p.UploadedAt, Sheet: sheet})
	}
	data, err := json.Marshal(content)
	if err != nil {
		return err
	}
	sha := sha256.Sum256(data)
	return s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.eng.Head(ctx, id)
		if err != nil {
			return err
		}
		rec := store.EngagementRecord{EngagementID: id, Status: e.Status, TakenAt: s.eng.Now(), TakenBy: auditlog.ActorFrom(ctx).UserID,
			Content: string(data), ContentSHA256: hex.EncodeToString(sha[:])}
		var relied []store.RecordEvidence
		seen := map[[2]any]bool{}
		for _, en := range content.Entries {
			key := [2]any{en.ControlRef, en.EvidenceID}
			if seen[key] {
				continue
			}
			seen[key] = true
			relied = append(relied, store.RecordEvidence{ControlRef: en.ControlRef, EvidenceID: en.EvidenceID,
				Kind: en.Kind, Name: en.Name, SHA256: en.SHA256, UploadedAt: en.UploadedAt})
		}
		if err := s.st.CreateRecord(ctx, &rec, relied); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.record", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"record_id": {After: rec.ID},
				"status": {After: e.Status}, "sha256": {After: rec.ContentSHA256}, "evidence": {After: len(seen)}}})
	})
}

// Current is the record a locked engagement's deliverables are
// built from; ok is false when it has none (it is not locked).
func (s *Service) Current(ctx context.Context, id int64) (store.EngagementRecord, bool, error) {
	r, err := s.st.CurrentRecord(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return r, false, nil
	}
	return r, err == nil, err
}

// lockedContent is the record of a locked engagement and its status,
// taken now if it has none yet (an engagement locked before records were
// kept, or whose record could not be taken when it was locked); the
// status is "" for an engagement that is not locked.
func (s *Service) lockedContent(ctx context.Context, id int64) (recordContent, string, error) {
	var c recordContent
	d, err := s.eng.Get(ctx, id)
	if err != nil || !engagement.Locked(d.Status) {
		return c, "", err
	}
	rec, ok, err := s.Current(ctx, id)
	if err != nil {
		return c, "", err
	}
	if !ok {
		if err := s.Take(ctx, id); err != nil {
			return c, "", err
		}
		if rec, _, err = s.Current(ctx, id); err != nil {
			return c, "", err
		}
	}
	return c, d.Status, json.Unmarshal([]byte(rec.Content), &c)
}

// recordWorkbook is the workbook written from a record; its Summary says
// the engagement's status now (reporting, issued or closed).
func recordWorkbook(c recordContent, status, version string) (func(exports.Written) exports.Table, []exports.Table) {
	tables := make([]exports.Table, len(c.Sheets))
	for i, sh := range c.Sheets {
		tables[i] = sh.table()
	}
	summary := func(w exports.Written) exports.Table {
		rows := decodeRows(c.Summary)
		for _, r := range rows {
			if len(r) == 2 && r[0] == "Status" {
				r[1] = exports.Words(status)
			}
		}
		rows = append(rows, workbook.Footer(w, version)...)
		return exports.Table{Name: "Summary", Columns: workbook.SummaryColumns, Rows: rows}
	}
	return summary, tables
}

func recordPopulations(c recordContent) []PopulationFile {
	out := make([]PopulationFile, len(c.Populations))
	for i, p := range c.Populations {
		out[i] = PopulationFile{ControlRef: p.ControlRef, Name: p.Name, UploadedAt: p.UploadedAt, Table: p.Sheet.table()}
	}
	return out
}

// Workbook assembles the auditor's workbook of an engagement: the sheets
// (Summary first, built by summary once the others are written) in the
// order a senior auditor expects them. A locked engagement's workbook is
// written from its point-in-time record.
func (s *Service) Workbook(ctx context.Context, id int64, version string) (func(exports.Written) exports.Table, []exports.Table, error) {
	rec, status, err := s.lockedContent(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if status == "" {
		return s.workbook.Live(ctx, id, version)
	}
	summary, tables := recordWorkbook(rec, status, version)
	return summary, tables, nil
}
