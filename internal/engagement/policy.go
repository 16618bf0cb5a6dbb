package engagement

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/period"
)

// Where an engagement's sample table comes from.
const (
	BuiltInTable = "built-in" // socmap's common-practice table and bands
	FirmTable    = "firm"     // the audit firm's own (or the installation's)
)

// SamplePolicy is an engagement's sampling policy: the table and bands it
// sizes samples by, the risk level that applies unless a control says
// otherwise, and where the table came from. An engagement keeps the
// policy it was created with, so changing the server's table never
// resizes its samples.
type SamplePolicy struct {
	Source string `json:"source"`
	period.Policy
}

// sourceOf names a policy's table: built-in when it is socmap's own.
func sourceOf(p period.Policy) string {
	if maps.Equal(p.Table, period.DefaultTable()) && slices.Equal(p.Bands, period.DefaultBands()) {
		return BuiltInTable
	}
	return FirmTable
}

// serverPolicy is the policy new engagements get: the configured table
// and the built-in bands at lower risk.
func (s *Service) serverPolicy() SamplePolicy {
	p := period.Policy{Table: s.sampleTable, Bands: period.DefaultBands(), Risk: period.Lower}
	return SamplePolicy{Source: sourceOf(p), Policy: p}
}

// PolicyOf is the engagement's sampling policy; an engagement from before
// policies were kept uses the server's.
func (s *Service) PolicyOf(e Engagement) (SamplePolicy, error) {
	if e.SamplePolicy == "" {
		return s.serverPolicy(), nil
	}
	var p SamplePolicy
	if err := json.Unmarshal([]byte(e.SamplePolicy), &p); err != nil {
		return p, fmt.Errorf("engagement %d sample policy: %w", e.ID, err)
	}
	return p, nil
}

func encodePolicy(p SamplePolicy) (string, error) {
	b, err := json.Marshal(p)
	return string(b), err
}

// PolicyInput changes an engagement's sampling policy; nil fields stay.
// BuiltIn resets the table and bands to socmap's own.
type PolicyInput struct {
	BuiltIn bool
	Table   *period.Table
	Bands   *[]period.Band
	Risk    *string
}

// SetSamplePolicy changes the table, bands or risk level an engagement
// sizes samples by. Samples already drawn keep the size they were drawn
// with.
func (s *Service) SetSamplePolicy(ctx context.Context, id int64, in PolicyInput) (SamplePolicy, error) {
	var out SamplePolicy
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.engagement(ctx, id)
		if err != nil {
			return err
		}
		before, err := s.PolicyOf(e)
		if err != nil {
			return err
		}
		p := before.Policy
		p.Table, p.Bands = maps.Clone(p.Table), slices.Clone(p.Bands)
		if in.BuiltIn {
			p.Table, p.Bands = period.DefaultTable(), period.DefaultBands()
		}
		if in.Table != nil {
			p.Table = *in.Table
		}
		if in.Bands != nil {
			p.Bands = *in.Bands
		}
		if in.Risk != nil {
			p.Risk = period.Risk(*in.Risk)
		}
		if err := p.Check(); err != nil {
			return apperr.Invalid("the sample policy cannot be saved as given", map[string]string{"sample_policy": err.Error()})
		}
		out = SamplePolicy{Source: sourceOf(p), Policy: p}
		encoded, err := encodePolicy(out)
		if err != nil {
			return err
		}
		was, err := encodePolicy(before)
		if err != nil {
			return err
		}
		if err := s.st.SetSamplePolicy(ctx, id, encoded, s.now()); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.sample_policy", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{"sample_policy": {Before: was, After: encoded}}})
	})
	return out, err
}

// checkRisk reads a per-control risk level: "" is the engagement's.
func checkRisk(r string) bool { return r == "" || slices.Contains(period.Risks, period.Risk(r)) }
