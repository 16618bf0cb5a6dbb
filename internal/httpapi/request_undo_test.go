package httpapi_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// undoOut is a request with its history, as the undo tests read it.
type undoOut struct {
	Request struct {
		Status       string  `json:"status"`
		ReturnReason string  `json:"return_reason"`
		SubmittedAt  *string `json:"submitted_at"`
		AcceptedAt   *string `json:"accepted_at"`
		Version      int64   `json:"version"`
		Evidence     []struct {
			ID int64 `json:"id"`
		} `json:"evidence"`
		Comments []struct {
			Body string `json:"body"`
		} `json:"comments"`
		History []struct {
			ID     int64  `json:"id"`
			Action string `json:"action"`
			From   string `json:"from"`
			To     string `json:"to"`
			By     string `json:"by"`
			Undoes *int64 `json:"undoes"`
		} `json:"history"`
	} `json:"request"`
}

// lastStep is the id of the request's newest history entry.
func (o undoOut) lastStep(t *testing.T) int64 {
	t.Helper()
	h := o.Request.History
	if len(h) == 0 {
		t.Fatal("the request has no history")
	}
	return h[len(h)-1].ID
}

type undoFixture struct {
	p                    *program
	auditor, owner       session
	base, path, submitTo string
}

// newUndoFixture is one request about a control the owner owns, in an
// engagement granted to the auditor.
func newUndoFixture(t *testing.T, target storetest.Target) undoFixture {
	p := newProgram(t, target)
	f := undoFixture{p: p, auditor: signIn(t, p.svc, "auditor"), owner: signInAs(t, p.svc, "owner@example.com", "owner")}
	control := p.control("AC-01", fmt.Sprintf(`,"owner_id":%d`, userID(t, p.db, "owner@example.com")))
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"}]}`, control), 200, nil)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"H1","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
	p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/auditors", e.Engagement.ID), `{"auditors":["auditor@example.com"]}`, 200, nil)
	ev := fileEvidence(t, p, control, "leavers.csv", "L-1,L-2")
	f.base = fmt.Sprintf("/api/v1/engagements/%d/requests", e.Engagement.ID)
	p.call(f.auditor, "POST", f.base, fmt.Sprintf(`{"type":"population","control_ids":[%d],"owner_email":"owner@example.com"}`, control), 201, nil)
	f.path = f.base + "/REQ-001"
	f.submitTo = fmt.Sprintf(`{"evidence_ids":[%d],"note":"The leavers."}`, ev)
	return f
}

func (f undoFixture) do(s session, action, body string, want int) undoOut {
	var out undoOut
	f.p.call(s, "POST", f.path+action, body, want, &out)
	return out
}

func (f undoFixture) undo(s session, step int64, want int) undoOut {
	return f.do(s, "/undo", fmt.Sprintf(`{"transition":%d}`, step), want)
}

func (f undoFixture) get() undoOut {
	var out undoOut
	f.p.call(f.p.admin, "GET", f.path, "", 200, &out)
	return out
}

// Each transition is taken back by the undo of whoever may make it, to
// the state it came from, keeping the evidence and the thread; the undo
// is in the history and the audit trail.
func TestRequestUndoRestores(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			f := newUndoFixture(t, target)

			// A submission by mistake goes back to open; the evidence and the note stay.
			out := f.do(f.owner, "/submit", f.submitTo, 200)
			out = f.undo(f.owner, out.lastStep(t), 200)
			r := out.Request
			if r.Status != "open" || r.SubmittedAt != nil || len(r.Evidence) != 1 || len(r.Comments) != 1 {
				t.Errorf("after undoing the submission: %+v", r)
			}
			if h := r.History; len(h) != 2 || h[1].Action != "undo" || h[1].From != "submitted" || h[1].To != "open" ||
				h[1].By != "owner@example.com" || h[1].Undoes == nil || *h[1].Undoes != h[0].ID {
				t.Errorf("history after the undo: %+v", h)
			}

			// An acceptance by mistake goes back to submitted, with the submission's time.
			submitted := f.do(f.owner, "/submit", `{}`, 200).Request.SubmittedAt
			out = f.do(f.auditor, "/accept", "", 200)
			out = f.undo(f.auditor, out.lastStep(t), 200)
			if r := out.Request; r.Status != "submitted" || r.AcceptedAt != nil || r.SubmittedAt == nil || *r.SubmittedAt != *submitted {
				t.Errorf("after undoing the acceptance: %+v, submitted at %v", r, *submitted)
			}

			// A return goes back to submitted with no reason; its message stays in the thread.
			out = f.do(f.auditor, "/return", `{"reason":"June is missing."}`, 200)
			out = f.undo(f.auditor, out.lastStep(t), 200)
			if r := out.Request; r.Status != "submitted" || r.ReturnReason != "" || r.Comments[len(r.Comments)-1].Body != "Returned: June is missing." {
				t.Errorf("after undoing the return: %+v", r)
			}

			// A resubmission of a returned request goes back to returned, reason and first submission kept.
			f.do(f.auditor, "/return", `{"reason":"Still no June."}`, 200)
			out = f.do(f.owner, "/submit", `{}`, 200)
			out = f.undo(f.owner, out.lastStep(t), 200)
			if r := out.Request; r.Status != "returned" || r.ReturnReason != "Still no June." || r.SubmittedAt == nil || *r.SubmittedAt != *submitted {
				t.Errorf("after undoing the resubmission: %+v, first submitted at %v", r, *submitted)
			}

			var audit struct {
				Entries []struct {
					Changes map[string]struct {
						Before any `json:"before"`
						After  any `json:"after"`
					} `json:"changes"`
				} `json:"entries"`
			}
			f.p.call(f.auditor, "GET", "/api/v1/audit?action=request.undo", "", 200, &audit)
			if len(audit.Entries) != 4 {
				t.Fatalf("undo entries in the audit trail: %d, want 4", len(audit.Entries))
			}
			if st := audit.Entries[0].Changes["status"]; fmt.Sprint(st.Before, "→", st.After) != "submitted→returned" &&
				fmt.Sprint(st.Before, "→", st.After) != "submitted→open" {
				t.Errorf("an undo's audit entry: %+v", audit.Entries[0].Changes)
			}
		})
	}
}

// An undo is refused to a role that may not make the transition (403),
// once the request has moved on (409), and for a step it does not have
// (400); every refusal leaves the request as it was.
func TestRequestUndoRefused(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			f := newUndoFixture(t, target)
			p := f.p
			stranger := signInAs(t, p.svc, "stranger@example.com", "auditor")
			otherOwner := signInAs(t, p.svc, "other-owner@example.com", "owner")
			viewer := signIn(t, p.svc, "viewer")
			submit := f.do(f.owner, "/submit", f.submitTo, 200).lastStep(t)
			for who, c := range map[string]struct {
				s    session
				want int
			}{"the auditor": {f.auditor, 403}, "another owner": {otherOwner, 403}, "a viewer": {viewer, 403}, "an auditor not granted": {stranger, 404}} {
				if w := send(p.h, "POST", f.path+"/undo", fmt.Sprintf(`{"transition":%d}`, submit), c.s.headers()); w.Code != c.want {
					t.Errorf("%s undoes the submission: %d %s, want %d", who, w.Code, w.Body, c.want)
				}
			}
			accept := f.do(f.auditor, "/accept", "", 200).lastStep(t)
			before := f.get().Request
			f.undo(f.owner, accept, 403)
			f.undo(p.admin, submit, 409) // the acceptance came after it
			for name, body := range map[string]string{"no step": `{}`, "unknown step": `{"transition":999}`,
				"not JSON": `transition=1`, "unknown field": `{"transition":1,"to":"open"}`} {
				if w := send(p.h, "POST", f.path+"/undo", body, p.admin.headers()); w.Code != 400 {
					t.Errorf("%s: %d %s, want 400", name, w.Code, w.Body)
				}
			}
			if now := f.get().Request; now.Status != "accepted" || now.Version != before.Version || len(now.History) != 2 {
				t.Errorf("refusals changed the request: %+v, was %+v", now, before)
			}

			undo := f.undo(f.auditor, accept, 200).lastStep(t)
			f.undo(f.auditor, accept, 409) // already undone
			f.undo(f.auditor, undo, 409)   // an undo is not undone
			if now := f.get().Request; now.Status != "submitted" || len(now.History) != 3 {
				t.Errorf("after refused second undos: %+v", now)
			}
			w := send(p.h, "POST", f.path+"/undo", fmt.Sprintf(`{"transition":%d}`, accept), f.auditor.headers())
			var e struct {
				Error struct {
					Message string `json:"message"`
				} `json:"error"`
			}
			if json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error.Message == "" {
				t.Errorf("a 409 without a message: %s", w.Body)
			}
		})
	}
}

// The same undo sent several times at once is made once: one 200, every
// other a 409 (never a 412 or a 500), and one undo in the history.
func TestRequestUndoAtOnce(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			f := newUndoFixture(t, target)
			f.do(f.owner, "/submit", f.submitTo, 200)
			accept := f.do(f.auditor, "/accept", "", 200).lastStep(t)
			codes := make([]int, 8)
			var wg sync.WaitGroup
			for i := range codes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes[i] = send(f.p.h, "POST", f.path+"/undo", fmt.Sprintf(`{"transition":%d}`, accept), f.auditor.headers()).Code
				}()
			}
			wg.Wait()
			ok := 0
			for _, c := range codes {
				switch c {
				case 200:
					ok++
				case 409:
				default:
					t.Errorf("an undo at once answered %d", c)
				}
			}
			if now := f.get().Request; ok != 1 || now.Status != "submitted" || len(now.History) != 3 {
				t.Errorf("%d undos made (%v): %s with %d steps", ok, codes, now.Status, len(now.History))
			}
		})
	}
}
