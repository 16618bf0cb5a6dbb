package workbook

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/socmap/socmap/exports"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

var requestKindWords = map[string]string{"population": "Population", "sample_evidence": "Sample evidence",
	"document": "Document", "configuration": "Configuration or point-in-time", "walkthrough": "Walkthrough", "other": "Other"}

// RequestsTable is the engagement's request list as it stands: one row per
// request record, under its stable ID, so two exports name a request the
// same way. It is the workbook's Requests sheet and the request list's
// own XLSX and CSV.
func (s *Service) RequestsTable(ctx context.Context, id int64) (exports.Table, error) {
	rows, err := s.requestRows(ctx, id)
	if err != nil {
		return exports.Table{}, err
	}
	return exports.Table{Name: engagement.RequestsSheet, Columns: []exports.Column{{Header: "Request ID", Width: 11},
		{Header: "Auditor ref", Width: 12}, {Header: "Type", Width: 16}, {Header: "Phase", Width: 9, Words: true},
		{Header: "Controls", Width: 14}, {Header: "What is needed", Width: 50}, {Header: "Owner", Width: 24},
		{Header: "Due", Width: 11, Kind: exports.Date},
		{Header: "Status", Width: 11, Choices: []string{"open", "submitted", "returned", "accepted"}, Words: true},
		{Header: "Requested", Width: 11, Kind: exports.Date}, {Header: "Submitted", Width: 11, Kind: exports.Date},
		{Header: "Accepted", Width: 11, Kind: exports.Date}, {Header: "Evidence IDs", Width: 14},
		{Header: "Evidence files", Width: 30}, {Header: "Last comment", Width: 40}}, Rows: rows}, nil
}

func (s *Service) requestRows(ctx context.Context, id int64) ([][]any, error) {
	list, err := s.st.Requests(ctx, store.RequestFilter{EngagementID: id})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	controls, err := s.st.RequestControls(ctx, ids)
	if err != nil {
		return nil, err
	}
	evidence, err := s.st.RequestEvidenceOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	comments, err := s.st.RequestComments(ctx, ids)
	if err != nil {
		return nil, err
	}
	refs, evIDs, evNames, last := map[int64][]string{}, map[int64][]string{}, map[int64][]string{}, map[int64]string{}
	for _, c := range controls {
		refs[c.RequestID] = append(refs[c.RequestID], c.Ref)
	}
	for _, e := range evidence {
		evIDs[e.RequestID] = append(evIDs[e.RequestID], fmt.Sprint(e.EvidenceID))
		evNames[e.RequestID] = append(evNames[e.RequestID], orTitle(e))
	}
	for _, c := range comments {
		last[c.RequestID] = c.Body // oldest first: the last one wins
	}
	owners := map[int64]string{}
	rows := make([][]any, len(list))
	for i, r := range list {
		owner, err := s.ownerEmail(ctx, r.OwnerID, owners)
		if err != nil {
			return nil, err
		}
		rows[i] = []any{store.RequestRef(r.Number), r.AuditorRef, requestKindWords[r.Kind], r.Phase,
			strings.Join(refs[r.ID], ", "), r.Description, owner, r.DueOn, r.Status, day(&r.RequestedAt),
			day(r.SubmittedAt), day(r.AcceptedAt), strings.Join(evIDs[r.ID], ", "), strings.Join(evNames[r.ID], ", "), last[r.ID]}
	}
	return rows, nil
}

func orTitle(e store.RequestEvidenceRef) string {
	if e.FileName != "" {
		return e.FileName
	}
	return e.Title
}

func (s *Service) ownerEmail(ctx context.Context, id *int64, seen map[int64]string) (string, error) {
	if id == nil {
		return "", nil
	}
	if e, ok := seen[*id]; ok {
		return e, nil
	}
	u, err := s.st.UserByID(ctx, *id)
	if err != nil {
		return "", err
	}
	seen[*id] = u.Email
	return u.Email, nil
}

// day is a timestamp's UTC date, or nil.
func day(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.DateOnly)
}
