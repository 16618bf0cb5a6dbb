package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// One owner for three controls at once, audited once per control; a
// retirement that one control cannot take changes none of them and names
// that control and its row.
func TestBulkControlChanges(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	signIn(t, p.svc, "owner")
	var owner int64
	storetest.Must(t, p.db.R.Table("users").Where("email = ?", "owner@example.com").Pluck("id", &owner))
	a, b := p.control("AC-01", ""), p.control("AC-02", "")
	c := p.control("AC-03", `,"implemented_on":"2026-03-01"`)
	ids := fmt.Sprintf("[%d,%d,%d]", a, b, c)

	p.call(p.admin, "POST", "/api/v1/controls/bulk", fmt.Sprintf(`{"control_ids":%s,"change":{"owner_id":%d}}`, ids, owner), 200, nil)
	var n int64
	storetest.Must(t, p.db.R.Table("controls").Where("owner_id = ?", owner).Count(&n))
	var audited int64
	storetest.Must(t, p.db.R.Table("audit_log").Where("action = ?", "control.update").Count(&audited))
	if n != 3 || audited != 3 {
		t.Errorf("%d controls have the owner, %d updates audited; want 3 and 3", n, audited)
	}

	w := send(p.h, "POST", "/api/v1/controls/bulk", fmt.Sprintf(`{"control_ids":%s,"change":{"retired_on":"2026-02-01"}}`, ids), p.admin.headers())
	if w.Code != 400 || !strings.Contains(w.Body.String(), "AC-03 (row 3)") || !strings.Contains(w.Body.String(), `"control_ids":"row 3: AC-03"`) {
		t.Errorf("retirement before implementation: %d %s", w.Code, w.Body)
	}
	storetest.Must(t, p.db.R.Table("controls").Where("status = 'retired'").Count(&n))
	if n != 0 {
		t.Errorf("%d controls retired by a refused bulk change", n)
	}
	p.call(p.admin, "POST", "/api/v1/controls/bulk", fmt.Sprintf(`{"control_ids":[%d,%d],"change":{"retired_on":"2026-04-01"}}`, a, b), 200, nil)
	storetest.Must(t, p.db.R.Table("controls").Where("status = 'retired'").Count(&n))
	if n != 2 {
		t.Errorf("%d controls retired, want 2", n)
	}

	for _, bad := range []struct{ body, field string }{
		{`{"control_ids":[],"change":{"owner_id":1}}`, "control_ids"},
		{fmt.Sprintf(`{"control_ids":[%d]}`, a), "change"},
		{fmt.Sprintf(`{"control_ids":[%d,999],"change":{"performer":"Ops"}}`, a), "control_ids"},
		{fmt.Sprintf(`{"control_ids":[%d],"change":{"ref":"X-1"}}`, a), "ref"},
		{fmt.Sprintf(`{"control_ids":[%d],"change":{"owner_id":424242}}`, a), "owner_id"},
	} {
		w := send(p.h, "POST", "/api/v1/controls/bulk", bad.body, p.admin.headers())
		if w.Code != 400 || !strings.Contains(w.Body.String(), `"`+bad.field+`"`) {
			t.Errorf("%s: %d %s, want 400 naming %s", bad.body, w.Code, w.Body, bad.field)
		}
	}
	var performer int64
	storetest.Must(t, p.db.R.Table("controls").Where("performer = 'Ops'").Count(&performer))
	if performer != 0 {
		t.Error("a bulk change with an unknown control changed the others")
	}
}
