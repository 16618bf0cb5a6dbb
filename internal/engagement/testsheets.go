package engagement

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/socmap/socmap/exports"
)

// userEmails names every user by e-mail address, for who uploaded or
// generated what.
func (s *Service) userEmails(ctx context.Context) (map[int64]string, error) {
	users, err := s.db.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(users))
	for _, u := range users {
		out[u.ID] = u.Email
	}
	return out, nil
}

// populations is one row per control's current population: what the
// sample was drawn from and how the auditor knows it is complete.
func (b sheetBuilder) populations() exports.Table {
	var rows [][]any
	period := deref(b.d.PeriodStart) + " to " + deref(b.d.PeriodEnd)
	for _, c := range b.controls {
		p := b.work[c.ID].Population
		if p == nil {
			continue
		}
		by := ""
		if p.UploadedBy != nil {
			by = b.users[*p.UploadedBy]
		}
		rows = append(rows, []any{c.Ref, period, p.Source, p.Query, p.FileName, by, p.UploadedAt.UTC().Format(time.DateOnly), p.ItemCount})
	}
	return exports.Table{Name: "Populations", Columns: []exports.Column{{Header: "Control", Width: 12},
		{Header: "Period", Width: 24}, {Header: "Source", Width: 24}, {Header: "Query", Width: 40}, {Header: "File", Width: 24},
		{Header: "Uploaded by", Width: 24}, {Header: "Uploaded on", Width: 12, Kind: exports.Date},
		{Header: "Record count", Width: 10, Kind: exports.Number}}, Rows: rows}
}

// samples is one row per sampled item with one column per attribute
// tested (the attributes of every sample of the engagement, in the order
// first met): an item not yet tested has blank attribute and exception
// cells, not "No".
func (b sheetBuilder) samples() (exports.Table, error) {
	var attributes []string
	for _, c := range b.controls {
		for _, smp := range b.work[c.ID].Samples {
			var names []string
			if err := json.Unmarshal([]byte(smp.Attributes), &names); err != nil {
				return exports.Table{}, fmt.Errorf("sample %d attributes: %w", smp.ID, err)
			}
			for _, n := range names {
				if !slices.Contains(attributes, n) {
					attributes = append(attributes, n)
				}
			}
		}
	}
	var rows [][]any
	for _, c := range b.controls {
		for _, smp := range b.work[c.ID].Samples {
			for _, it := range b.work[c.ID].Items[smp.ID] {
				var results map[string]string
				if err := json.Unmarshal([]byte(it.Results), &results); err != nil {
					return exports.Table{}, fmt.Errorf("sample %d item %d results: %w", smp.ID, it.Seq, err)
				}
				row := []any{c.Ref, smp.ID, smp.Seed, smp.Method, it.ItemID, it.ItemDate}
				for _, a := range attributes {
					var outcome any // blank until tested
					if w, ok := outcomeWords[results[a]]; ok {
						outcome = w
					}
					row = append(row, outcome)
				}
				var exception any
				if len(results) > 0 {
					exception = yesNo(it.Exception)
				}
				rows = append(rows, append(row, exception, it.Notes))
			}
		}
	}
	cols := []exports.Column{{Header: "Control", Width: 12}, {Header: "Sample", Width: 8, Kind: exports.Number},
		{Header: "Seed", Width: 20}, {Header: "Selection method", Width: 24}, {Header: "Item", Width: 14},
		{Header: "Item date", Width: 12, Kind: exports.Date}}
	for _, a := range attributes {
		cols = append(cols, exports.Column{Header: a, Width: 14, Choices: []string{"Pass", "Fail", "Not applicable"}})
	}
	cols = append(cols, exports.Column{Header: "Exception", Width: 10, Choices: []string{"Yes", "No"}},
		exports.Column{Header: "Notes", Width: 36})
	return exports.Table{Name: "Samples", Columns: cols, Rows: rows}, nil
}

// outcomeWords are an attribute's stored outcomes in words; "" (not
// tested) stays blank.
var outcomeWords = map[string]string{"pass": "Pass", "fail": "Fail", "na": "Not applicable"}
