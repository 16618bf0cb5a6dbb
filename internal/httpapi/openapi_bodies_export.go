package httpapi

// exportBodies are the files an engagement hands auditors, and the jobs
// that prepare the large ones.
var exportBodies = map[string]routeBody{
	"POST /api/v1/engagements/:id/workbook/jobs": {Response: jobOne{}},
	"POST /api/v1/engagements/:id/package/jobs":  {Response: jobOne{}},
	"GET /api/v1/engagements/:id/jobs/:job":      {Response: jobOne{}},
	"GET /api/v1/engagements/:id/jobs/:job/file": {File: true},

	"GET /api/v1/engagements/:id/workbook":           {File: true},
	"GET /api/v1/engagements/:id/package":            {File: true},
	"GET /api/v1/engagements/:id/control-matrix.csv": {File: true},
	"GET /api/v1/engagements/:id/evidence-index.csv": {File: true},
	"GET /api/v1/engagements/:id/requests.csv":       {File: true},
	"GET /api/v1/engagements/:id/requests.xlsx":      {File: true},
}
