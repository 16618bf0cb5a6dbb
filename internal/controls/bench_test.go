package controls_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

const importRows = 10_000

// matrixCSV is a control matrix of n rows, each mapped to two criteria.
func matrixCSV(refs []string) []byte {
	var b bytes.Buffer
	b.WriteString("Control ID,Title,Description,Owner e-mail,Frequency,Nature,Type,Mapped requirement IDs\n")
	for i := range importRows {
		fmt.Fprintf(&b, "IMP-%05d,Imported control %d,Reviews access and records the outcome,owner@example.com,monthly,manual,detective,soc2-tsc-2017/%s; soc2-tsc-2017/%s\n",
			i, i, refs[i%len(refs)], refs[(i+5)%len(refs)])
	}
	return b.Bytes()
}

// freshStore is an empty installation with the catalogs and one owner.
func freshStore(b *testing.B) (*store.DB, []store.Requirement) {
	b.Helper()
	db := catalogtest.Open(b, storetest.Targets(b)[0])
	now := time.Now().UTC()
	if err := db.W.Create(&store.User{Email: "owner@example.com", Role: "owner", PasswordHash: "x", CreatedAt: now, UpdatedAt: now}).Error; err != nil {
		b.Fatal(err)
	}
	var reqs []store.Requirement
	storetest.Must(b, db.R.Where("framework_id = ? AND category = 'security'", "soc2-tsc-2017").Order("sort_order").Find(&reqs))
	return db, reqs
}

// BenchmarkImport10000 applies a 10,000-row control matrix (CSV) to an
// empty installation: parse, check every row, write controls, mappings and
// audit entries in one transaction.
//
//	go test -run '^$' -bench Import -benchtime 3x ./internal/controls/
func BenchmarkImport10000(b *testing.B) {
	for range b.N {
		b.StopTimer()
		db, reqs := freshStore(b)
		refs := make([]string, len(reqs))
		for i, r := range reqs {
			refs[i] = r.Ref
		}
		data := matrixCSV(refs)
		b.StartTimer()
		matrix, err := controls.ReadMatrix("matrix.csv", bytes.NewReader(data))
		if err != nil || len(matrix.Problems) > 0 {
			b.Fatal(err, matrix.Problems)
		}
		plan, err := controls.NewService(db).Import(context.Background(), matrix, true)
		if err != nil || !plan.Applied || len(plan.Problems) > 0 {
			b.Fatalf("%v %+v", err, plan.Problems)
		}
	}
}

// BenchmarkInsert10000Floor writes the same controls and mappings with
// batched inserts in one transaction, without parsing, checks or audit:
// the floor the import is measured against.
func BenchmarkInsert10000Floor(b *testing.B) {
	for range b.N {
		b.StopTimer()
		db, reqs := freshStore(b)
		b.StartTimer()
		now := time.Now().UTC()
		err := db.W.Transaction(func(tx *gorm.DB) error {
			cs := make([]store.Control, importRows)
			for i := range cs {
				cs[i] = store.Control{Ref: fmt.Sprintf("IMP-%05d", i), Title: strings.Repeat("x", 20), Frequency: "monthly",
					Nature: "manual", ControlType: "detective", Status: "active", CreatedAt: now, UpdatedAt: now}
			}
			if err := tx.CreateInBatches(&cs, 500).Error; err != nil {
				return err
			}
			maps := make([]store.Mapping, 0, 2*importRows)
			for i, c := range cs {
				maps = append(maps, store.Mapping{ControlID: c.ID, RequirementID: reqs[i%len(reqs)].ID, CreatedAt: now},
					store.Mapping{ControlID: c.ID, RequirementID: reqs[(i+5)%len(reqs)].ID, CreatedAt: now})
			}
			return tx.CreateInBatches(&maps, 1000).Error
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
