package httpapi_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/store/storetest"
)

// The organisation's name is a stored setting an admin changes, and the
// workbook carries it.
func TestOrganisationSetting(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	var out struct {
		Settings struct {
			Organisation string `json:"organisation"`
		} `json:"settings"`
	}
	p.call(p.admin, "GET", "/api/v1/settings", "", 200, &out)
	if out.Settings.Organisation != "" {
		t.Errorf("a new installation has an organisation: %q", out.Settings.Organisation)
	}
	p.call(p.admin, "PUT", "/api/v1/settings", `{"organisation":"  Larkspur   Payroll Ltd "}`, 200, &out)
	if out.Settings.Organisation != "Larkspur Payroll Ltd" {
		t.Errorf("stored %q", out.Settings.Organisation)
	}
	p.call(p.admin, "PUT", "/api/v1/settings", `{"organisation":""}`, 400, nil)
	p.call(signIn(t, p.svc, "compliance"), "PUT", "/api/v1/settings", `{"organisation":"Other"}`, 403, nil)
	w := send(p.h, "GET", base+"/workbook", "", p.admin.headers())
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Summary", "B2"); v != "Larkspur Payroll Ltd" {
		t.Errorf("the workbook names the organisation %q", v)
	}
	if hf, err := f.GetHeaderFooter("Control matrix"); err != nil || !bytes.HasPrefix([]byte(hf.OddHeader), []byte("&LLarkspur Payroll Ltd&C")) {
		t.Errorf("page header %+v %v", hf, err)
	}
	var audit struct {
		Total int `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=settings.update", "", 200, &audit)
	if audit.Total != 1 {
		t.Errorf("settings changes in the audit trail: %d", audit.Total)
	}
}
