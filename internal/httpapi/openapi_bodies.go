package httpapi

// routeBody names the Go types one route reads and answers with: the
// description's schemas are generated from them. Nil leaves that side
// undescribed.
type routeBody struct {
	Request, Response any
}

// bodies is keyed by method and gin path, as route() registers them.
var bodies = map[string]routeBody{
	"GET /api/v1/controls":       {Response: controlList{}},
	"POST /api/v1/controls":      {Request: controlBody{}, Response: controlOne{}},
	"GET /api/v1/controls/:id":   {Response: controlDetail{}},
	"PATCH /api/v1/controls/:id": {Request: controlBody{}, Response: controlOne{}},

	"GET /api/v1/evidence":       {Response: evidenceList{}},
	"POST /api/v1/evidence":      {Request: evidenceBody{}, Response: evidenceOne{}},
	"GET /api/v1/evidence/:id":   {Response: evidenceDetail{}},
	"PATCH /api/v1/evidence/:id": {Request: metaJSON{}, Response: evidenceOne{}},

	"POST /api/v1/engagements":      {Request: engagementBody{}, Response: engagementDetail{}},
	"GET /api/v1/engagements/:id":   {Response: engagementDetail{}},
	"PATCH /api/v1/engagements/:id": {Request: engagementBody{}, Response: engagementDetail{}},

	"GET /api/v1/tasks":                     {Response: taskList{}},
	"POST /api/v1/tasks":                    {Request: adhocTaskBody{}, Response: taskOne{}},
	"GET /api/v1/tasks/:id":                 {Response: taskOne{}},
	"POST /api/v1/tasks/:id/not-applicable": {Response: taskOne{}},
	"POST /api/v1/tasks/:id/done":           {Response: taskOne{}},
	"POST /api/v1/tasks/:id/reopen":         {Response: taskOne{}},
}
