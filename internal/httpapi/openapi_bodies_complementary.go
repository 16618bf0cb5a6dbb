package httpapi

// complementaryBodies are the routes of an engagement's workpapers
// (sign-offs, walkthroughs, exception evaluations) and complementary
// controls (CUECs, subservice organisations and their reviews).
var complementaryBodies = map[string]routeBody{
	"PUT /api/v1/engagements/:id/controls/:control/sign-off":                {Request: signAsBody{}, Response: signedJSON{}},
	"PUT /api/v1/engagements/:id/samples/:sample/sign-off":                  {Request: signAsBody{}, Response: signedJSON{}},
	"PUT /api/v1/engagements/:id/exceptions/:exception/evaluation":          {Request: exceptionEvaluationBody{}, Response: exceptionEvaluationOne{}},
	"PUT /api/v1/engagements/:id/exceptions/:exception/evaluation/sign-off": {Request: signAsBody{}, Response: exceptionEvaluationOne{}},
	"GET /api/v1/engagements/:id/controls/:control/walkthrough":             {Response: walkthroughOne{}},
	"PUT /api/v1/engagements/:id/controls/:control/walkthrough":             {Request: walkthroughBody{}, Response: walkthroughOne{}},

	"GET /api/v1/engagements/:id/complementary":           {Response: complementaryJSON{}},
	"POST /api/v1/engagements/:id/cuecs":                  {Request: newCUECBody{}, Response: cuecOne{}},
	"GET /api/v1/engagements/:id/cuecs/:cuec":             {Response: cuecOne{}},
	"PATCH /api/v1/engagements/:id/cuecs/:cuec":           {Request: cuecPatchBody{}, Response: cuecOne{}},
	"DELETE /api/v1/engagements/:id/cuecs/:cuec":          {NoContent: true},
	"POST /api/v1/engagements/:id/subservice-orgs":        {Request: newSubserviceBody{}, Response: newSubserviceOne{}},
	"GET /api/v1/engagements/:id/subservice-orgs/:org":    {Response: subserviceOne{}},
	"PATCH /api/v1/engagements/:id/subservice-orgs/:org":  {Request: subservicePatchBody{}, Response: subserviceOne{}},
	"DELETE /api/v1/engagements/:id/subservice-orgs/:org": {NoContent: true},

	"GET /api/v1/engagements/:id/subservice-orgs/:org/reviews":            {Response: reviewList{}},
	"POST /api/v1/engagements/:id/subservice-orgs/:org/reviews":           {Request: reviewBody{}, Response: reviewOne{}},
	"GET /api/v1/engagements/:id/subservice-orgs/:org/reviews/:review":    {Response: reviewOne{}},
	"PATCH /api/v1/engagements/:id/subservice-orgs/:org/reviews/:review":  {Request: reviewBody{}, Response: reviewOne{}},
	"DELETE /api/v1/engagements/:id/subservice-orgs/:org/reviews/:review": {NoContent: true},
	"POST /api/v1/engagements/:id/roll-forward":                           {Request: engagementBody{}, Response: engagementDetail{}},

	"POST /api/v1/engagements/:id/bridge-letter/sign": {Request: bridgeBody{}, Response: bridgeLetterOne{}},
	"GET /api/v1/engagements/:id/bridge-letters":      {Response: bridgeLetterList{}},
}
