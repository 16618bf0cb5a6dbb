package civil

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseRefusesWhatIsNotADate(t *testing.T) {
	for _, s := range []string{"", "2026-02-30", "2026-3-1", "2026-03-01T00:00:00Z", "01/03/2026"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
	if d := MustParse("2028-02-29"); d.String() != "2028-02-29" {
		t.Errorf("leap day round trip: %s", d)
	}
}

func TestArithmeticAndOrder(t *testing.T) {
	d := MustParse("2026-03-15")
	if got := d.AddDays(17).String(); got != "2026-04-01" {
		t.Errorf("AddDays: %s", got)
	}
	if got := MustParse("2027-03-14").DaysSince(d); got != 364 {
		t.Errorf("DaysSince: %d", got)
	}
	if !d.Before(d.AddDays(1)) || d.After(d) || d.Compare(d) != 0 {
		t.Error("order")
	}
	if d.Weekday() != time.Sunday {
		t.Errorf("weekday %s", d.Weekday())
	}
}

func TestJSONAndSQL(t *testing.T) {
	type row struct {
		On  Date  `json:"on"`
		Opt *Date `json:"opt"`
	}
	var r row
	if err := json.Unmarshal([]byte(`{"on":"2026-12-01","opt":null}`), &r); err != nil || r.On.String() != "2026-12-01" || r.Opt != nil {
		t.Fatalf("unmarshal: %v %+v", err, r)
	}
	b, err := json.Marshal(row{})
	if err != nil || string(b) != `{"on":null,"opt":null}` {
		t.Errorf("zero date marshals as %s", b)
	}
	if err := json.Unmarshal([]byte(`{"on":"2026-13-01"}`), &r); err == nil {
		t.Error("month 13 accepted")
	}
	for _, src := range []any{"2026-12-01", []byte("2026-12-01"), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "2026-12-01T00:00:00Z"} {
		var d Date
		if err := d.Scan(src); err != nil || d != MustParse("2026-12-01") {
			t.Errorf("Scan(%#v) = %v, %v", src, d, err)
		}
	}
	if v, err := (Date{}).Value(); err != nil || v != nil {
		t.Errorf("zero date is stored as %v", v)
	}
}
