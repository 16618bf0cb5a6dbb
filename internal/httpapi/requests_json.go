package httpapi

import (
	"time"

	"github.com/socmap/socmap/internal/requests"
)

// requestView is an auditor's request as every request route answers it.
type requestView struct {
	Ref          string                `json:"ref"`
	Number       int                   `json:"number"`
	EngagementID int64                 `json:"engagement_id"`
	AuditorRef   string                `json:"auditor_ref"`
	Type         string                `json:"type" enum:"request_type"`
	Phase        string                `json:"phase" enum:"request_phase"`
	Description  string                `json:"description"`
	OwnerID      *int64                `json:"owner_id"`
	OwnerEmail   string                `json:"owner_email"`
	DueOn        *string               `json:"due_on"`
	Status       string                `json:"status" enum:"request_status"`
	ReturnReason string                `json:"return_reason"`
	RequestedAt  time.Time             `json:"requested_at"`
	SubmittedAt  *time.Time            `json:"submitted_at"`
	AcceptedAt   *time.Time            `json:"accepted_at"`
	Generated    bool                  `json:"generated"` // made by generation, not by hand
	Controls     []controlIDRef        `json:"controls"`
	SampleItems  []requestItemJSON     `json:"sample_items"`
	Evidence     []requestEvidenceJSON `json:"evidence"`
	Comments     []requestCommentJSON  `json:"comments"`
	History      []requestStepJSON     `json:"history"` // oldest first
	Version      int64                 `json:"version"`
}

// controlIDRef names a control by its ID and reference.
type controlIDRef struct {
	ID  int64  `json:"id"`
	Ref string `json:"ref"`
}

// requestItemJSON is a selected sample item the request asks evidence for.
type requestItemJSON struct {
	SampleID int64   `json:"sample_id"`
	Seq      int     `json:"seq"`
	ItemID   string  `json:"item_id"`
	Date     *string `json:"date"`
}

type requestEvidenceJSON struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	FileName   string    `json:"file_name"`
	AttachedAt time.Time `json:"attached_at"`
}

type requestCommentJSON struct {
	ID        int64                    `json:"id"`
	Author    string                   `json:"author"` // the author's email
	Body      string                   `json:"body"`
	CreatedAt time.Time                `json:"created_at"`
	Files     []requestCommentFileJSON `json:"files"`
}

type requestCommentFileJSON struct {
	ID        int64  `json:"id"`
	FileName  string `json:"file_name"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	MediaType string `json:"media_type"`
}

// requestStepJSON is a step of a request's history: a submission,
// acceptance, return, or the undo of one (Undoes names it).
type requestStepJSON struct {
	ID     int64     `json:"id"`
	Action string    `json:"action" enum:"request_step"`
	From   string    `json:"from" enum:"request_status"`
	To     string    `json:"to" enum:"request_status"`
	By     string    `json:"by"` // the actor's email, "" when unknown
	At     time.Time `json:"at"`
	Undoes *int64    `json:"undoes"`
}

type requestOne struct {
	Request requestView `json:"request"`
}

// requestPage is one page of an engagement's requests.
type requestPage struct {
	Requests []requestView `json:"requests"`
	Total    int64         `json:"total"`
	Limit    int           `json:"limit"`
	Offset   int           `json:"offset"`
}

// requestsOwed are the requests the caller owes, across engagements.
type requestsOwed struct {
	Requests []requestView `json:"requests"`
}

// requestsGenerated are the requests generation added.
type requestsGenerated struct {
	Created []requestView `json:"created"`
}

// requestSubmitBody hands over evidence already kept, with a note.
type requestSubmitBody struct {
	EvidenceIDs []int64 `json:"evidence_ids"`
	Note        string  `json:"note"`
}

// requestCommentBody adds to a request's thread.
type requestCommentBody struct {
	Body string `json:"body"`
}

// emptyBody is the optional body of an action that needs nothing said.
type emptyBody struct{}

func requestJSON(d requests.Detail) requestView {
	out := requestView{Ref: d.Ref, Number: d.Number, EngagementID: d.EngagementID, AuditorRef: d.AuditorRef,
		Type: d.Kind, Phase: d.Phase, Description: d.Description, OwnerID: d.OwnerID, OwnerEmail: d.OwnerEmail,
		DueOn: d.DueOn, Status: d.Status, ReturnReason: d.ReturnReason, RequestedAt: d.RequestedAt,
		SubmittedAt: d.SubmittedAt, AcceptedAt: d.AcceptedAt, Generated: d.SourceKey != nil, Version: d.Version,
		Controls: make([]controlIDRef, len(d.Controls)), SampleItems: make([]requestItemJSON, len(d.Items)),
		Evidence: make([]requestEvidenceJSON, len(d.Evidence)), Comments: make([]requestCommentJSON, len(d.Comments)),
		History: make([]requestStepJSON, len(d.History))}
	for i, c := range d.Controls {
		out.Controls[i] = controlIDRef{ID: c.ControlID, Ref: c.Ref}
	}
	for i, it := range d.Items {
		out.SampleItems[i] = requestItemJSON{SampleID: it.SampleID, Seq: it.Seq, ItemID: it.ItemID, Date: it.ItemDate}
	}
	for i, e := range d.Evidence {
		out.Evidence[i] = requestEvidenceJSON{ID: e.EvidenceID, Title: e.Title, Kind: e.Kind, FileName: e.FileName, AttachedAt: e.AttachedAt}
	}
	for i, c := range d.Comments {
		files := make([]requestCommentFileJSON, len(c.Files))
		for j, f := range c.Files {
			files[j] = requestCommentFileJSON{ID: f.ID, FileName: f.OriginalName, Size: f.Size, SHA256: f.SHA256, MediaType: f.MediaType}
		}
		out.Comments[i] = requestCommentJSON{ID: c.ID, Author: c.AuthorEmail, Body: c.Body, CreatedAt: c.CreatedAt, Files: files}
	}
	for i, t := range d.History {
		out.History[i] = requestStepJSON{ID: t.ID, Action: t.Action, From: t.FromStatus, To: t.ToStatus, By: t.ActorEmail, At: t.At, Undoes: t.Undoes}
	}
	return out
}

func requestsOf(list []requests.Detail) []requestView {
	out := make([]requestView, len(list))
	for i, d := range list {
		out[i] = requestJSON(d)
	}
	return out
}
