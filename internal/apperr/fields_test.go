package apperr

import (
	"strings"
	"testing"
)

func TestFields(t *testing.T) {
	f := Fields{}
	var title, freq string
	var day *string
	long, ok, bad := strings.Repeat("x", 11), "  Access review  ", "hourly"
	f.Text("title", &long, &title, 10)
	f.Text("title2", &ok, &title, 20)
	f.Choice("frequency", &bad, &freq, []string{"daily", "weekly"})
	date, badDate := "2026-03-31", "31/03/2026"
	f.Date("as_of", &date, &day)
	f.Date("expires_on", &badDate, &day)
	f.Require("owner", "")
	f.Text("untouched", nil, &title, 1)
	if title != "Access review" || freq != "" || day == nil || *day != "2026-03-31" {
		t.Errorf("stored: %q %q %v", title, freq, day)
	}
	for _, name := range []string{"title", "frequency", "expires_on", "owner"} {
		if f[name] == "" {
			t.Errorf("%s has no problem recorded: %v", name, f)
		}
	}
	if len(f) != 4 || f.Err("bad") == nil || (Fields{}).Err("fine") != nil {
		t.Errorf("fields %v", f)
	}
	clear := ""
	f.Date("as_of", &clear, &day)
	if day != nil {
		t.Error("an empty date did not clear the value")
	}
}
