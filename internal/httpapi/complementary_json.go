package httpapi

// The answers of an engagement's complementary controls: CUECs and
// subservice organisations with their CSOCs.

type complementaryJSON struct {
	CUECs          []cuecJSONFields     `json:"cuecs"`
	SubserviceOrgs []subserviceStanding `json:"subservice_orgs"`
}

// cuecJSONFields is a complementary user entity control.
type cuecJSONFields struct {
	ID           int64    `json:"id"`
	Ref          string   `json:"ref"`
	Text         string   `json:"text"`
	Requirements []string `json:"requirements"`
	Version      int64    `json:"version"`
}

type cuecOne struct {
	CUEC cuecJSONFields `json:"cuec"`
}

// subserviceFields is a subservice organisation with its CSOCs.
type subserviceFields struct {
	ID                  int64      `json:"id"`
	Name                string     `json:"name"`
	Services            string     `json:"services"`
	Method              string     `json:"method"`
	MonitoringControlID *int64     `json:"monitoring_control_id"`
	ReviewDue           bool       `json:"review_due"`
	CSOCs               []csocJSON `json:"csocs"`
	Version             int64      `json:"version"`
}

// subserviceStanding is a subservice organisation with where its review
// stands for the engagement, and the review that rests on.
type subserviceStanding struct {
	subserviceFields
	ReviewState  string      `json:"review_state"`
	LatestReview *reviewJSON `json:"latest_review"`
}

type csocJSON struct {
	ID           int64    `json:"id"`
	Ref          string   `json:"ref"`
	Text         string   `json:"text"`
	Requirements []string `json:"requirements"`
}

type subserviceOne struct {
	SubserviceOrg subserviceFields `json:"subservice_org"`
}

// newSubserviceJSON is a new subservice organisation and how many CSOCs
// it was given.
type newSubserviceJSON struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Method  string `json:"method"`
	CSOCs   int    `json:"csocs"`
	Version int64  `json:"version"`
}

type newSubserviceOne struct {
	SubserviceOrg newSubserviceJSON `json:"subservice_org"`
}

type newCUECBody struct {
	Text         string   `json:"text"`
	Requirements []string `json:"requirements"`
}

type cuecPatchBody struct {
	Text         *string   `json:"text"`
	Requirements *[]string `json:"requirements"`
}

type newSubserviceBody struct {
	Name                string `json:"name"`
	Services            string `json:"services"`
	Method              string `json:"method"`
	MonitoringControlID *int64 `json:"monitoring_control_id"`
	CSOCs               []struct {
		Text         string   `json:"text"`
		Requirements []string `json:"requirements"`
	} `json:"csocs"`
}

type subservicePatchBody struct {
	Name                *string `json:"name"`
	Services            *string `json:"services"`
	Method              *string `json:"method"`
	MonitoringControlID *int64  `json:"monitoring_control_id"`
	ReviewDue           *bool   `json:"review_due"`
}
