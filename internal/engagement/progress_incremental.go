package engagement

import (
	"context"
	"reflect"
	"sync/atomic"

	"github.com/socmap/socmap/internal/store"
)

// Recomputing a large engagement's progress whole after every change held
// the first view after it for a second: most of the time goes on the
// occurrence windows of every control, from every evidence date. A change
// touches few controls, and the audit trail names what each change
// touched, so the next computation works out again only the controls the
// changes since the last one touched and reuses the others'. Whatever it
// cannot tell the reach of, it computes whole.

// keptProgress is a progress with what it was computed from.
type keptProgress struct {
	Progress
	basis *progressBasis
}

// progressBasis is what a progress was computed from beyond what it shows.
type progressBasis struct {
	version    int64 // the audit trail's version the computation started on
	in         scopeInputs
	replacedBy map[int64]int64 // each scoped control's successor, where it has one
}

// progressStore is what the incremental recomputation reads beyond the
// rest of the engagement rules.
type progressStore interface {
	AuditEntriesAfter(ctx context.Context, seq int64, limit int) ([]store.AuditEntry, error)
	ControlIDsOfEvidence(ctx context.Context, evidenceID int64) ([]int64, error)
}

// changesBuiltOnAtMost is how many audit entries since the last
// computation it still builds on; past them (an import, a bulk relink) it
// computes whole, which is then no slower.
const changesBuiltOnAtMost = 200

// computeKept computes an engagement's progress, building on the last one
// kept where it can.
func (s *Service) computeKept(ctx context.Context, key progressKey) (keptProgress, error) {
	version, err := s.st.AuditVersion(ctx)
	if err != nil {
		return keptProgress{}, err
	}
	if last, ok := s.progress.Last(key); ok && last.basis != nil {
		kp, built, err := s.recomputeFrom(ctx, key, last, version)
		if err != nil || built {
			return kp, err
		}
	}
	return s.computeWhole(ctx, key, version)
}

// computeWhole computes an engagement's progress from nothing.
func (s *Service) computeWhole(ctx context.Context, key progressKey, version int64) (keptProgress, error) {
	s.computed.whole.Add(1)
	p := Progress{Today: key.today}
	var err error
	if p.Detail, err = s.Get(ctx, key.id); err != nil {
		return keptProgress{}, err
	}
	in, err := s.scopeInputsOf(ctx, p.Detail, key.today)
	if err != nil {
		return keptProgress{}, err
	}
	scoped, replacedBy, err := s.scopedControls(ctx, in, in.candidates())
	if err != nil {
		return keptProgress{}, err
	}
	sortScoped(scoped)
	p.Scoped = scoped
	if err := s.concludeProgress(ctx, &p); err != nil {
		return keptProgress{}, err
	}
	return keptProgress{Progress: p, basis: &progressBasis{version: version, in: in, replacedBy: replacedBy}}, nil
}

// recomputeFrom computes the progress again from last, working out only
// the controls changed since; built is false when it cannot tell which
// those are, and the caller computes whole.
func (s *Service) recomputeFrom(ctx context.Context, key progressKey, last keptProgress, version int64) (kp keptProgress, built bool, err error) {
	b := last.basis
	touched, whole, err := s.touchedSince(ctx, b.version)
	if err != nil || whole {
		return kp, false, err
	}
	p := Progress{Today: key.today}
	if p.Detail, err = s.Get(ctx, key.id); err != nil {
		return kp, false, err
	}
	// The engagement's own settings (type, period, report, objectives,
	// sample policy) reach every control.
	if !reflect.DeepEqual(p.Detail, last.Detail) {
		return kp, false, nil
	}
	in, err := s.scopeInputsOf(ctx, p.Detail, key.today)
	if err != nil {
		return kp, false, err
	}
	if !in.sameFrame(b.in) {
		return kp, false, nil
	}
	in.addChanged(b.in, touched)
	for c, successor := range b.replacedBy {
		if touched[successor] {
			touched[c] = true // it shows its successor's ref
		}
	}
	fresh, replacedBy, err := s.scopedControls(ctx, in, in.among(touched))
	if err != nil {
		return kp, false, err
	}
	s.computed.inPart.Add(1)
	p.Scoped = merged(last.Scoped, fresh, touched)
	if err := s.concludeProgress(ctx, &p); err != nil {
		return kp, false, err
	}
	for c, successor := range b.replacedBy {
		if !touched[c] {
			replacedBy[c] = successor
		}
	}
	return keptProgress{Progress: p, basis: &progressBasis{version: version, in: in, replacedBy: replacedBy}}, true, nil
}

// merged is the scoped controls of before the change, less those touched,
// with the touched ones as they are now.
func merged(before, fresh []ScopedControl, touched map[int64]bool) []ScopedControl {
	out := make([]ScopedControl, 0, len(before)+len(fresh))
	for _, sc := range before {
		if !touched[sc.ID] {
			out = append(out, sc)
		}
	}
	out = append(out, fresh...)
	sortScoped(out)
	return out
}

// among is the candidates of the scope that are in ids.
func (in scopeInputs) among(ids map[int64]bool) []int64 {
	var out []int64
	for _, c := range in.candidates() {
		if ids[c] {
			out = append(out, c)
		}
	}
	return out
}

// sameFrame reports whether what every control's windows and sample are
// worked out on is as it was: the period, the business-day calendar, the
// day, the grace days and the sample policy.
func (in scopeInputs) sameFrame(was scopeInputs) bool {
	if !reflect.DeepEqual(in.policy, was.policy) || (in.op == nil) != (was.op == nil) {
		return false
	}
	if in.op == nil {
		return true
	}
	a, b := *in.op, *was.op
	return a.period == b.period && a.today == b.today && a.grace == b.grace && reflect.DeepEqual(a.calendar, b.calendar)
}

// addChanged adds to touched every control whose scope, sampling risk,
// windows marked not expected or summary evidence differ from was.
func (in scopeInputs) addChanged(was scopeInputs, touched map[int64]bool) {
	addDiffering(in.reqs, was.reqs, touched)
	addDiffering(in.overrideOf, was.overrideOf, touched)
	addDiffering(in.risks, was.risks, touched)
	if in.op != nil {
		addDiffering(in.op.marks, was.op.marks, touched)
		addDiffering(in.op.attached, was.op.attached, touched)
	}
}

// addDiffering adds to touched the controls whose entries differ between
// a and b, one missing from either included.
func addDiffering[V any](a, b map[int64]V, touched map[int64]bool) {
	for c, v := range a {
		if w, ok := b[c]; !ok || !reflect.DeepEqual(v, w) {
			touched[c] = true
		}
	}
	for c := range b {
		if _, ok := a[c]; !ok {
			touched[c] = true
		}
	}
}

// progressCounts counts the computations of progress: whole, and in part.
type progressCounts struct {
	whole, inPart atomic.Int64
}
