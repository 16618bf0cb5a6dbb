package sampling

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParsePopulation feeds arbitrary bytes as a population upload: it may
// be refused with the problems listed, but must never panic or come back
// with more items than the limit.
func FuzzParsePopulation(f *testing.F) {
	f.Add("p.csv", []byte("Item ID,Date,Description\nT-1,2026-03-01,Leaver\nT-2,01/03/2026,x\n"))
	f.Add("p.csv", []byte("id\nT-1\nT-1\n"))
	f.Add("p.csv", []byte("\xef\xbb\xbfID,Date\n\"a\"\"b\",45000\n"))
	f.Add("p.xlsx", []byte("PK\x03\x04garbage"))
	f.Add("p.pdf", []byte("%PDF"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		items, err := ParsePopulation(name, bytes.NewReader(data))
		if err != nil {
			var pe *PopulationError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("a refusal must list its problems: %v", err)
			}
			return
		}
		if len(items) > MaxPopulationItems {
			t.Fatalf("%d items passed the limit", len(items))
		}
	})
}
