package httpapi

import "github.com/socmap/socmap/internal/settings"

// accountBodies are the routes of signing in, tokens, users, settings,
// the audit trail and the outbox.
var accountBodies = map[string]routeBody{
	"GET /api/v1/setup":          {Response: setupStateJSON{}},
	"POST /api/v1/setup":         {Request: setupBody{}, Response: sessionJSON{}},
	"POST /api/v1/auth/login":    {Request: credentials{}, Response: sessionJSON{}},
	"POST /api/v1/auth/logout":   {NoContent: true},
	"GET /api/v1/auth/session":   {Response: sessionJSON{}},
	"POST /api/v1/auth/password": {Request: passwordBody{}, NoContent: true},
	"POST /api/v1/auth/reauth":   {Request: reauthBody{}, Response: reauthJSON{}},

	"GET /api/v1/tokens":            {Response: tokenList{}},
	"POST /api/v1/tokens":           {Request: tokenBody{}, Response: newTokenJSON{}},
	"DELETE /api/v1/tokens/:id":     {NoContent: true},
	"GET /api/v1/users":             {Query: userQuery{}, Response: userList{}},
	"POST /api/v1/users":            {Request: newUserBody{}, Response: userOne{}},
	"GET /api/v1/users/:id":         {Response: userOne{}},
	"PATCH /api/v1/users/:id":       {Request: userPatchBody{}, Response: userOne{}},
	"GET /api/v1/settings":          {Response: settingsOne{}},
	"PUT /api/v1/settings":          {Request: settingsJSON{}, Response: settingsOne{}},
	"GET /api/v1/settings/holidays": {Response: holidayList{}},
	"PUT /api/v1/settings/holidays": {Request: holidayList{Holidays: []settings.Holiday{}}, Response: holidayList{}},

	"GET /api/v1/audit":      {Query: auditQuery{}, Response: auditList{}},
	"GET /api/v1/outbox":     {Query: paging{}, Response: outboxList{}},
	"GET /api/v1/outbox/:id": {Response: digestOne{}},

	"POST /api/v1/tasks/bulk":      {Request: taskBulkBody{}, Response: taskBulkJSON{}},
	"DELETE /api/v1/calendar-feed": {NoContent: true},
}
