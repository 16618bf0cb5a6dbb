package httpapi

// ingestBodies are the routes of scanner reports, their sources, runs,
// checks and mapping rules, and the files the task list exports.
var ingestBodies = map[string]routeBody{
	"POST /api/v1/ingest":                 {Query: ingestQuery{}, Form: true, Raw: true, Response: ingestedJSON{}},
	"GET /api/v1/ingest/sources":          {Response: sourceList{}},
	"PATCH /api/v1/ingest/sources/:id":    {Request: sourcePatchBody{}, Response: sourceList{}},
	"GET /api/v1/ingest/runs":             {Query: runQuery{}, Response: runList{}},
	"GET /api/v1/ingest/runs/:id":         {Response: runDetail{}},
	"GET /api/v1/ingest/runs/:id/results": {Query: scanResultQuery{}, Response: scanResultList{}},
	"GET /api/v1/ingest/checks":           {Query: checkQuery{}, Response: checkList{}},
	"GET /api/v1/ingest/rules":            {Response: ruleList{}},
	"POST /api/v1/ingest/rules":           {Request: ruleBody{}, Response: ruleList{}},
	"POST /api/v1/ingest/rules/import":    {Form: true, Raw: true, Response: ruleList{}},
	"DELETE /api/v1/ingest/rules/:id":     {NoContent: true},
	"GET /api/v1/controls/:id/automated":  {Query: periodQuery{}, Response: historyJSON{}},

	"GET /api/v1/tasks/export.xlsx": {Query: taskQuery{}, File: true},
	"GET /api/v1/tasks/export.csv":  {Query: taskQuery{}, File: true},
	"GET /api/v1/calendar.ics":      {Query: tokenQuery{}, File: true},
	// The description describes itself only as a JSON object.
	"GET /api/v1/openapi.json": {Response: map[string]any{}},
}
