package complementary

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// CUEC is a control the user entities must operate for the criteria or
// objectives to be met.
type CUEC = store.CUEC

// Subservice is a subservice organisation with the control that monitors it.
type Subservice = store.Subservice

// CSOC is a control the subservice organisation must operate.
type CSOC = store.CSOC

// Complementary lists an engagement's CUECs and subservice organisations.
func (s *Service) Complementary(ctx context.Context, id int64) ([]CUEC, []Subservice, error) {
	cuecs, subs, err := s.st.ComplementaryOf(ctx, id)
	if cuecs == nil {
		cuecs = []CUEC{}
	}
	if subs == nil {
		subs = []Subservice{}
	}
	return cuecs, subs, err
}

// frameworkOf is the framework whose requirements an engagement reports
// on, and an example of its "framework/ref" names.
func frameworkOf(e engagement.Engagement) (string, string) {
	if e.Report == "soc1" {
		return engagement.OrgSOC1, engagement.OrgSOC1 + "/CO-01"
	}
	return "soc2-tsc-2017", "soc2-tsc-2017/CC6.1"
}

var reportNames = map[string]string{"soc1": "SOC 1", "soc2": "SOC 2"}

// checkRequirements verifies "framework/ref" names of the engagement's own
// framework (a SOC 1 engagement's CUECs and CSOCs serve its control
// objectives, never SOC 2 criteria) and joins them; the second result says
// what is wrong with them, the error is the database's.
func (s *Service) checkRequirements(ctx context.Context, e engagement.Engagement, refs []string) (string, string, error) {
	framework, example := frameworkOf(e)
	clean := []string{}
	for _, ref := range refs {
		ref = strings.TrimSpace(ref)
		fw, r, ok := strings.Cut(ref, "/")
		if !ok && ref != "" { // "CC6.2" is the engagement's own framework's, as people write it
			fw, r, ok = framework, ref, true
			ref = framework + "/" + ref
		}
		if ok && fw != framework {
			return "", fmt.Sprintf("%q is not of this %s engagement's framework: use its %s (e.g. %s)", ref,
				reportNames[e.Report], map[string]string{"soc1": "control objectives", "soc2": "criteria"}[e.Report], example), nil
		}
		var found []store.Requirement
		if ok {
			var err error
			if found, err = s.st.LiveRequirementsByRef(ctx, fw, []string{r}); err != nil {
				return "", "", err
			}
		}
		if len(found) == 0 {
			return "", fmt.Sprintf("%q is not a requirement of this engagement's framework (e.g. %s)", strings.TrimPrefix(ref, framework+"/"), strings.TrimPrefix(example, framework+"/")), nil
		}
		if !slices.Contains(clean, ref) {
			clean = append(clean, ref)
		}
	}
	return strings.Join(clean, ","), "", nil
}

func checkText(text string) (string, bool) {
	text = strings.TrimSpace(text)
	return text, text != "" && len([]rune(text)) <= 5000
}

// AddCUEC records a complementary user entity control.
func (s *Service) AddCUEC(ctx context.Context, id int64, text string, requirements []string) (CUEC, error) {
	c := CUEC{EngagementID: id, CreatedAt: s.now()}
	var ok bool
	if c.Text, ok = checkText(text); !ok {
		return c, apperr.Invalid("describe the control user entities must run", map[string]string{"text": "required, at most 5000 characters"})
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.eng.Find(ctx, id)
		if err != nil {
			return err
		}
		reqs, msg, err := s.checkRequirements(ctx, e, requirements)
		if err != nil {
			return err
		}
		if msg == "" && e.Report == "soc1" && reqs == "" {
			msg = "name the control objective it serves (e.g. " + engagement.OrgSOC1 + "/CO-01)"
		}
		if msg != "" {
			return apperr.Invalid("the CUEC cannot be saved as given", map[string]string{"requirements": msg})
		}
		c.Requirements = reqs
		if c.Number, err = s.st.TakeCUECNumbers(ctx, id, 1); err != nil {
			return err
		}
		if err := s.st.CreateCUEC(ctx, &c); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.cuec_add", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"cuec_id": c.ID, "ref": c.Ref(), "text": c.Text,
				"requirements": c.Requirements})})
	})
	return c, err
}

// SubserviceInput is a subservice organisation with its CSOCs.
type SubserviceInput struct {
	Name                string
	Services            string
	Method              string
	MonitoringControlID *int64
	CSOCs               []struct {
		Text         string
		Requirements []string
	}
}

// AddSubservice records a subservice organisation and its CSOCs.
func (s *Service) AddSubservice(ctx context.Context, id int64, in SubserviceInput) (Subservice, error) {
	sub := Subservice{EngagementID: id, Name: strings.TrimSpace(in.Name), Services: strings.TrimSpace(in.Services),
		Method: in.Method, MonitoringControlID: in.MonitoringControlID, CreatedAt: s.now()}
	fields := map[string]string{}
	if sub.Name == "" || len([]rune(sub.Name)) > 200 {
		fields["name"] = "required, at most 200 characters"
	}
	if len([]rune(sub.Services)) > 2000 {
		fields["services"] = "at most 2000 characters"
	}
	if sub.Method != "carve-out" && sub.Method != "inclusive" {
		fields["method"] = "carve-out or inclusive"
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.eng.Find(ctx, id)
		if err != nil {
			return err
		}
		if sub.MonitoringControlID != nil {
			if err := s.checkControlExists(ctx, *sub.MonitoringControlID, fields); err != nil {
				return err
			}
		}
		for i, cs := range in.CSOCs {
			text, ok := checkText(cs.Text)
			reqs, msg, err := s.checkRequirements(ctx, e, cs.Requirements)
			if err != nil {
				return err
			}
			switch {
			case !ok:
				fields[fmt.Sprintf("csocs[%d]", i)] = "describe the control, at most 5000 characters"
			case msg != "":
				fields[fmt.Sprintf("csocs[%d]", i)] = msg
			}
			sub.CSOCs = append(sub.CSOCs, CSOC{Text: text, Requirements: reqs, CreatedAt: s.now()})
		}
		if len(fields) > 0 {
			return apperr.Invalid("the subservice organisation cannot be saved as given", fields)
		}
		first, err := s.st.TakeCSOCNumbers(ctx, id, len(sub.CSOCs))
		if err != nil {
			return err
		}
		for i := range sub.CSOCs {
			sub.CSOCs[i].Number = first + i
		}
		if err := s.st.CreateSubservice(ctx, &sub); err != nil { // creates the CSOCs too
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.subservice_add", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"subservice_id": sub.ID, "name": sub.Name,
				"method": sub.Method, "csocs": len(sub.CSOCs)})})
	})
	return sub, err
}

// RemoveComplementary deletes a CUEC ("cuec") or a subservice organisation
// with its CSOCs ("subservice") from an engagement.
func (s *Service) RemoveComplementary(ctx context.Context, id int64, kind string, itemID int64) error {
	return s.st.InTx(ctx, func(ctx context.Context) error {
		var found bool
		var err error
		switch kind {
		case "cuec":
			found, err = s.st.DeleteCUEC(ctx, id, itemID)
		case "subservice":
			if _, err := s.st.SubserviceIn(ctx, id, itemID); errors.Is(err, store.ErrNotFound) {
				return apperr.NotFound("subservice organisation %d not found in engagement %d", itemID, id)
			} else if err != nil {
				return err
			}
			found, err = s.st.DeleteSubservice(ctx, itemID)
		}
		if err != nil {
			return err
		}
		if !found {
			return apperr.NotFound("%s %d not found in engagement %d", kind, itemID, id)
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement." + kind + "_remove", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: map[string]auditlog.Change{kind + "_id": {Before: itemID}}})
	})
}

// checkControlExists names a monitoring control that does not exist.
func (s *Service) checkControlExists(ctx context.Context, controlID int64, fields map[string]string) error {
	ok, err := s.st.ControlExists(ctx, controlID)
	if err == nil && !ok {
		fields["monitoring_control_id"] = "no such control"
	}
	return err
}
