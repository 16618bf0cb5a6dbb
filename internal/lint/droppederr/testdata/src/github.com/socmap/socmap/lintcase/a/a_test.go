package a

import (
	"encoding/json"
	"testing"
)

// Tests are checked too.
func TestDecode(t *testing.T) {
	var v map[string]any
	_ = json.Unmarshal([]byte(`{}`), &v) // want `error of json.Unmarshal is assigned to _`
}
