package store

import "context"

// The frameworks a report scope draws on.
const (
	SOC2Framework    = "soc2-tsc-2017"
	OrgSOC1Framework = "org-soc1"
)

// ScopeRequirements lists the live requirements of a report scope in
// catalog order: the SOC 2 criteria of Security and of the categories
// given, and with soc1 the organisation's own SOC 1 objectives.
func (db *DB) ScopeRequirements(ctx context.Context, categories []string, soc1 bool) ([]Requirement, error) {
	cats := append([]string{"security"}, categories...)
	q := db.R.WithContext(ctx).Table("requirements AS r").Select("r.*").
		Joins("JOIN frameworks f ON f.id = r.framework_id").Where("NOT r.retired")
	if soc1 {
		q = q.Where("(r.framework_id = ? AND r.category IN ?) OR r.framework_id = ?", SOC2Framework, cats, OrgSOC1Framework)
	} else {
		q = q.Where("r.framework_id = ? AND r.category IN ?", SOC2Framework, cats)
	}
	var out []Requirement
	err := q.Order("f.sort_order, r.sort_order").Scan(&out).Error
	return out, err
}

// MatrixControl is a control that is not retired, with the requirements
// it is mapped to.
type MatrixControl struct {
	ID           int64
	Ref          string
	Title        string
	Status       string
	Requirements []int64 `gorm:"-"`
}

// MatrixControls lists every control that is not retired, by reference,
// with its mappings: two queries, whatever the number of controls.
func (db *DB) MatrixControls(ctx context.Context) ([]MatrixControl, error) {
	q := db.R.WithContext(ctx)
	var out []MatrixControl
	if err := q.Table("controls AS c").Select("c.id, c.ref, c.title, c.status").Where(activeControl).
		Order("c.ref").Scan(&out).Error; err != nil {
		return nil, err
	}
	index := make(map[int64]int, len(out))
	for i, c := range out {
		index[c.ID] = i
		out[i].Requirements = []int64{}
	}
	var links []Mapping
	if err := q.Table("control_requirements").Select("control_id, requirement_id").Order("control_id, requirement_id").
		Scan(&links).Error; err != nil {
		return nil, err
	}
	for _, l := range links {
		if i, ok := index[l.ControlID]; ok {
			out[i].Requirements = append(out[i].Requirements, l.RequirementID)
		}
	}
	return out, nil
}
