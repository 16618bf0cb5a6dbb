package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// Pickers of people search the accounts on the server: by words of the
// e-mail address or the name, by role, leaving out disabled accounts, a
// page at a time with the total that match; without a filter every
// account answers, as the accounts page reads them.
func TestUsersListSearchesAndPages(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) { usersListSearchesAndPages(t, newProgram(t, target)) })
	}
}

func usersListSearchesAndPages(t *testing.T, p *program) {
	for _, u := range []string{`"olive@example.com","name":"Olive Oyl","role":"owner"`, `"oscar@example.com","name":"Oscar","role":"owner"`,
		`"audra@example.com","name":"Audra","role":"auditor","access_until":"2099-12-31"`, `"lead_1@example.com","name":"Lead","role":"compliance"`} {
		p.call(p.admin, "POST", "/api/v1/users", `{"email":`+u+`,"password":"correct horse battery"}`, 201, nil)
	}
	if err := p.db.W.Model(&store.User{}).Where("email = ?", "oscar@example.com").Update("disabled_at", time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	type out struct {
		Users []struct {
			Email string `json:"email"`
		} `json:"users"`
		Total, Limit, Offset int
	}
	emails := func(o out) string {
		var s []string
		for _, u := range o.Users {
			s = append(s, u.Email)
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		query, emails string
		total         int
	}{
		{"", "admin@example.com,audra@example.com,lead_1@example.com,olive@example.com,oscar@example.com", 5},
		{"?limit=2", "admin@example.com,audra@example.com", 5},
		{"?limit=2&offset=4", "oscar@example.com", 5},
		{"?q=OYL", "olive@example.com", 1},
		{"?q=o&role=owner", "olive@example.com,oscar@example.com", 2},
		{"?role=owner&active=true", "olive@example.com", 1},
		{"?role=admin,compliance,owner&active=true&limit=2", "admin@example.com,lead_1@example.com", 3},
		{"?q=_", "lead_1@example.com", 1},
		{"?q=%25", "", 0},
	} {
		var o out
		p.call(p.admin, "GET", "/api/v1/users"+tc.query, "", 200, &o)
		if emails(o) != tc.emails || o.Total != tc.total {
			t.Errorf("%q: %s of %d, want %s of %d", tc.query, emails(o), o.Total, tc.emails, tc.total)
		}
	}
	for _, bad := range []string{"limit=0", "limit=501", "offset=-1", "role=boss", "role=owner,", "active=yes", "page=2"} {
		p.call(p.admin, "GET", "/api/v1/users?"+bad, "", 400, nil)
	}
}
