package coverage

import "testing"

func TestRollUp(t *testing.T) {
	for _, tt := range []struct {
		states []string
		want   string
	}{
		{nil, NoControl},
		{[]string{NoEvidence}, NoEvidence},
		{[]string{NoEvidence, Expired}, Expired},
		{[]string{Expired, Expiring}, Expiring},
		{[]string{Expiring, Covered, NoEvidence}, Covered},
	} {
		var controls []Control
		for _, s := range tt.states {
			controls = append(controls, Control{State: s})
		}
		if got := rollUp(controls); got != tt.want {
			t.Errorf("rollUp(%v) = %s, want %s", tt.states, got, tt.want)
		}
	}
}
