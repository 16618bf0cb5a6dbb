package tasks

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/store/storetest"
)

// A page read state by state is exactly that slice of the whole list in
// its order (overdue, due, upcoming, done, not applicable; earliest due
// first), whatever the offset, the limit and the states asked for, and
// the counts per owner agree with the states the list shows.
func TestPagesAreSlicesOfTheWholeList(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			other := p.user("other@example.com", "owner")
			now := time.Now().UTC()
			// Today is 2026-03-15. Tasks of every state, due on few distinct
			// days so that ties are broken by id, and one due before it opened.
			var tasks []Task
			for i := range 37 {
				owner := &p.owner.ID
				if i%3 == 0 {
					owner = &other.ID
				}
				opens, due := fmt.Sprintf("2026-03-%02d", 1+i%28), fmt.Sprintf("2026-03-%02d", 10+i%10)
				t := Task{Kind: "adhoc", OwnerID: owner, Title: fmt.Sprintf("task %d", i), OpensOn: opens, DueOn: due, CreatedAt: now, UpdatedAt: now}
				switch i % 7 {
				case 5:
					t.DoneAt, t.DoneVia = &now, "manual"
				case 6:
					t.NotApplicable, t.NaReason = true, "no longer needed"
				}
				if i == 4 {
					t.OpensOn, t.DueOn = "2026-03-20", "2026-03-02"
				}
				tasks = append(tasks, t)
			}
			if err := p.db.W.Create(&tasks).Error; err != nil {
				t.Fatal(err)
			}
			ids := func(rows []Row) []string {
				out := make([]string, len(rows))
				for i, r := range rows {
					out[i] = fmt.Sprintf("%d:%s", r.ID, r.State)
				}
				return out
			}
			for _, states := range [][]string{nil, {"overdue", "due", "upcoming"}, {"upcoming", "done"}, {"not_applicable"}} {
				whole, total, err := p.tasks.List(p.ctx, Filter{States: states})
				if err != nil {
					t.Fatal(err)
				}
				if total != int64(len(whole)) {
					t.Fatalf("%v: total %d, %d rows", states, total, len(whole))
				}
				for i := 1; i < len(whole); i++ {
					a, b := whole[i-1], whole[i]
					if slices.Index(States, a.State) > slices.Index(States, b.State) ||
						a.State == b.State && (a.DueOn > b.DueOn || a.DueOn == b.DueOn && a.ID > b.ID) {
						t.Fatalf("%v: %v before %v", states, ids(whole[i-1:i+1]), a.DueOn+" "+b.DueOn)
					}
				}
				for _, limit := range []int{1, 4, 10, 50} {
					for offset := 0; offset <= len(whole)+1; offset++ {
						page, n, err := p.tasks.List(p.ctx, Filter{States: states, Limit: limit, Offset: offset})
						if err != nil {
							t.Fatal(err)
						}
						want := whole[min(offset, len(whole)):min(offset+limit, len(whole))]
						if n != total || !slices.Equal(ids(page), ids(want)) {
							t.Fatalf("%v offset %d limit %d: %v of %d, want %v of %d", states, offset, limit, ids(page), n, ids(want), total)
						}
					}
				}
			}
			all, _, err := p.tasks.List(p.ctx, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			// Two open states are counted state by state, more in one pass:
			// both ways agree with the list.
			for _, states := range [][]string{nil, {"overdue", "due"}, {"due"}, {"upcoming", "done"}} {
				counts, err := p.tasks.Counts(p.ctx, Filter{States: states})
				if err != nil {
					t.Fatal(err)
				}
				asked := states
				if asked == nil {
					asked = States
				}
				for _, c := range counts {
					for _, st := range States {
						n := 0
						for _, r := range all {
							if r.State == st && *r.OwnerID == *c.OwnerID && slices.Contains(asked, st) {
								n++
							}
						}
						if c.States[st] != n {
							t.Errorf("%v: %s has %d %s tasks, counted %d", states, c.OwnerEmail, n, st, c.States[st])
						}
					}
				}
				if len(counts) != 2 {
					t.Errorf("%v: counts for %d owners, want 2", states, len(counts))
				}
			}
		})
	}
}
