package httpapi

import (
	"time"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/scoping"
	"github.com/socmap/socmap/internal/period"
)

// The answers of an engagement's scope, results, roll-up and exceptions.

// controlEngagements are the engagements a control is in scope of.
type controlEngagements struct {
	Engagements []engagement.ControlEngagement `json:"engagements"`
}

type scopingJSON struct {
	Recommendation scoping.Recommendation `json:"recommendation"`
}

// gridJSON is a page of the engagement's controls. Each row is a
// briefControlJSON with fields=brief, a scopedControl with windows=full,
// else a gridRow.
type gridJSON struct {
	Controls []any          `json:"controls"`
	Total    int            `json:"total"`
	Limit    int            `json:"limit"`
	Offset   int            `json:"offset"`
	Counts   gridCountsJSON `json:"counts"`
}

// gridCountsJSON are over the whole engagement, whatever the filter.
type gridCountsJSON struct {
	InScope      int      `json:"in_scope"`
	Excluded     int      `json:"excluded"`
	Missing      int      `json:"missing"`
	NotConcluded int      `json:"not_concluded"`
	Owners       []string `json:"owners"`
	Frequencies  []string `json:"frequencies"`
}

// briefControlJSON names a control, for the pickers.
type briefControlJSON struct {
	ID       int64  `json:"id"`
	Ref      string `json:"ref"`
	Title    string `json:"title"`
	Included bool   `json:"included"`
	Reason   string `json:"reason"`
}

type scopedControlOne struct {
	Control scopedControl `json:"control"`
}

// scopedControl is one control of the engagement with every one of its windows.
type scopedControl struct {
	controlFields
	Windows []windowStateJSON `json:"windows"`
}

// controlFields is one control of the engagement without its windows.
type controlFields struct {
	ID                    int64              `json:"id"`
	Ref                   string             `json:"ref"`
	Title                 string             `json:"title"`
	Frequency             string             `json:"frequency" enum:"frequency"`
	Nature                string             `json:"nature" enum:"nature"`
	OwnerEmail            string             `json:"owner_email"`
	Included              bool               `json:"included"`
	Reason                string             `json:"reason"`
	Requirements          []string           `json:"requirements"`
	SampleNote            string             `json:"sample_note"`
	EvidenceOutsidePeriod []int64            `json:"evidence_outside_period"`
	EvidenceAfterAsOf     []int64            `json:"evidence_after_as_of"`
	Sample                *engagement.Sample `json:"sample"`
	EvidenceStale         []int64            `json:"evidence_stale"`
	ImplementedAfterAsOf  bool               `json:"implemented_after_as_of"`
	Basis                 period.Basis       `json:"basis"`
	ScheduleWords         string             `json:"schedule_words"`
	CalendarWords         string             `json:"calendar_words"`
	ImplementedOn         *string            `json:"implemented_on"`
	RetiredOn             *string            `json:"retired_on"`
	ReplacedBy            string             `json:"replaced_by"`
	Retired               string             `json:"retired"`
	Changes               []changeJSON       `json:"changes"`
}

// changeJSON is a control implemented or retired within the period.
type changeJSON struct {
	Kind string     `json:"kind"`
	On   civil.Date `json:"on"`
}

// windowStateJSON is one occurrence window and what speaks for it.
type windowStateJSON struct {
	Label    string       `json:"label"`
	Short    string       `json:"short"`
	Start    civil.Date   `json:"start"`
	End      civil.Date   `json:"end"`
	Partial  bool         `json:"partial"`
	State    period.State `json:"state"`
	DueOn    civil.Date   `json:"due_on"`
	Evidence []int64      `json:"evidence"`
	Attached []int64      `json:"attached"`
	Missing  bool         `json:"missing"`
	Reason   string       `json:"reason"`
	MarkedBy *int64       `json:"marked_by"`
	MarkedAt *time.Time   `json:"marked_at"`
}

// scopeBody puts a control in or out of the engagement's scope.
type scopeBody struct {
	ControlID int64  `json:"control_id"`
	Included  bool   `json:"included"`
	Reason    string `json:"reason"`
}

type auditorsBody struct {
	Auditors []string `json:"auditors"`
}

// resultBody changes the fields it names. exceptions_found and
// tested_count are refused: n of m is counted from the samples.
type resultBody struct {
	DesignResult    *string   `json:"design_result" enum:"design_result"`
	DesignNotes     *string   `json:"design_notes"`
	Implementation  *string   `json:"implementation" enum:"implementation"`
	ImplementedOn   *string   `json:"implemented_on"`
	EvidenceIDs     *[]int64  `json:"evidence_ids"`
	TestMethods     *[]string `json:"test_methods" enum:"test_method"`
	TestProcedure   *string   `json:"test_procedure"`
	Result          *string   `json:"result" enum:"test_result"`
	ExceptionsFound *int      `json:"exceptions_found"`
	TestedCount     *int      `json:"tested_count"`
	ResultNotes     *string   `json:"result_notes"`
	SampleRisk      *string   `json:"sample_risk"`
	ShortfallReason *string   `json:"shortfall_reason"`
}

// resultFields is one control's design and test conclusion.
type resultFields struct {
	ControlID      int64   `json:"control_id"`
	DesignResult   string  `json:"design_result"`
	DesignNotes    string  `json:"design_notes"`
	Implementation string  `json:"implementation" enum:"implementation"`
	ImplementedOn  *string `json:"implemented_on"`
	EvidenceIDs    []int64 `json:"evidence_ids"`
	// EvidenceRevisions: evidence ID → the file revision relied on.
	EvidenceRevisions map[string]int `json:"evidence_revisions"`
	TestMethods       []string       `json:"test_methods"`
	TestProcedure     string         `json:"test_procedure"`
	Result            string         `json:"result"`
	ResultLabel       string         `json:"result_label"`
	ExceptionsFound   int            `json:"exceptions_found"`
	TestedCount       int            `json:"tested_count"`
	ResultNotes       string         `json:"result_notes"`
	SampleRisk        string         `json:"sample_risk"`
	ShortfallReason   string         `json:"shortfall_reason"`
	SignOff           signOffJSON    `json:"sign_off"`
	Version           int64          `json:"version"`
}

type resultOne struct {
	Result resultFields `json:"result"`
}

type resultList struct {
	Results []resultFields `json:"results"`
}

// rollUpJSON concludes every in-scope requirement, with readiness.
type rollUpJSON struct {
	Requirements []rollUpRow   `json:"requirements"`
	Readiness    readinessJSON `json:"readiness"`
}

type rollUpRow struct {
	Ref        string   `json:"ref"`
	Title      string   `json:"title"`
	State      string   `json:"state"`
	Reason     string   `json:"reason"`
	Controls   []string `json:"controls"`
	Deviating  []string `json:"deviating"`
	Deviations bool     `json:"deviations"`
	Evaluated  bool     `json:"evaluated"`
}

type readinessJSON struct {
	Percent    int             `json:"percent"`
	Parts      []readinessPart `json:"parts"`
	Exceptions int             `json:"exceptions"`
}

type readinessPart struct {
	Name  string `json:"name"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// exceptionFields is one deviation found in testing. RemediationOwner,
// the owner's e-mail address, is left out of a new exception's answer.
type exceptionFields struct {
	ID                 int64     `json:"id"`
	ControlID          int64     `json:"control_id"`
	ControlRef         string    `json:"control_ref"`
	Description        string    `json:"description"`
	ManagementResponse string    `json:"management_response"`
	SampleID           *int64    `json:"sample_id"`
	SampleSeq          *int      `json:"sample_seq"`
	RemediationDate    *string   `json:"remediation_date"`
	RemediationOwnerID *int64    `json:"remediation_owner_id"`
	RemediationOwner   *string   `json:"remediation_owner,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	Version            int64     `json:"version"`
}

type exceptionOne struct {
	Exception exceptionFields `json:"exception"`
}

type exceptionList struct {
	Exceptions []exceptionFields `json:"exceptions"`
}

type newExceptionBody struct {
	Description        string `json:"description"`
	ManagementResponse string `json:"management_response"`
}

// exceptionPatchBody changes the fields it names: the day the control was
// put right ("" clears) and who owns the remediation (0 clears).
type exceptionPatchBody struct {
	Description        *string `json:"description"`
	ManagementResponse *string `json:"management_response"`
	RemediationDate    *string `json:"remediation_date"`
	RemediationOwnerID *int64  `json:"remediation_owner_id"`
}

// The answers of a control's test work: populations, samples, items.

// populationRow is a population a sample is drawn from.
type populationRow struct {
	ID          int64      `json:"id"`
	Phase       string     `json:"phase"`
	CoversFrom  *string    `json:"covers_from"`
	CoversTo    *string    `json:"covers_to"`
	Source      string     `json:"source"`
	Query       string     `json:"query"`
	Parameters  string     `json:"parameters"`
	GeneratedBy string     `json:"generated_by"`
	GeneratedAt *time.Time `json:"generated_at"`
	FileName    string     `json:"file_name"`
	ItemCount   int        `json:"item_count"`
	UploadedAt  time.Time  `json:"uploaded_at"`
	EvidenceIDs []int64    `json:"evidence_ids"`
}

type populationOne struct {
	Population populationRow `json:"population"`
}

// sampleFields is a reproducible selection from a population.
type sampleFields struct {
	ID                     int64     `json:"id"`
	Seed                   string    `json:"seed"`
	Size                   int       `json:"size"`
	Method                 string    `json:"method"`
	PopulationID           int64     `json:"population_id"`
	ExtendsID              *int64    `json:"extends_id"`
	RequiredSize           int       `json:"required_size"`
	Risk                   string    `json:"risk"`
	SizeReason             string    `json:"size_reason"`
	SelectedAt             time.Time `json:"selected_at"`
	Purpose                string    `json:"purpose"`
	RemediationExceptionID *int64    `json:"remediation_exception_id"`
	CoversFrom             *string   `json:"covers_from"`
	CoversTo               *string   `json:"covers_to"`
	Version                int64     `json:"version"`
}

type sampleOne struct {
	Sample sampleFields `json:"sample"`
}

// workJSON is a control's current populations, their samples and the
// counts they give.
type workJSON struct {
	Population  *populationRow  `json:"population"`
	Populations []populationRow `json:"populations"`
	Samples     []workSample    `json:"samples"`
	Counts      workCounts      `json:"counts"`
}

type workSample struct {
	sampleFields
	Attributes []string         `json:"attributes"`
	Items      []sampleItemJSON `json:"items"`
	SignOff    signOffJSON      `json:"sign_off"`
}

type sampleItemJSON struct {
	Seq         int               `json:"seq"`
	ItemID      string            `json:"item_id"`
	Date        *string           `json:"date"`
	Description string            `json:"description"`
	Results     map[string]string `json:"results"`
	Exception   bool              `json:"exception"`
	Notes       string            `json:"notes"`
	TestedBy    string            `json:"tested_by"`
	TestedOn    *string           `json:"tested_on"`
	EvidenceIDs []int64           `json:"evidence_ids"`
}

// workCounts: items required, selected, tested (m) and failed (n).
type workCounts struct {
	Required int      `json:"required"`
	Selected int      `json:"selected"`
	Tested   int      `json:"tested"`
	Failed   int      `json:"failed"`
	Untested []string `json:"untested"`
}

// extendBody adds items to a sample, with the reason.
type extendBody struct {
	Size   int     `json:"size"`
	Seed   *uint64 `json:"seed"`
	Reason string  `json:"reason"`
}

type samplePolicyBody struct {
	BuiltIn bool           `json:"built_in"`
	Table   *period.Table  `json:"table"`
	Bands   *[]period.Band `json:"bands"`
	Risk    *string        `json:"risk"`
}

// sampleItemBody records one item's results; evidence_ids absent leaves
// them unchanged.
type sampleItemBody struct {
	Results  map[string]string `json:"results"`
	Notes    string            `json:"notes"`
	TestedOn *string           `json:"tested_on"`
	Evidence *[]int64          `json:"evidence_ids"`
}

type passItemsBody struct {
	Seqs []int `json:"seqs"`
}
