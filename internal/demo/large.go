package demo

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/tasks"
)

// The size of the large programme, for scale tests and benchmarks.
const (
	LargeUsers       = 50
	LargeControls    = 1000
	LargeEngagements = 10
	LargeEvidence    = 100_000
	LargeSampleItems = 5000 // 100 controls × 50 sampled items
	largeFileCount   = 200  // distinct evidence files; records share them, as content-addressed files do
)

// LoadLarge fills an empty installation with a large enterprise programme:
// 50 users, 1,000 controls mapped across the SOC 2 criteria, 100,000
// evidence records over the last year, ten Type II engagements and 5,000
// sampled items. Controls and evidence are written in bulk rather than
// through the services (a minute instead of an hour), so the audit trail
// records only the engagements and samples. The same seed and day give
// the same data.
func LoadLarge(ctx context.Context, db *store.DB, blobs blob.Store, t *tasks.Service, opts Options) (Result, error) {
	var res Result
	if err := ensureEmpty(ctx, db); err != nil {
		return res, err
	}
	if opts.Today.IsZero() {
		opts.Today = time.Now()
	}
	today := time.Date(opts.Today.Year(), opts.Today.Month(), opts.Today.Day(), 0, 0, 0, 0, time.UTC)
	rng := mrand.New(mrand.NewPCG(opts.Seed, opts.Seed^0x5bd1e995))
	hashes, err := largeFiles(ctx, blobs)
	if err != nil {
		return res, err
	}
	var controlIDs []int64
	err = db.InTx(ctx, func(ctx context.Context) error {
		owners, err := largeUsers(ctx, db, today)
		if err != nil {
			return err
		}
		if controlIDs, err = largeControls(ctx, db, rng, owners, today); err != nil {
			return err
		}
		return largeEvidence(ctx, db, rng, controlIDs, hashes, today)
	})
	if err != nil {
		return res, err
	}
	res.Users, res.Controls, res.Evidence = LargeUsers, LargeControls, LargeEvidence
	if res.Engagements, err = largeEngagements(ctx, db, rng, controlIDs, today); err != nil {
		return res, err
	}
	return res, t.Refresh(ctx, nil)
}

// largeFiles stores the distinct evidence files the records point to.
func largeFiles(ctx context.Context, blobs blob.Store) ([]string, error) {
	out := make([]string, largeFileCount)
	for i := range out {
		info, err := blobs.Put(ctx, strings.NewReader(fmt.Sprintf("large programme evidence file %d\n%s", i, strings.Repeat("x", 512))), 1<<20)
		if err != nil {
			return nil, err
		}
		out[i] = info.SHA256
	}
	return out, nil
}

func largeUsers(ctx context.Context, db *store.DB, today time.Time) ([]int64, error) {
	// One hash of a random password nobody knows: the accounts cannot sign
	// in until an administrator sets a password.
	hash, err := auth.HashPassword(randomPassword())
	if err != nil {
		return nil, err
	}
	users := make([]store.User, LargeUsers)
	for i := range users {
		role := "owner"
		switch {
		case i == 0:
			role = "admin"
		case i < 4:
			role = "compliance"
		}
		users[i] = store.User{Email: fmt.Sprintf("user%02d@large.example", i), Name: fmt.Sprintf("User %02d", i), Role: role,
			PasswordHash: hash, CreatedAt: today, UpdatedAt: today}
	}
	if err := db.InsertInBatches(ctx, &users, 100); err != nil {
		return nil, err
	}
	owners := make([]int64, 0, len(users))
	for _, u := range users[1:] {
		owners = append(owners, u.ID)
	}
	return owners, nil
}

var largeFrequencies = []string{"monthly", "monthly", "monthly", "quarterly", "quarterly", "annual", "weekly", "continuous", "event-driven", "daily"}

func largeControls(ctx context.Context, db *store.DB, rng *mrand.Rand, owners []int64, today time.Time) ([]int64, error) {
	reqs, err := db.RequirementsInCategories(ctx, "soc2-tsc-2017", []string{"security", "availability", "confidentiality"})
	if err != nil {
		return nil, err
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("the SOC 2 catalog is not loaded")
	}
	implemented := today.AddDate(-2, 0, 0).Format(time.DateOnly)
	controls := make([]store.Control, LargeControls)
	for i := range controls {
		owner := owners[rng.IntN(len(owners))]
		controls[i] = store.Control{Ref: fmt.Sprintf("C-%04d", i+1), Title: fmt.Sprintf("Control %d of the large programme", i+1),
			Description: "Reviews the access of every user in scope and records the outcome with the reviewer's sign-off.",
			OwnerID:     &owner, Frequency: largeFrequencies[rng.IntN(len(largeFrequencies))], Nature: "manual",
			ControlType: "detective", ImplementedOn: &implemented, Status: "active", CreatedAt: today, UpdatedAt: today}
	}
	if err := db.InsertInBatches(ctx, &controls, 500); err != nil {
		return nil, err
	}
	ids := make([]int64, len(controls))
	var maps []store.Mapping
	for i, c := range controls {
		ids[i] = c.ID
		for _, k := range []int{i, i + 7} {
			maps = append(maps, store.Mapping{ControlID: c.ID, RequirementID: reqs[k%len(reqs)].ID, CreatedAt: today})
		}
	}
	return ids, db.InsertInBatches(ctx, &maps, 1000)
}

// largeEvidence spreads the records over the last twelve months, each
// covering a month of one control.
func largeEvidence(ctx context.Context, db *store.DB, rng *mrand.Rand, controlIDs []int64, hashes []string, today time.Time) error {
	const batch = 5000
	for start := 0; start < LargeEvidence; start += batch {
		ev := make([]store.Evidence, batch)
		for i := range ev {
			month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -rng.IntN(12), 0)
			from, to := month.Format(time.DateOnly), month.AddDate(0, 1, -1).Format(time.DateOnly)
			ev[i] = store.Evidence{Kind: "file", Title: fmt.Sprintf("Evidence %d", start+i+1), CoversFrom: &from, CoversTo: &to,
				CollectedOn: &to, CreatedAt: today, UpdatedAt: today}
		}
		if err := db.InsertInBatches(ctx, &ev, 1000); err != nil {
			return err
		}
		links := make([]store.EvidenceControl, len(ev))
		files := make([]store.EvidenceFile, len(ev))
		for i, e := range ev {
			links[i] = store.EvidenceControl{EvidenceID: e.ID, ControlID: controlIDs[(start+i)%len(controlIDs)]}
			files[i] = store.EvidenceFile{EvidenceID: e.ID, Revision: 1, SHA256: hashes[rng.IntN(len(hashes))], Size: 544,
				MediaType: "text/plain", OriginalName: fmt.Sprintf("evidence-%d.txt", e.ID), UploadedAt: today}
		}
		if err := db.InsertInBatches(ctx, &links, 1000); err != nil {
			return err
		}
		if err := db.InsertInBatches(ctx, &files, 1000); err != nil {
			return err
		}
	}
	return nil
}

// largeEngagements creates ten SOC 2 Type II engagements over staggered
// periods and samples 50 items of each of 100 controls in the first.
func largeEngagements(ctx context.Context, db *store.DB, rng *mrand.Rand, controlIDs []int64, today time.Time) ([]int64, error) {
	svc := engagement.NewService(db, nil)
	samples := sampling.NewService(db, svc)
	var ids []int64
	for i := range LargeEngagements {
		start := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11+i, 0)
		from, to := start.Format(time.DateOnly), start.AddDate(1, 0, -1).Format(time.DateOnly)
		name := fmt.Sprintf("SOC 2 Type II, business unit %d", i+1)
		e, err := svc.Create(ctx, engagement.Input{Name: &name, Report: ptr("soc2"), ReportType: ptr("type2"),
			PeriodStart: &from, PeriodEnd: &to, Categories: &[]string{"availability", "confidentiality"}})
		if err != nil {
			return nil, err
		}
		ids = append(ids, e.ID)
	}
	admin, err := db.FirstAdminID(ctx)
	if err != nil {
		return nil, err
	}
	for i := range LargeSampleItems / 50 {
		items := make([]sampling.PopulationItem, 50)
		for j := range items {
			items[j] = sampling.PopulationItem{Seq: j + 1, ItemID: fmt.Sprintf("I-%d-%d", i, j), Extra: map[string]string{}}
		}
		if _, err := samples.UploadPopulation(ctx, ids[0], controlIDs[i], admin,
			sampling.PopulationInput{Source: "system", FileName: "population.csv", Items: items}); err != nil {
			return nil, err
		}
		size, seed := 50, rng.Uint64()
		if _, err := samples.DrawSample(ctx, ids[0], controlIDs[i], admin,
			sampling.DrawInput{Seed: &seed, Size: &size, Attributes: []string{"approved"}}); err != nil {
			return nil, err
		}
	}
	return ids, nil
}
