package httpapi

// requestBodies are the routes of an engagement's requests (the auditor's
// list of what to hand over, its thread and its hand-over), and of the
// evaluations of its criteria and the bridge letter.
var requestBodies = map[string]routeBody{
	"GET /api/v1/engagements/:id/requests":                    {Query: requestQuery{}, Response: requestPage{}},
	"POST /api/v1/engagements/:id/requests":                   {Request: requestBody{}, Response: requestOne{}},
	"POST /api/v1/engagements/:id/requests/generate":          {Request: emptyBody{}, Optional: true, Response: requestsGenerated{}},
	"GET /api/v1/requests/mine":                               {Response: requestsOwed{}},
	"GET /api/v1/engagements/:id/requests/:request":           {Response: requestOne{}},
	"PATCH /api/v1/engagements/:id/requests/:request":         {Request: requestBody{}, Response: requestOne{}},
	"DELETE /api/v1/engagements/:id/requests/:request":        {NoContent: true},
	"POST /api/v1/engagements/:id/requests/:request/comments": {Request: requestCommentBody{}, Form: true, Response: requestOne{}},
	"POST /api/v1/engagements/:id/requests/:request/submit":   {Request: requestSubmitBody{}, Form: true, Response: requestOne{}},
	"POST /api/v1/engagements/:id/requests/:request/accept":   {Request: emptyBody{}, Optional: true, Response: requestOne{}},
	"POST /api/v1/engagements/:id/requests/:request/return":   {Request: reasonBody{}, Response: requestOne{}},
	"POST /api/v1/engagements/:id/requests/:request/undo":     {Request: undoBody{}, Response: requestOne{}},

	"GET /api/v1/engagements/:id/requirements/:ref/evaluation":          {Response: evaluationOne{}},
	"PUT /api/v1/engagements/:id/requirements/:ref/evaluation":          {Request: evaluationBody{}, Response: evaluationOne{}},
	"PUT /api/v1/engagements/:id/requirements/:ref/evaluation/sign-off": {Request: signAsBody{}, Response: evaluationOne{}},

	// The draft is a Word document to review, or asked for JSON alone
	// (Accept: application/json), what it would say.
	"POST /api/v1/engagements/:id/bridge-letter": {Request: bridgeBody{}, Response: bridgeDraftOne{}, File: true, FileType: docxType},
}
