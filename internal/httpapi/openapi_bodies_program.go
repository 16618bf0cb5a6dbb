package httpapi

import "github.com/socmap/socmap/internal/dashboard"

// programBodies are the routes of the organisation's programme: controls
// and their mappings, SOC 1 objectives, evidence, coverage, the matrix and
// the dashboard.
var programBodies = map[string]routeBody{
	"POST /api/v1/controls/bulk":  {Request: controlBulkBody{}, Response: changedJSON{}},
	"DELETE /api/v1/controls/:id": {NoContent: true},
	"GET /api/v1/mappings":        {Query: mappingQuery{}, Response: mappingList{}},
	"POST /api/v1/mappings":       {Request: mappingChangeBody{}, Response: mappingChangedJSON{}},
	"PUT /api/v1/applicability":   {Request: applicabilityBody{}, NoContent: true},
	"GET /api/v1/matrix":          {Query: scopeQuery{}, Response: matrixJSON{}},
	"GET /api/v1/coverage":        {Query: coverageQuery{}, Response: coverageReport{}},
	"GET /api/v1/dashboard":       {Query: dashboardQuery{}, Response: dashboard.Dashboard{}},

	"GET /api/v1/soc1-objectives":                {Response: objectiveList{}},
	"POST /api/v1/soc1-objectives":               {Request: objectiveBody{}, Response: requirementOne{}},
	"GET /api/v1/soc1-objectives/proposal":       {Query: proposalQuery{}, Response: proposalJSON{}},
	"POST /api/v1/soc1-objectives/adopt":         {Request: adoptBody{}, Response: adoptedJSON{}},
	"GET /api/v1/soc1-objectives/:ref":           {Response: objectiveOne{}},
	"PATCH /api/v1/soc1-objectives/:ref":         {Request: objectiveBody{}, Response: objectiveSaved{}},
	"POST /api/v1/soc1-objectives/:ref/controls": {Request: adoptActivitiesBody{}, Response: draftControlList{}},

	"DELETE /api/v1/evidence/:id":         {Query: reasonQuery{}, Request: reasonBody{}, Optional: true, NoContent: true},
	"POST /api/v1/evidence/:id/restore":   {Response: evidenceOne{}},
	"POST /api/v1/evidence/:id/revisions": {Form: true, Response: revisionOne{}},
	"GET /api/v1/evidence/:id/usage":      {Response: evidenceUsage{}},
}
