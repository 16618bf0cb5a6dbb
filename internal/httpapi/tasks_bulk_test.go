package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// Reassigning tasks in bulk is one audited change of ad-hoc tasks: a
// refusal of any of them (closed, following its control's owner, missing,
// an assignee who cannot work on tasks, a caller who may not) changes none.
func TestBulkReassignTasks(t *testing.T) {
	t.Parallel()
	p, owner, _ := tasksProgram(t, storetest.Targets(t)[0])
	ownerID := userID(t, p.db, "owner@example.com")
	signIn(t, p.svc, "compliance")
	signIn(t, p.svc, "viewer")
	compliance := userID(t, p.db, "compliance@example.com")
	adhoc := make([]int64, 3)
	for i := range adhoc {
		var created struct{ Task taskOut }
		p.call(p.admin, "POST", "/api/v1/tasks", fmt.Sprintf(`{"title":"follow-up %d","owner_id":%d,"due_on":"2026-12-01"}`, i, ownerID), 201, &created)
		adhoc[i] = created.Task.ID
	}
	p.call(owner, "POST", fmt.Sprintf("/api/v1/tasks/%d/done", adhoc[2]), "", 200, nil)
	var occ taskList
	p.call(p.admin, "GET", "/api/v1/tasks?kind=occurrence&limit=1", "", 200, &occ)
	if len(occ.Tasks) != 1 {
		t.Fatalf("no occurrence task: %+v", occ)
	}
	body := func(owner int64, ids ...int64) string {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = fmt.Sprint(id)
		}
		return fmt.Sprintf(`{"task_ids":[%s],"change":{"owner_id":%d}}`, strings.Join(s, ","), owner)
	}
	for name, c := range map[string]struct {
		body, want string
	}{
		"an occurrence task": {body(compliance, adhoc[0], occ.Tasks[0].ID), "follows the owner of control AC-03"},
		"a closed task":      {body(compliance, adhoc[0], adhoc[2]), "is closed"},
		"a missing task":     {body(compliance, adhoc[0], 99999), "not found"},
		"a viewer":           {body(userID(t, p.db, "viewer@example.com"), adhoc[0]), "cannot work on tasks"},
		"no tasks":           {body(compliance), "1 to 500"},
		"no change":          {`{"task_ids":[1]}`, "say what to change"},
	} {
		w := send(p.h, "POST", "/api/v1/tasks/bulk", c.body, p.admin.headers())
		if w.Code != 400 || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("%s: %d %s, want 400 saying %q", name, w.Code, w.Body, c.want)
		}
	}
	if w := send(p.h, "POST", "/api/v1/tasks/bulk", body(compliance, adhoc[0]), owner.headers()); w.Code != 403 {
		t.Errorf("an owner reassigned tasks: %d %s", w.Code, w.Body)
	}
	var audit struct {
		Total int `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=task.reassign", "", 200, &audit)
	if audit.Total != 0 {
		t.Fatalf("a refused change was audited: %d entries", audit.Total)
	}

	var done struct {
		Changed int `json:"changed"`
		Before  []struct {
			TaskID  int64  `json:"task_id"`
			OwnerID *int64 `json:"owner_id"`
		} `json:"before"`
	}
	p.call(p.admin, "POST", "/api/v1/tasks/bulk", body(compliance, adhoc[1], adhoc[0], adhoc[0]), 200, &done)
	if done.Changed != 2 || len(done.Before) != 2 || done.Before[0].TaskID != adhoc[0] || *done.Before[0].OwnerID != ownerID {
		t.Errorf("answer: %+v", done)
	}
	for _, id := range adhoc[:2] {
		var got struct{ Task taskOut }
		p.call(p.admin, "GET", fmt.Sprintf("/api/v1/tasks/%d", id), "", 200, &got)
		if got.Task.OwnerEmail != "compliance@example.com" {
			t.Errorf("task %d is %s's", id, got.Task.OwnerEmail)
		}
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=task.reassign", "", 200, &audit)
	if audit.Total != 2 {
		t.Errorf("%d task.reassign entries, want 2", audit.Total)
	}
	// The former owner no longer sees them.
	var mine taskList
	p.call(owner, "GET", "/api/v1/tasks?kind=adhoc", "", 200, &mine)
	if mine.Total != 1 {
		t.Errorf("the former owner still has %d ad-hoc tasks, want the done one only", mine.Total)
	}
}
