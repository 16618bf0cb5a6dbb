package requests

import (
	"context"

	"github.com/socmap/socmap/internal/store"
)

// Get returns one live request of an engagement with everything it names.
func (s *Service) Get(ctx context.Context, engagementID int64, number int) (Detail, error) {
	r, err := s.load(ctx, engagementID, number)
	if err != nil {
		return Detail{}, err
	}
	list, err := s.fill(ctx, []store.Request{r})
	if err != nil {
		return Detail{}, err
	}
	return list[0], nil
}

// List returns an engagement's live requests by number, filtered.
func (s *Service) List(ctx context.Context, f store.RequestFilter) ([]Detail, error) {
	rows, err := s.db.Requests(ctx, f)
	if err != nil {
		return nil, err
	}
	return s.fill(ctx, rows)
}

// fill loads the parts of many requests with one query per part.
func (s *Service) fill(ctx context.Context, rows []store.Request) ([]Detail, error) {
	ids := make([]int64, len(rows))
	out := make([]Detail, len(rows))
	at := map[int64]*Detail{}
	for i, r := range rows {
		ids[i] = r.ID
		out[i] = Detail{Request: r, Ref: Ref(r.Number), Controls: []store.RequestControlRef{},
			Items: []store.RequestItemRef{}, Evidence: []store.RequestEvidenceRef{}, Comments: []Comment{}, History: []store.TransitionRow{}}
		at[r.ID] = &out[i]
	}
	controls, err := s.db.RequestControls(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range controls {
		at[c.RequestID].Controls = append(at[c.RequestID].Controls, c)
	}
	items, err := s.db.RequestSampleItems(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		at[it.RequestID].Items = append(at[it.RequestID].Items, it)
	}
	ev, err := s.db.RequestEvidenceOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, e := range ev {
		at[e.RequestID].Evidence = append(at[e.RequestID].Evidence, e)
	}
	history, err := s.db.RequestTransitions(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, t := range history {
		at[t.RequestID].History = append(at[t.RequestID].History, t)
	}
	if err := s.fillComments(ctx, ids, at); err != nil {
		return nil, err
	}
	return out, s.fillOwners(ctx, out)
}

func (s *Service) fillComments(ctx context.Context, ids []int64, at map[int64]*Detail) error {
	comments, err := s.db.RequestComments(ctx, ids)
	if err != nil {
		return err
	}
	commentIDs := make([]int64, len(comments))
	for i, c := range comments {
		commentIDs[i] = c.ID
	}
	files, err := s.db.RequestCommentFiles(ctx, commentIDs)
	if err != nil {
		return err
	}
	filesOf := map[int64][]store.RequestCommentFile{}
	for _, f := range files {
		filesOf[f.CommentID] = append(filesOf[f.CommentID], f)
	}
	for _, c := range comments {
		fs := filesOf[c.ID]
		if fs == nil {
			fs = []store.RequestCommentFile{}
		}
		at[c.RequestID].Comments = append(at[c.RequestID].Comments, Comment{CommentRow: c, Files: fs})
	}
	return nil
}

func (s *Service) fillOwners(ctx context.Context, out []Detail) error {
	emails := map[int64]string{}
	for i := range out {
		id := out[i].OwnerID
		if id == nil {
			continue
		}
		if _, ok := emails[*id]; !ok {
			u, err := s.db.UserByID(ctx, *id)
			if err != nil {
				return err
			}
			emails[*id] = u.Email
		}
		out[i].OwnerEmail = emails[*id]
	}
	return nil
}

// Page returns one page of an engagement's live requests by number,
// filtered, and how many match in all.
func (s *Service) Page(ctx context.Context, f store.RequestFilter, limit, offset int) ([]Detail, int64, error) {
	rows, total, err := s.db.RequestsPage(ctx, f, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	list, err := s.fill(ctx, rows)
	return list, total, err
}
