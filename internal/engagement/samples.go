package engagement

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
)

// Population is an uploaded list of a control's occurrences.
type Population struct {
	ID           int64 `gorm:"primaryKey"`
	EngagementID int64
	ControlID    int64
	Source       string
	Query        string
	FileName     string
	ItemCount    int
	UploadedBy   *int64
	UploadedAt   time.Time
}

type populationItem struct {
	PopulationID int64 `gorm:"primaryKey"`
	Seq          int   `gorm:"primaryKey"`
	ItemID       string
	ItemDate     *string
	Description  string
	Extra        string
}

func (populationItem) TableName() string { return "population_items" }

// DrawnSample is a reproducible selection from a population.
type DrawnSample struct {
	ID           int64 `gorm:"primaryKey"`
	EngagementID int64
	ControlID    int64
	PopulationID int64
	Seed         string // decimal uint64, recorded so anyone can redraw it
	Method       string
	Size         int
	Attributes   string // JSON list of the attributes tested per item
	SelectedBy   *int64
	SelectedAt   time.Time
}

func (DrawnSample) TableName() string { return "samples" }

type sampleItem struct {
	SampleID  int64 `gorm:"primaryKey"`
	Seq       int   `gorm:"primaryKey"`
	Results   string
	Exception bool
	Notes     string
}

func (sampleItem) TableName() string { return "sample_items" }

// UploadPopulation stores a parsed population for a control in scope; a
// new upload becomes the current population and earlier ones are kept.
func (s *Service) UploadPopulation(ctx context.Context, id, controlID int64, userID int64, source, query, fileName string, items []PopulationItem) (Population, error) {
	p := Population{EngagementID: id, ControlID: controlID, Source: strings.TrimSpace(source), Query: strings.TrimSpace(query),
		FileName: fileName, ItemCount: len(items), UploadedBy: &userID, UploadedAt: s.now()}
	if len([]rune(p.Source)) > 500 || len([]rune(p.Query)) > 20000 {
		return p, apperr.Invalid("source or query too long", map[string]string{"source": "at most 500 characters", "query": "at most 20000 characters"})
	}
	if err := s.checkInScope(ctx, id, controlID); err != nil {
		return p, err
	}
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		rows := make([]populationItem, len(items))
		for i, it := range items {
			extra, err := json.Marshal(it.Extra)
			if err != nil {
				return err
			}
			rows[i] = populationItem{PopulationID: p.ID, Seq: it.Seq, ItemID: it.ItemID, ItemDate: it.Date,
				Description: it.Description, Extra: string(extra)}
		}
		if err := tx.CreateInBatches(rows, 500).Error; err != nil {
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement.population", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"control_id": controlID,
				"population_id": p.ID, "file_name": fileName, "items": len(items), "source": p.Source})})
	})
	return p, err
}

// DrawSample selects items from the control's current population. Without
// a seed one is drawn at random and recorded; without a size the required
// sample for the population is used.
func (s *Service) DrawSample(ctx context.Context, id, controlID, userID int64, seed *uint64, size *int, attributes []string) (DrawnSample, error) {
	var out DrawnSample
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var pop Population
		err := tx.Where("engagement_id = ? AND control_id = ?", id, controlID).Order("id DESC").Take(&pop).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.Invalid("upload the control's population first", map[string]string{"population": "none uploaded"})
		} else if err != nil {
			return err
		}
		n, err := s.sampleSize(ctx, id, controlID, pop.ItemCount, size)
		if err != nil {
			return err
		}
		attrs, err := cleanAttributes(attributes)
		if err != nil {
			return err
		}
		sd := randomSeed()
		if seed != nil {
			sd = *seed
		}
		attrJSON, err := json.Marshal(attrs)
		if err != nil {
			return err
		}
		out = DrawnSample{EngagementID: id, ControlID: controlID, PopulationID: pop.ID, Seed: strconv.FormatUint(sd, 10),
			Method: SelectionMethod, Size: n, Attributes: string(attrJSON), SelectedBy: &userID, SelectedAt: s.now()}
		if err := tx.Create(&out).Error; err != nil {
			return err
		}
		for _, i := range Select(pop.ItemCount, n, sd) {
			if err := tx.Create(&sampleItem{SampleID: out.ID, Seq: i + 1, Results: "{}"}).Error; err != nil {
				return err
			}
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement.sample", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"control_id": controlID,
				"sample_id": out.ID, "population_id": pop.ID, "seed": out.Seed, "size": n, "method": out.Method})})
	})
	return out, err
}

func (s *Service) sampleSize(ctx context.Context, id, controlID int64, population int, size *int) (int, error) {
	if size != nil {
		if *size < 1 || *size > population {
			return 0, apperr.Invalid("the sample size must be between 1 and the population size",
				map[string]string{"size": fmt.Sprintf("1 to %d", population)})
		}
		return *size, nil
	}
	scoped, err := s.Controls(ctx, id)
	if err != nil {
		return 0, err
	}
	for _, c := range scoped {
		if c.ID == controlID {
			req, err := RequiredSample(s.sampleTable, DefaultEventBands(), c.Frequency, c.Nature, len(c.Windows), population)
			if err != nil {
				return 0, apperr.Invalid(err.Error(), nil)
			}
			return req.Size, nil
		}
	}
	return 0, apperr.NotFound("control %d is not in the engagement", controlID)
}

func cleanAttributes(in []string) ([]string, error) {
	out := []string{}
	for _, a := range in {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(out, a) {
			if len([]rune(a)) > 200 {
				return nil, apperr.Invalid("an attribute is too long", map[string]string{"attributes": "at most 200 characters each"})
			}
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, apperr.Invalid("name what is tested on each item", map[string]string{"attributes": "at least one, e.g. \"approved before access was granted\""})
	}
	if len(out) > 20 {
		return nil, apperr.Invalid("too many attributes", map[string]string{"attributes": "at most 20"})
	}
	return out, nil
}

func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:]) >> 11 // fits a JavaScript number, so the UI shows it exactly
}

// Attribute outcomes of a sampled item.
var attributeOutcomes = []string{"pass", "fail", "na"}

// RecordSampleItem stores the attribute results of one sampled item; an
// item with any failed attribute is an exception.
func (s *Service) RecordSampleItem(ctx context.Context, id, sampleID int64, seq int, results map[string]string, notes string) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var smp DrawnSample
		err := tx.Take(&smp, "id = ? AND engagement_id = ?", sampleID, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.NotFound("sample %d not found in engagement %d", sampleID, id)
		} else if err != nil {
			return err
		}
		var item sampleItem
		if err := tx.Take(&item, "sample_id = ? AND seq = ?", sampleID, seq).Error; err != nil {
			return apperr.NotFound("item %d is not in sample %d", seq, sampleID)
		}
		var attrs []string
		if err := json.Unmarshal([]byte(smp.Attributes), &attrs); err != nil {
			return fmt.Errorf("sample %d attributes: %w", sampleID, err)
		}
		fields := map[string]string{}
		exception := false
		for a, v := range results {
			switch {
			case !slices.Contains(attrs, a):
				fields[a] = "not an attribute of this sample"
			case !slices.Contains(attributeOutcomes, v):
				fields[a] = "must be pass, fail or na"
			case v == "fail":
				exception = true
			}
		}
		if len([]rune(notes)) > 5000 {
			fields["notes"] = "at most 5000 characters"
		}
		if len(fields) > 0 {
			return apperr.Invalid("the item's results cannot be saved as given", fields)
		}
		before := map[string]any{"results": item.Results, "notes": item.Notes}
		encoded, err := json.Marshal(results)
		if err != nil {
			return err
		}
		item.Results, item.Exception, item.Notes = string(encoded), exception, strings.TrimSpace(notes)
		if err := tx.Save(&item).Error; err != nil {
			return err
		}
		changes := auditlog.Diff(before, map[string]any{"results": item.Results, "notes": item.Notes})
		changes["sample_item"] = auditlog.Change{After: fmt.Sprintf("sample %d item %d", sampleID, seq)}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement.sample_result", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
}

// SampledItem is a population item in a sample, with its results.
type SampledItem struct {
	Seq         int
	ItemID      string
	ItemDate    *string
	Description string
	Results     string
	Exception   bool
	Notes       string
}

// TestWork is a control's population and samples in an engagement.
type TestWork struct {
	Population *Population
	Samples    []DrawnSample
	Items      map[int64][]SampledItem // by sample ID
}

// Work returns the control's current population and its samples.
func (s *Service) Work(ctx context.Context, id, controlID int64) (TestWork, error) {
	q := s.db.R.WithContext(ctx)
	w := TestWork{Samples: []DrawnSample{}, Items: map[int64][]SampledItem{}}
	var pops []Population
	if err := q.Where("engagement_id = ? AND control_id = ?", id, controlID).Order("id DESC").Limit(1).Find(&pops).Error; err != nil {
		return w, err
	}
	if len(pops) == 0 {
		return w, nil
	}
	w.Population = &pops[0]
	if err := q.Where("engagement_id = ? AND control_id = ?", id, controlID).Order("id DESC").Find(&w.Samples).Error; err != nil {
		return w, err
	}
	for _, smp := range w.Samples {
		var items []SampledItem
		err := q.Table("sample_items AS si").
			Select("si.seq, pi.item_id, pi.item_date, pi.description, si.results, si.exception, si.notes").
			Joins("JOIN population_items pi ON pi.population_id = ? AND pi.seq = si.seq", smp.PopulationID).
			Where("si.sample_id = ?", smp.ID).Order("si.seq").Scan(&items).Error
		if err != nil {
			return w, err
		}
		w.Items[smp.ID] = items
	}
	return w, nil
}
