package httpapi

import "github.com/socmap/socmap/internal/civil"

// The query parameters of the routes that take any, named in the bodies
// tables as Query.

// paging is the page a list answers.
type paging struct {
	Limit  int `query:"limit"`
	Offset int `query:"offset"`
}

// applyQuery: an import is a dry run unless apply=true.
type applyQuery struct {
	Apply bool `query:"apply"`
}

type auditQuery struct {
	Action     string     `query:"action"`
	ObjectType string     `query:"object_type"`
	ObjectID   string     `query:"object_id"`
	Actor      string     `query:"actor"`
	From       civil.Date `query:"from"`
	To         civil.Date `query:"to"`
	paging
}

type requirementQuery struct {
	Category string `query:"category"`
	Series   string `query:"series"`
	Industry string `query:"industry"`
	Text     string `query:"q"`
	paging
}

type controlQuery struct {
	OwnerID     int    `query:"owner_id"`
	Frequency   string `query:"frequency" enum:"frequency"`
	Status      string `query:"status" enum:"control_status"`
	Requirement string `query:"requirement"`
	NoEvidence  bool   `query:"no_evidence"`
	Text        string `query:"q"`
	Sort        string `query:"sort"`
	paging
}

type mappingQuery struct {
	Framework string `query:"framework"`
}

// scopeQuery names the SOC 2 categories (comma-separated) and whether SOC 1 is in.
type scopeQuery struct {
	Categories string `query:"categories"`
	SOC1       bool   `query:"soc1"`
}

type coverageQuery struct {
	scopeQuery
	ExpiringDays int `query:"expiring_days"`
	Engagement   int `query:"engagement"`
}

type dashboardQuery struct {
	EngagementID int `query:"engagement_id"`
}

type engagementQuery struct {
	Status string `query:"status" enum:"engagement_status"`
	Text   string `query:"q"`
	paging
}

type gridQuery struct {
	paging
	Scope        string `query:"scope"` // included or excluded
	Missing      bool   `query:"missing"`
	Owner        string `query:"owner"`
	NotConcluded bool   `query:"not_concluded"`
	Frequency    string `query:"frequency" enum:"frequency"`
	Fields       string `query:"fields"`  // brief
	Windows      string `query:"windows"` // full
	Text         string `query:"q"`
}

type evidenceQuery struct {
	ControlID    int    `query:"control_id"`
	Kind         string `query:"kind"` // file, link or note
	Text         string `query:"q"`
	ExpiringDays int    `query:"expiring_days"`
	Sort         string `query:"sort"`
	paging
	Deleted bool `query:"deleted"`
}

type reasonQuery struct {
	Reason string `query:"reason"`
}

type revisionQuery struct {
	Revision int `query:"revision"`
}

type ingestQuery struct {
	Source    string `query:"source"`
	ScanID    string `query:"scan_id"`
	ScannedAt string `query:"scanned_at"` // RFC 3339
	FileName  string `query:"filename"`
}

type runQuery struct {
	SourceID int `query:"source_id"`
	paging
}

type scanResultQuery struct {
	Status  string `query:"status"` // comma-separated
	CheckID string `query:"check_id"`
	paging
}

type checkQuery struct {
	Unmapped bool `query:"unmapped"`
}

type periodQuery struct {
	From civil.Date `query:"from"`
	To   civil.Date `query:"to"`
}

type proposalQuery struct {
	Industries string `query:"industries"` // comma-separated
	Services   string `query:"services"`   // comma-separated
}

type requestQuery struct {
	Status    string `query:"status" enum:"request_status"`
	OwnerID   int    `query:"owner_id"`
	Type      string `query:"type" enum:"request_type"`
	ControlID int    `query:"control_id"`
	paging
}

// taskQuery filters the task list and its exports.
type taskQuery struct {
	OwnerID      int    `query:"owner_id"`
	ControlID    int    `query:"control_id"`
	EngagementID int    `query:"engagement_id"`
	State        string `query:"state"` // comma-separated
	Kind         string `query:"kind" enum:"task_kind"`
}

type taskPageQuery struct {
	taskQuery
	paging
}

type tokenQuery struct {
	Token string `query:"token"`
}

type userQuery struct {
	Text   string `query:"q"`
	Role   string `query:"role"` // comma-separated
	Active bool   `query:"active"`
	paging
}

type dryRunQuery struct {
	DryRun bool `query:"dry_run"`
}
