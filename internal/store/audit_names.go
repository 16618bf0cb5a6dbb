package store

import (
	"context"
	"strconv"
	"strings"
)

// objectNames are how the audit trail's object types are named: the table
// and the SQL that makes a person's name of a row ("CM-02 Access review").
var objectNames = map[string]struct{ table, name string }{
	"control":    {"controls", "ref || ' ' || title"},
	"engagement": {"engagements", "name"},
	"evidence":   {"evidence", "title"},
	"task":       {"tasks", "title"},
	"user":       {"users", "email"},
}

// AuditObjectNames names the objects audit entries refer to, per object
// type and id as the entries record them. An object deleted since, or of
// a type without names, is left out: the entry then shows its id.
func (db *DB) AuditObjectNames(ctx context.Context, ids map[string][]string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for typ, list := range ids {
		var rows []struct {
			ID   string
			Name string
		}
		var err error
		switch spec, ok := objectNames[typ]; {
		case ok:
			err = db.Conn(ctx, false).Table(spec.table).Select("CAST(id AS VARCHAR(20)) AS id, "+spec.name+" AS name").
				Where("id IN ?", numbers(list)).Scan(&rows).Error
		case typ == "requirement":
			rows, err = db.requirementNames(ctx, list)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		out[typ] = map[string]string{}
		for _, r := range rows {
			out[typ][r.ID] = r.Name
		}
	}
	return out, nil
}

// requirementNames names requirements recorded as "framework/ref" by
// their framework's name, code and title.
func (db *DB) requirementNames(ctx context.Context, keys []string) ([]struct{ ID, Name string }, error) {
	var out []struct{ ID, Name string }
	for _, k := range keys {
		fw, ref, ok := strings.Cut(k, "/")
		if !ok {
			continue
		}
		var r struct{ Name, Ref, Title string }
		res := db.Conn(ctx, false).Table("requirements r").Select("f.name, r.ref, r.title").
			Joins("JOIN frameworks f ON f.id = r.framework_id").Where("r.framework_id = ? AND r.ref = ?", fw, ref).Limit(1).Scan(&r)
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected == 1 {
			out = append(out, struct{ ID, Name string }{k, r.Name + " " + r.Ref + " " + r.Title})
		}
	}
	return out, nil
}

// numbers keeps the ids that are numbers, so a stray one cannot break the query.
func numbers(ids []string) []int64 {
	out := []int64{}
	for _, s := range ids {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		out = append(out, -1)
	}
	return out
}
