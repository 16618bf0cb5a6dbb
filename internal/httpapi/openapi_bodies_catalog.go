package httpapi

// catalogBodies are the routes of the frameworks and their requirements.
var catalogBodies = map[string]routeBody{
	"GET /api/v1/frameworks":                              {Response: frameworkList{}},
	"GET /api/v1/frameworks/:framework/requirements":      {Query: requirementQuery{}, Response: requirementList{}},
	"GET /api/v1/frameworks/:framework/requirements/:ref": {Response: requirementOne{}},
	"GET /api/v1/frameworks/:framework/industries":        {Response: industryList{}},
}
