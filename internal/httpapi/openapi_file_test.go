package httpapi_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/socmap/socmap/internal/httpapi"
)

// The web app's types are generated from a copy of the description kept
// beside them; a change to the API that is not copied there fails here.
func TestOpenAPIFileIsCurrent(t *testing.T) {
	t.Parallel()
	const file = "../../frontend/src/gen/openapi.json"
	want, err := httpapi.OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not the API's description: run `make openapi` and commit what it changes under frontend/src/gen", file)
	}
}

// Each allowed-value list is one named schema, and the fields that take
// it refer to that schema instead of repeating the values.
func TestOpenAPIEnumsAreNamedOnce(t *testing.T) {
	t.Parallel()
	raw, err := httpapi.OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	freq := doc.Components.Schemas["Frequency"].Enum
	if len(freq) < 8 || freq[0] != "annual" {
		t.Errorf("Frequency = %v, want the control frequencies", freq)
	}
	if n := bytes.Count(raw, []byte(`"several-times-a-day"`)); n != 1 {
		t.Errorf("the frequencies are written %d times, want once", n)
	}
	if !bytes.Contains(raw, []byte(`"$ref": "#/components/schemas/Frequency"`)) {
		t.Error("no field refers to the Frequency schema")
	}
}
