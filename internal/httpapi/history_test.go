package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/store/storetest"
)

// Deleting a control with an engagement's results, exceptions, samples
// or a population used to fail on a foreign key with a 500 (and a done
// task went with the control). Each is a 409 that says to retire it, and
// nothing is deleted.
func TestControlWithHistoryIsNotDeleted(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			seedEngagement(t, p) // CM-01 (3): population, samples, result, exception
			done := p.control("DN-01", "")
			now := time.Now().UTC()
			storetest.Must(t, p.db.W.Exec(`INSERT INTO tasks (kind, control_id, title, opens_on, due_on, done_at, created_at, updated_at)
				VALUES ('adhoc', ?, 'Collect the list', '2026-01-01', '2026-01-10', ?, ?, ?)`, done, now, now, now))
			for _, id := range []int64{3, done} {
				w := send(p.h, "DELETE", fmt.Sprintf("/api/v1/controls/%d", id), "", p.admin.headers())
				if w.Code != 409 || !strings.Contains(w.Body.String(), "retire it instead") {
					t.Errorf("delete control %d: %d %s, want 409 retire it instead", id, w.Code, w.Body)
				}
				p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d", id), "", 200, nil)
			}
			if n := storetest.Count(t, p.db.R.Table("tasks").Where("control_id = ?", done)); n != 1 {
				t.Errorf("the done task is gone: %d", n)
			}
			fresh := p.control("ZZ-01", "")
			if w := send(p.h, "DELETE", fmt.Sprintf("/api/v1/controls/%d", fresh), "", p.admin.headers()); w.Code/100 != 2 {
				t.Errorf("delete a control without history: %d %s", w.Code, w.Body)
			}
		})
	}
}

// Evidence a conclusion relies on used to be unlinked from its control
// without a word, leaving the engagement's result pointing at evidence
// the control no longer has. It is a 409 naming the engagement.
func TestReliedOnEvidenceIsNotUnlinked(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p) // evidence 1 (file) and 2 (link) on AC-03 (1)
	p.control("AC-09", "")       // 4
	p.call(p.admin, "PUT", base+"/controls/1/result", `{"design_result":"suitably_designed","result":"no_exceptions","evidence_ids":[1]}`, 200, nil)
	w := send(p.h, "PATCH", "/api/v1/evidence/1", `{"control_ids":[4]}`, p.admin.headers())
	if w.Code != 409 || !strings.Contains(w.Body.String(), "SOC 2 Type II H1 2026") {
		t.Errorf("unlink relied-on evidence: %d %s, want 409 naming the engagement", w.Code, w.Body)
	}
	var ev struct {
		Evidence struct {
			Controls string `json:"controls"`
		} `json:"evidence"`
	}
	p.call(p.admin, "GET", "/api/v1/evidence/1", "", 200, &ev)
	if ev.Evidence.Controls != "AC-03" {
		t.Errorf("links after the refusal: %q", ev.Evidence.Controls)
	}
	// Adding a control keeps the relied-on link: allowed. Evidence nobody
	// relies on still moves freely.
	p.call(p.admin, "PATCH", "/api/v1/evidence/1", `{"control_ids":[1,4]}`, 200, nil)
	p.call(p.admin, "PATCH", "/api/v1/evidence/2", `{"control_ids":[4]}`, 200, nil)
}

// Evidence that fills an occurrence window of an active engagement used
// to be deleted with one click and no way back. Deleting it takes a
// reason, which the audit trail keeps, and compliance can restore it for
// 30 days.
func TestDeletingWindowEvidenceTakesAReasonAndCanBeUndone(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	seedEngagement(t, p) // evidence 1 covers Q1 2026 of AC-03 in H1 2026; evidence 2 is an undated link
	w := send(p.h, "DELETE", "/api/v1/evidence/1", "", p.admin.headers())
	if w.Code != 409 || !strings.Contains(w.Body.String(), "reason_required") || !strings.Contains(w.Body.String(), "SOC 2 Type II H1 2026") {
		t.Fatalf("delete without a reason: %d %s, want 409 naming the engagement", w.Code, w.Body)
	}
	p.call(p.admin, "GET", "/api/v1/evidence/1", "", 200, nil)
	p.call(p.admin, "DELETE", "/api/v1/evidence/1?reason=Uploaded+to+the+wrong+control", "", 204, nil)
	p.call(p.admin, "GET", "/api/v1/evidence/1", "", 404, nil)
	var audit struct {
		Entries []struct {
			Changes map[string]struct {
				After any `json:"after"`
			} `json:"changes"`
		} `json:"entries"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=evidence.delete", "", 200, &audit)
	if len(audit.Entries) != 1 || audit.Entries[0].Changes["reason"].After != "Uploaded to the wrong control" {
		t.Errorf("delete entry: %+v", audit.Entries)
	}
	var deleted struct {
		Evidence []struct {
			ID int64 `json:"id"`
		} `json:"evidence"`
	}
	p.call(p.admin, "GET", "/api/v1/evidence?deleted=true", "", 200, &deleted)
	if len(deleted.Evidence) != 1 || deleted.Evidence[0].ID != 1 {
		t.Errorf("deleted evidence to restore: %+v", deleted.Evidence)
	}
	owner := signIn(t, p.svc, "owner")
	p.call(owner, "GET", "/api/v1/evidence?deleted=true", "", 403, nil)
	p.call(owner, "POST", "/api/v1/evidence/1/restore", "", 403, nil)
	p.call(p.admin, "POST", "/api/v1/evidence/1/restore", "", 200, nil)
	p.call(p.admin, "GET", "/api/v1/evidence/1", "", 200, nil)
	p.call(p.admin, "POST", "/api/v1/evidence/1/restore", "", 409, nil) // not deleted

	// Deleted 31 days ago: too late.
	p.call(p.admin, "DELETE", "/api/v1/evidence/1", `{"reason":"superseded by the signed copy"}`, 204, nil)
	storetest.Must(t, p.db.W.Exec("UPDATE evidence SET deleted_at = ? WHERE id = 1", time.Now().UTC().AddDate(0, 0, -31)))
	if w := send(p.h, "POST", "/api/v1/evidence/1/restore", "", p.admin.headers()); w.Code != 409 || !strings.Contains(w.Body.String(), "30 days") {
		t.Errorf("restore after 31 days: %d %s", w.Code, w.Body)
	}
	p.call(p.admin, "GET", "/api/v1/evidence?deleted=true", "", 200, &deleted)
	if len(deleted.Evidence) != 0 {
		t.Errorf("evidence deleted 31 days ago is offered for restoring: %+v", deleted.Evidence)
	}
	// Evidence that fills no window is deleted without a reason.
	p.call(p.admin, "DELETE", "/api/v1/evidence/2", "", 204, nil)
}
