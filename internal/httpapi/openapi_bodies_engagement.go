package httpapi

import "github.com/socmap/socmap/internal/engagement/scoping"

// engagementBodies are the routes of an engagement's scope, results,
// exceptions, roll-up and test work.
var engagementBodies = map[string]routeBody{
	"POST /api/v1/scoping":                          {Request: scoping.Answers{}, Response: scopingJSON{}},
	"GET /api/v1/controls/:id/engagements":          {Response: controlEngagements{}},
	"GET /api/v1/engagements/:id/controls":          {Query: gridQuery{}, Response: gridJSON{}},
	"GET /api/v1/engagements/:id/controls/:control": {Response: scopedControlOne{}},
	"PUT /api/v1/engagements/:id/scope":             {Request: scopeBody{}, NoContent: true},
	"PUT /api/v1/engagements/:id/auditors":          {Request: auditorsBody{}, Response: engagementDetail{}},
	"PUT /api/v1/engagements/:id/sample-policy":     {Request: samplePolicyBody{}, Response: engagementDetail{}},

	"GET /api/v1/engagements/:id/results":                       {Response: resultList{}},
	"GET /api/v1/engagements/:id/controls/:control/result":      {Response: resultOne{}},
	"PUT /api/v1/engagements/:id/controls/:control/result":      {Request: resultBody{}, Response: resultOne{}},
	"GET /api/v1/engagements/:id/rollup":                        {Response: rollUpJSON{}},
	"POST /api/v1/engagements/:id/controls/:control/exceptions": {Request: newExceptionBody{}, Response: exceptionOne{}},
	"GET /api/v1/engagements/:id/exceptions":                    {Response: exceptionList{}},
	"GET /api/v1/engagements/:id/exceptions/:exception":         {Response: exceptionOne{}},
	"PATCH /api/v1/engagements/:id/exceptions/:exception":       {Request: exceptionPatchBody{}, Response: exceptionOne{}},

	"GET /api/v1/engagements/:id/controls/:control/work":        {Response: workJSON{}},
	"POST /api/v1/engagements/:id/controls/:control/population": {Form: true, Response: populationOne{}},
	"POST /api/v1/engagements/:id/controls/:control/samples":    {Request: drawBody{}, Response: sampleOne{}},
	"POST /api/v1/engagements/:id/exceptions/:exception/retest": {Request: drawBody{}, Response: sampleOne{}},
	"POST /api/v1/engagements/:id/samples/:sample/extensions":   {Request: extendBody{}, Response: sampleOne{}},
	"PUT /api/v1/engagements/:id/samples/:sample/items/:seq":    {Request: sampleItemBody{}, NoContent: true},
	"POST /api/v1/engagements/:id/samples/:sample/items/pass":   {Request: passItemsBody{}, NoContent: true},

	"PUT /api/v1/engagements/:id/controls/:control/windows/:window/not-expected":          {Request: reasonBody{}, NoContent: true},
	"DELETE /api/v1/engagements/:id/controls/:control/windows/:window/not-expected":       {NoContent: true},
	"POST /api/v1/engagements/:id/controls/:control/windows/:window/evidence":             {Request: attachBody{}, NoContent: true},
	"DELETE /api/v1/engagements/:id/controls/:control/windows/:window/evidence/:evidence": {NoContent: true},
	"GET /api/v1/engagements/:id/controls/:control/evidence":                              {Query: paging{}, Response: evidenceList{}},
	"GET /api/v1/engagements/:id/opinion-impact":                                          {Response: opinionImpactJSON{}},
	"PUT /api/v1/engagements/:id/applicability/:ref":                                      {Request: reasonBody{}, Response: applicabilityOne{}},
	"DELETE /api/v1/engagements/:id/applicability/:ref":                                   {NoContent: true},
	"DELETE /api/v1/engagements/:id/requirements/:ref/evaluation":                         {NoContent: true},
}
