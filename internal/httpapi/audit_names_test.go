package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// The audit trail names the objects its entries are about: a control by
// its reference and title, an engagement by its name, a requirement by
// its framework, code and title, on SQLite and PostgreSQL alike.
func TestAuditNamesItsObjects(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			ctl := p.control("CM-02", "")
			p.call(p.admin, "PUT", "/api/v1/applicability", `{"requirement":"soc2-tsc-2017/CC6.4","not_applicable":true,"reason":"no offices"}`, 204, nil)
			var e engagementOut
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"FY2026 SOC 2","report":"soc2","type":"type1","as_of":"2026-06-30"}`, 201, &e)
			var audit struct {
				Entries []struct {
					ObjectType string `json:"object_type"`
					ObjectID   string `json:"object_id"`
					ObjectName string `json:"object_name"`
				} `json:"entries"`
			}
			p.call(p.admin, "GET", "/api/v1/audit?limit=500", "", 200, &audit)
			want := map[string]string{
				"control " + fmt.Sprint(ctl):                               "CM-02 Control CM-02",
				"engagement " + fmt.Sprint(e.Engagement.ID):                "FY2026 SOC 2",
				"requirement soc2-tsc-2017/CC6.4":                          "",
				"user " + fmt.Sprint(userID(t, p.db, "admin@example.com")): "admin@example.com",
			}
			got := map[string]string{}
			for _, en := range audit.Entries {
				got[en.ObjectType+" "+en.ObjectID] = en.ObjectName
			}
			for k, name := range want {
				n, ok := got[k]
				switch {
				case !ok:
					t.Errorf("no entry about %s in %v", k, got)
				case name != "" && n != name:
					t.Errorf("%s is named %q, want %q", k, n, name)
				}
			}
			if n := got["requirement soc2-tsc-2017/CC6.4"]; !strings.Contains(n, "CC6.4") || !strings.Contains(n, "SOC 2") {
				t.Errorf("the requirement is named %q", n)
			}
		})
	}
}
