package httpapi_test

import (
	"encoding/json"
	"testing"
)

type windowSummaryOut struct {
	Expected int            `json:"expected"`
	Counts   map[string]int `json:"counts"`
	Partial  int            `json:"partial"`
}

// checkWindowSummary checks that a grid row counts its windows by state
// instead of listing them, and that the counts are those of the windows.
func checkWindowSummary(t *testing.T, row map[string]any, windows []any) {
	t.Helper()
	if _, listed := row["windows"]; listed {
		t.Errorf("%v: the grid row lists its windows", row["ref"])
	}
	raw, err := json.Marshal(row["window_summary"])
	if err != nil {
		t.Fatal(err)
	}
	var got windowSummaryOut
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := windowSummaryOut{Expected: len(windows), Counts: map[string]int{
		"not_yet_due": 0, "due": 0, "covered": 0, "missing": 0, "not_expected": 0}}
	for _, w := range windows {
		m := w.(map[string]any)
		want.Counts[m["state"].(string)]++
		if m["partial"] == true {
			want.Partial++
		}
	}
	if string(mustJSON(t, got)) != string(mustJSON(t, want)) {
		t.Errorf("%v: window summary %+v, want %+v", row["ref"], got, want)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
