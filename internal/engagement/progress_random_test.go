package engagement_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/store/storetest"
)

// A seeded run of changes of every kind a control's data carries, to
// random controls, leaves after each the progress computed in part equal
// to the progress computed whole: what one fixed sequence could miss (a
// change undone, a control touched twice, evidence moved back) one of
// these runs meets.
func TestIncrementalProgressFollowsARandomRunOfChanges(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgramme(t, target, typeII())
			rng := rand.New(rand.NewPCG(2026, 11))
			refs := []string{"CM-01", "CM-02", "CM-03", "CM-04", "CM-05", "CM-06"}
			ctl := func() int64 { return p.ctl[refs[rng.IntN(len(refs))]] }
			var steps []change
			for i := range 40 {
				kinds := randomChanges(p, rng, ctl)
				k := kinds[rng.IntN(len(kinds))]
				steps = append(steps, change{name: fmt.Sprintf("step %d: %s", i+1, k.name), change: k.change, inPart: true})
			}
			p.check(steps, true)
		})
	}
}

// randomChanges are the kinds of change a random run draws from; each
// picks its controls and evidence when it runs.
func randomChanges(p *programme, rng *rand.Rand, ctl func() int64) []change {
	month := func() (string, string) {
		m := fmt.Sprintf("2026-%02d", rng.IntN(12)+1)
		return m + "-01", m + "-28"
	}
	evidenceID := func() int64 { return p.ev[rng.IntN(len(p.ev))] }
	return []change{
		{name: "evidence added", change: func() {
			from, to := month()
			p.note(from, to, ctl(), ctl())
		}},
		{name: "evidence moved", change: func() {
			ids := []int64{ctl()}
			_, err := p.evidence.Update(p.ctx, p.admin, evidenceID(), evidence.Meta{ControlIDs: &ids})
			p.mustDo(ignoreRefused(err))
		}},
		{name: "evidence re-dated", change: func() {
			from, to := month()
			_, err := p.evidence.Update(p.ctx, p.admin, evidenceID(), evidence.Meta{CoversFrom: &from, CoversTo: &to})
			p.mustDo(ignoreRefused(err))
		}},
		{name: "evidence deleted", change: func() {
			p.mustDo(ignoreRefused(p.evidence.Delete(p.ctx, p.admin, evidenceID(), "superseded")))
		}},
		{name: "a frequency changed", change: func() {
			f := []string{"monthly", "quarterly", "weekly", "annual"}[rng.IntN(4)]
			id := ctl()
			if id == p.ctl["CM-01"] {
				return // its windows are marked by month
			}
			_, err := p.controls.Update(p.ctx, id, controls.Input{Frequency: &f})
			p.mustDo(err)
		}},
		{name: "a month marked not expected or expected again", change: func() {
			start, _ := month()
			err := p.windows.MarkNotExpected(p.ctx, p.id, p.ctl["CM-01"], start, "the system was frozen")
			if err != nil {
				err = p.windows.ClearNotExpected(p.ctx, p.id, p.ctl["CM-01"], start)
			}
			p.mustDo(ignoreRefused(err))
		}},
		{name: "a control put in or out of scope by hand", change: func() {
			p.mustDo(p.eng.SetScope(p.ctx, p.id, ctl(), rng.IntN(2) == 0, "decided by the test"))
		}},
		{name: "a control mapped or unmapped", change: func() {
			m := []controls.MappingChange{{ControlID: ctl(), Requirement: "soc2-tsc-2017/CC6.1"}}
			if rng.IntN(2) == 0 {
				p.mustDo(p.controls.ApplyMappings(p.ctx, m, nil))
			} else {
				p.mustDo(p.controls.ApplyMappings(p.ctx, nil, m))
			}
		}},
		{name: "a sampling risk set", change: func() {
			r := []string{"lower", "higher"}[rng.IntN(2)]
			_, err := p.eng.SetResult(p.ctx, p.id, ctl(), engagement.ResultInput{SampleRisk: &r})
			p.mustDo(ignoreRefused(err))
		}},
	}
}

// ignoreRefused lets a random change the rules refuse pass (evidence
// already deleted, a result of a control out of scope): it writes nothing.
func ignoreRefused(err error) error {
	var e *apperr.Error
	if errors.As(err, &e) {
		return nil
	}
	return err
}
