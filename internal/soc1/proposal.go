package soc1

import (
	"slices"

	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/store"
)

// Template is an objective template with the control activities suggested
// beneath it.
type Template struct {
	store.Requirement
	Activities []store.TemplateActivity
}

// Proposed is one objective of a proposed set: the template's wording for
// the user to reword, the ref it would get, and whether the set includes
// it. Optional templates and those the organisation already states
// (AdoptedAs: its objectives from this template or from ones it replaced)
// are offered but not included.
type Proposed struct {
	Template
	Ref       string
	Selected  bool
	AdoptedAs []string
}

// Proposal is a complete objective set for the industries asked for.
type Proposal struct {
	Industries []store.Industry
	Objectives []Proposed
	// Numbering holds the next free objective refs, one per objective
	// offered, so that a set the user trims can be numbered again without
	// gaps: the n-th included objective takes the n-th ref.
	Numbering []string
}

// propose builds the objective set of several industries in report order:
// optional (entity-level) templates first, then the business-process
// objectives, then the IT general controls. templates holds every current
// template in catalog order; existing is the organisation's objectives.
func propose(industries []store.Industry, templates []Template, existing []store.Requirement) Proposal {
	byRef := map[string]Template{}
	for _, t := range templates {
		byRef[t.Ref] = t
	}
	var refs []string
	for _, t := range templates {
		if t.Optional {
			refs = append(refs, t.Ref)
		}
	}
	var business, itgc [][]string
	for _, ind := range industries {
		var b, i []string
		for _, ref := range ind.TemplateRefs {
			if t, ok := byRef[ref]; ok && t.Category == catalog.ITGC {
				i = append(i, ref)
			} else if ok {
				b = append(b, ref)
			}
		}
		business, itgc = append(business, b), append(itgc, i)
	}
	shared := func(ref string) bool { return byRef[ref].Industry == catalog.AllIndustries }
	refs = append(refs, mergeSets(business, shared)...)
	refs = appendNew(refs, slices.Concat(itgc...)...)

	taken := make([]string, len(existing))
	for i, r := range existing {
		taken[i] = r.Ref
	}
	p := Proposal{Industries: industries, Numbering: nextRefs(taken, len(refs))}
	next := 0
	for _, ref := range refs {
		t := byRef[ref]
		item := Proposed{Template: t, AdoptedAs: adoptedAs(t, existing)}
		item.Selected = !t.Optional && len(item.AdoptedAs) == 0
		if item.Selected {
			item.Ref, next = p.Numbering[next], next+1
		}
		p.Objectives = append(p.Objectives, item)
	}
	return p
}

// mergeSets joins industries' business-process objectives into one list.
// The objectives shared by every industry that open a set (client set-up,
// input) open the joint set and those that close one (output) close it;
// each industry's own objectives stay together in between, in order.
func mergeSets(sets [][]string, shared func(ref string) bool) []string {
	var head, body, tail []string
	for _, set := range sets {
		first := slices.IndexFunc(set, func(ref string) bool { return !shared(ref) })
		if first < 0 {
			head = appendNew(head, set...)
			continue
		}
		last := len(set) - 1
		for shared(set[last]) {
			last--
		}
		head = appendNew(head, set[:first]...)
		body = append(body, set[first:last+1]...)
		tail = appendNew(tail, set[last+1:]...)
	}
	return appendNew(appendNew(head, body...), tail...)
}

// appendNew appends the refs that list does not hold yet.
func appendNew(list []string, refs ...string) []string {
	for _, ref := range refs {
		if !slices.Contains(list, ref) {
			list = append(list, ref)
		}
	}
	return list
}

// adoptedAs lists the organisation's objectives written from t or from a
// template t replaced.
func adoptedAs(t Template, existing []store.Requirement) []string {
	var out []string
	for _, r := range existing {
		if r.TemplateRef != "" && (r.TemplateRef == t.Ref || slices.Contains(t.Replaces, r.TemplateRef)) {
			out = append(out, r.Ref)
		}
	}
	return out
}

// nextRefs returns the next n free objective refs after taken.
func nextRefs(taken []string, n int) []string {
	taken = slices.Clone(taken)
	out := make([]string, n)
	for i := range out {
		out[i] = NextRef(taken)
		taken = append(taken, out[i])
	}
	return out
}
