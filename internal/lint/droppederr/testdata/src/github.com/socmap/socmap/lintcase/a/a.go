package a

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"time"

	"example.com/other"
	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/lintcase/wrap"
	"gorm.io/gorm"
)

func gormChains(db *gorm.DB) error { // want gormChains:"returnsCheckedError"
	db.Create(&struct{}{})                                 // want `result of GORM call Create is dropped: check its .Error`
	db.Where("x = ?", 1).Find(&[]struct{}{})               // want `result of GORM call Find is dropped`
	_ = db.Create(1).Error                                 // want `GORM .Error is assigned to _`
	_ = db.Where("x")                                      // want `result of GORM call is assigned to _`
	go db.Create(1)                                        // want `result of GORM call Create is dropped`
	defer db.Commit()                                      // want `deferred result of GORM call Commit is dropped`
	defer db.Rollback()                                    // a deferred Rollback fails once committed: allowed
	db.Transaction(func(tx *gorm.DB) error { return nil }) // want `error of Transaction is dropped`

	var n int64
	if db.Take(&n).Error == nil { // want `the error of GORM call Take is only compared`
		return nil
	}
	if errors.Is(db.Take(&n).Error, gorm.ErrRecordNotFound) { // want `the error of GORM call Take is only compared`
		return nil
	}

	// Used: nothing to report.
	res := db.Where("x").Count(&n)
	if res.Error != nil {
		return res.Error
	}
	if err := db.Take(&n).Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	q := db.Where("a")
	q = q.Where("b")
	return q.Find(&n).Error
}

func parsing(b []byte, s string) {
	_ = json.Unmarshal(b, &s)   // want `error of json.Unmarshal is assigned to _`
	json.Unmarshal(b, &s)       // want `error of json.Unmarshal is dropped`
	out, _ := json.Marshal(s)   // want `error of json.Marshal is assigned to _`
	n, _ := strconv.Atoi(s)     // want `error of strconv.Atoi is assigned to _`
	n, _ = strconv.Atoi(s)      // want `error of strconv.Atoi is assigned to _`
	var t, _ = time.Parse(s, s) // want `error of time.Parse is assigned to _`
	u, _ := url.Parse(s)        // want `error of url.Parse is assigned to _`
	d, _ := civil.Parse(s)      // want `error of civil.Parse is assigned to _`
	w, _ := wrap.Day(s)         // want `error of wrap.Day is assigned to _`
	h, _ := wrap.Hours(s)       // want `error of wrap.Hours is assigned to _`
	w, _ = wrap.Twice(s)        // want `error of wrap.Twice is assigned to _`
	_ = (&wrap.Store{}).Save(s) // want `error of Save is assigned to _`
	var dec json.Decoder
	dec.Decode(&s) // want `error of Decode is dropped`

	// Not parsers, or not this module's: nothing to report.
	e, _ := wrap.Explained(s)
	o, _ := other.Day(s)
	_, _, _, _, _, _, _, _, _, _, _ = out, n, t, u, d, w, h, e, o, b, s
}

// handled shows the fixes the analyzer asks for.
func handled(s string) (int, error) { // want handled:"returnsCheckedError"
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, err
	}
	// A constant layout and a constant date: cannot fail.
	epoch, err := time.Parse(time.DateOnly, "1970-01-01")
	if err != nil {
		panic(err)
	}
	return n + epoch.Year(), nil
}
