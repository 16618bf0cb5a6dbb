package httpapi

import (
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement/results"
	"github.com/socmap/socmap/internal/requests"
)

// routeBody names the Go types one route reads and answers with: the
// description's schemas are generated from them. Nil leaves that side
// undescribed.
type routeBody struct {
	Request, Response any
	// Refused is a 400 answer that is not the error shape: an import
	// refused lists what to fix in its plan.
	Refused any
	// Ranges: the route serves a file, and an unsatisfiable range is
	// answered as net/http does, in plain text.
	Ranges bool
	// NoContent: success is a 204 with no body.
	NoContent bool
	// File: success is a file to save (a workbook, a CSV, a calendar),
	// not JSON.
	File bool
	// FileType is the media type of a File answer of a route that answers
	// JSON too, chosen by the Accept header.
	FileType string
	// Form: the route reads a multipart/form-data upload (beside Request's
	// JSON, when it names one).
	Form bool
	// Raw: the route also reads a file sent as the whole body, of any type.
	Raw bool
	// Optional: the route reads a body when one is sent and does without.
	Optional bool
	// Query is a struct whose `query:"name"` fields are the route's query
	// parameters; nil for none. The route takes no others (query.go).
	Query any
}

// importAnswer is what an import would change or changed, and what stops it.
type importAnswer[T any] struct {
	Plan T `json:"plan"`
}

// bodies is keyed by method and gin path, as route() registers them; each
// resource keeps its own table.
var bodies = joinBodies(workBodies, accountBodies, catalogBodies, programBodies, ingestBodies, exportBodies,
	engagementBodies, complementaryBodies, requestBodies)

// joinBodies merges the resources' tables. A route named twice is a
// mistake in the tables, found when the package loads.
func joinBodies(tables ...map[string]routeBody) map[string]routeBody {
	out := map[string]routeBody{}
	for _, t := range tables {
		for k, b := range t {
			if _, twice := out[k]; twice {
				panic("two bodies tables describe " + k)
			}
			out[k] = b
		}
	}
	return out
}

// workBodies are the routes of controls, evidence, engagements and tasks.
var workBodies = map[string]routeBody{
	"GET /api/v1/controls":         {Query: controlQuery{}, Response: controlList{}},
	"POST /api/v1/controls/import": {Query: applyQuery{}, Form: true, Response: importAnswer[controls.Plan]{}, Refused: importAnswer[controls.Plan]{}},
	"POST /api/v1/engagements/:id/results/import": {Query: dryRunQuery{}, Form: true, Response: importAnswer[results.ResultsPlan]{},
		Refused: importAnswer[results.ResultsPlan]{}},
	"POST /api/v1/engagements/:id/requests/import": {Query: applyQuery{}, Form: true, Response: importAnswer[requests.ImportPlan]{},
		Refused: importAnswer[requests.ImportPlan]{}},
	"GET /api/v1/evidence/:id/download":                         {Query: revisionQuery{}, File: true, Ranges: true},
	"GET /api/v1/engagements/:id/evidence/:evidence/download":   {Query: revisionQuery{}, File: true, Ranges: true},
	"GET /api/v1/engagements/:id/requests/:request/files/:file": {File: true, Ranges: true},
	"POST /api/v1/controls":                                     {Request: controlBody{}, Response: controlOne{}},
	"GET /api/v1/controls/:id":                                  {Response: controlDetail{}},
	"PATCH /api/v1/controls/:id":                                {Request: controlBody{}, Response: controlOne{}},

	"GET /api/v1/evidence":       {Query: evidenceQuery{}, Response: evidenceList{}},
	"POST /api/v1/evidence":      {Request: evidenceBody{}, Form: true, Response: evidenceOne{}},
	"GET /api/v1/evidence/:id":   {Response: evidenceDetail{}},
	"PATCH /api/v1/evidence/:id": {Request: metaJSON{}, Response: evidenceOne{}},

	"GET /api/v1/engagements":       {Query: engagementQuery{}, Response: engagementList{}},
	"POST /api/v1/engagements":      {Request: engagementBody{}, Response: engagementDetail{}},
	"GET /api/v1/engagements/:id":   {Response: engagementDetail{}},
	"PATCH /api/v1/engagements/:id": {Request: engagementBody{}, Response: engagementDetail{}},

	"GET /api/v1/tasks":                     {Query: taskPageQuery{}, Response: taskList{}},
	"POST /api/v1/tasks":                    {Request: adhocTaskBody{}, Response: taskOne{}},
	"GET /api/v1/tasks/:id":                 {Response: taskOne{}},
	"GET /api/v1/tasks/counts":              {Query: taskQuery{}, Response: taskCounts{}},
	"GET /api/v1/calendar-feed":             {Response: feedStateJSON{}},
	"POST /api/v1/calendar-feed":            {Response: newFeedJSON{}},
	"POST /api/v1/tasks/:id/not-applicable": {Request: reasonBody{}, Response: taskOne{}},
	"POST /api/v1/tasks/:id/done":           {Response: taskOne{}},
	"POST /api/v1/tasks/:id/reopen":         {Response: taskOne{}},
}
