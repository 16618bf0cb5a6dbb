// Package reporting produces an engagement's deliverables for auditors —
// the workbook and the evidence package — for both the web API and the
// command line, so they are the same file whichever way they are asked for.
package reporting

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/record"
	"github.com/socmap/socmap/internal/engagement/workbook"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/version"
)

// Reporter writes deliverables; TmpDir (under the data directory) holds
// the workbook while a package is assembled.
type Reporter struct {
	Engagements *engagement.Service
	DB          *store.DB
	Blobs       blob.Store
	TmpDir      string
	// Notary, when set, signs a checkpoint of the audit trail after every
	// export, so the entry recording it is covered at once.
	Notary *auditlog.Notary
	// organisation: the deliverable is for the organisation's users, who
	// do not see the samples a service auditor has not requested yet.
	organisation bool
}

// ForOrganisation is r writing for the organisation's users rather than
// for the auditors (or the operator at the command line).
func (r Reporter) ForOrganisation() Reporter {
	r.organisation = true
	return r
}

// records gives the deliverables of locked engagements from their records.
func (r Reporter) records() *record.Service { return record.NewService(r.DB, r.Engagements) }

// sheets are the engagement's workbook sheets as r's reader may see them.
func (r Reporter) sheets(ctx context.Context, id int64) (func(exports.Written) exports.Table, []exports.Table, error) {
	summary, tables, err := r.records().Workbook(ctx, id, version.Version)
	if err == nil && r.organisation {
		tables, err = r.Engagements.SheetsSeenByOrganisation(ctx, id, tables)
	}
	return summary, tables, err
}

// workbookFile writes the workbook to a temporary file under TmpDir (the
// stream writer keeps large sheets on disk too) and returns it rewound;
// the caller closes and removes it.
func (r Reporter) workbookFile(ctx context.Context, id int64) (*os.File, exports.Written, error) {
	d, err := r.Engagements.Get(ctx, id)
	if err != nil {
		return nil, exports.Written{}, err
	}
	summary, tables, err := r.sheets(ctx, id)
	if err != nil {
		return nil, exports.Written{}, err
	}
	if err := os.MkdirAll(r.TmpDir, 0o750); err != nil {
		return nil, exports.Written{}, err
	}
	tmp, err := os.CreateTemp(r.TmpDir, "workbook-*.xlsx")
	if err != nil {
		return nil, exports.Written{}, err
	}
	org, err := r.Engagements.OrganisationName(ctx)
	if err != nil {
		return nil, exports.Written{}, err
	}
	page := exports.Page{Organisation: org, Title: d.PrintTitle(), Generated: time.Now()}
	written, err := exports.WriteWorkbook(tmp, page, summary, tables)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, written, err
	}
	return tmp, written, nil
}

// Workbook writes the engagement's workbook to w and records the export.
// Nothing reaches w until the workbook is complete.
func (r Reporter) Workbook(ctx context.Context, id int64, w io.Writer) error {
	tmp, written, err := r.workbookFile(ctx, id)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	return r.deliver(ctx, id, "workbook", len(written.Shortened), w, func(w io.Writer) error {
		_, err := io.Copy(w, tmp)
		return err
	})
}

// Package writes the evidence package (workbook, evidence files by
// control, manifest.sha256) to w and records the export.
func (r Reporter) Package(ctx context.Context, id int64, w io.Writer) error {
	entries, err := r.records().PackageEntries(ctx, id)
	if err != nil {
		return err
	}
	tmp, written, err := r.workbookFile(ctx, id)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	files := []exports.PackageFile{{Path: "workbook.xlsx", Open: func() (io.ReadCloser, error) { return io.NopCloser(tmp), nil }}}
	refs := make([]string, len(entries))
	for i, e := range entries {
		refs[i] = e.ControlRef
	}
	pops, err := r.records().PopulationFiles(ctx, id)
	if err != nil {
		return err
	}
	for _, p := range pops {
		refs = append(refs, p.ControlRef)
	}
	folders := exports.UniqueFolders(refs)
	for _, e := range entries {
		files = append(files, r.evidenceFile(ctx, folders[e.ControlRef], e))
	}
	for _, p := range pops {
		files = append(files, exports.PackageFile{
			Path:     exports.SafePath(folders[p.ControlRef], "population-"+strings.TrimSuffix(p.Name, ".csv")+".csv"),
			Modified: p.UploadedAt,
			Open: func() (io.ReadCloser, error) {
				return generated(func(w io.Writer) error { return exports.WriteCSV(w, p.Table) })
			},
		})
	}
	return r.deliver(ctx, id, "evidence package", len(written.Shortened), w, func(w io.Writer) error {
		return exports.WritePackage(w, files, time.Now().UTC())
	})
}

// evidenceFile is one evidence item in the package: a file's relied-on
// revision from the blob store, checked against its hash, or a note as a
// text file; each dated when it was uploaded.
func (r Reporter) evidenceFile(ctx context.Context, folder string, e record.PackageEntry) exports.PackageFile {
	if e.Kind == "note" {
		return exports.PackageFile{Path: exports.SafePath(folder, fmt.Sprintf("%d-%s.txt", e.EvidenceID, e.Name)), Modified: e.UploadedAt,
			Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(e.Note)), nil }}
	}
	sha := e.SHA256
	return exports.PackageFile{Path: exports.SafePath(folder, fmt.Sprintf("%d-%s", e.EvidenceID, e.Name)), SHA256: sha,
		Modified: e.UploadedAt, Open: func() (io.ReadCloser, error) { return r.Blobs.Open(ctx, sha) }}
}

// generated is a file written by write, read back as the package copies it.
func generated(write func(io.Writer) error) (io.ReadCloser, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return nil, err
	}
	return io.NopCloser(&b), nil
}

// Requests writes the engagement's request list as an XLSX workbook: the
// workbook's Requests sheet, printed like it, after a summary of what the
// list is and how many requests stand in each status.
func (r Reporter) Requests(ctx context.Context, id int64, w io.Writer) error {
	d, err := r.Engagements.Get(ctx, id)
	if err != nil {
		return err
	}
	list, err := workbook.NewService(r.DB, r.Engagements).RequestsTable(ctx, id)
	if err != nil {
		return err
	}
	org, err := r.Engagements.OrganisationName(ctx)
	if err != nil {
		return err
	}
	status := slices.IndexFunc(list.Columns, func(c exports.Column) bool { return c.Header == "Status" })
	counts := map[string]int{}
	for _, row := range list.Rows {
		counts[fmt.Sprint(row[status])]++
	}
	now := time.Now()
	summary := func(written exports.Written) exports.Table {
		rows := [][]any{{"Organisation", org}, {"Engagement", d.Name}, {"Testing", d.TestedBy()}, {"Requests", len(list.Rows)}}
		for _, s := range list.Columns[status].Choices {
			rows = append(rows, []any{"  " + exports.Words(s), counts[s]})
		}
		if len(written.Shortened) > 0 {
			rows = append(rows, []any{"Cells shortened to Excel's limit", strings.Join(written.Shortened, ", ")})
		}
		rows = append(rows, []any{"Generated at (UTC)", now.UTC().Format("2006-01-02 15:04:05")}, []any{"socmap version", version.Version})
		return exports.Table{Name: "Summary", Columns: []exports.Column{{Header: "Item", Width: 34}, {Header: "Value", Width: 60}}, Rows: rows}
	}
	page := exports.Page{Organisation: org, Title: d.PrintTitle(), Generated: now}
	return r.deliver(ctx, id, "request list XLSX", 0, w, func(w io.Writer) error {
		_, err := exports.WriteWorkbook(w, page, summary, []exports.Table{list})
		return err
	})
}

// CSV writes one sheet of the workbook, named in any case ("Control
// matrix", "evidence index", "Summary"), as CSV.
func (r Reporter) CSV(ctx context.Context, id int64, sheet string, w io.Writer) error {
	summary, tables, err := r.sheets(ctx, id)
	if err != nil {
		return err
	}
	tables = append([]exports.Table{summary(exports.Written{})}, tables...)
	names := make([]string, len(tables))
	for i, t := range tables {
		if strings.EqualFold(t.Name, strings.TrimSpace(sheet)) {
			return r.deliver(ctx, id, t.Name+" CSV", 0, w, func(w io.Writer) error { return exports.WriteCSV(w, t) })
		}
		names[i] = t.Name
	}
	return apperr.Invalid(fmt.Sprintf("no sheet %q; the workbook has: %s", sheet, strings.Join(names, ", ")),
		map[string]string{"sheet": "unknown sheet"})
}

// deliver writes a file to w and then records its export with the
// SHA-256 and size of the bytes handed over. A failure to record comes
// after the bytes: the HTTP handler then cuts the download off and the
// CLI does not keep the file, so no export goes unrecorded.
func (r Reporter) deliver(ctx context.Context, id int64, what string, shortened int, w io.Writer, write func(io.Writer) error) error {
	d := exports.NewDigest(w)
	if err := write(d); err != nil {
		return err
	}
	err := auditlog.Record(ctx, r.DB, auditlog.Export("engagement", fmt.Sprint(id), what, d.SHA256(), d.Size,
		map[string]auditlog.Change{"shortened_cells": {After: shortened}}))
	if err != nil || r.Notary == nil {
		return err
	}
	_, err = r.Notary.Checkpoint(ctx)
	return err
}
