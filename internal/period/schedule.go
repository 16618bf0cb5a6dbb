package period

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Schedule says when within its frequency a control operates. A control
// with a schedule has calendar windows that follow it; one without has
// windows anchored to the period. At most one field is set, and which one
// depends on the frequency:
//   - weekly, bi-weekly: Weekday ("on Monday", "every other Monday");
//   - monthly: Day ("on the 20th") or BusinessDay ("by the 5th business day");
//   - quarterly, semi-annual, annual: Months, the calendar months it runs in
//     ("in the month after each quarter end" is January, April, July, October).
type Schedule struct {
	Weekday     *time.Weekday `json:"weekday,omitempty"`
	Day         int           `json:"day,omitempty"`
	BusinessDay int           `json:"business_day,omitempty"`
	Months      []int         `json:"months,omitempty"`
}

// IsZero reports whether there is no schedule.
func (s Schedule) IsZero() bool {
	return s.Weekday == nil && s.Day == 0 && s.BusinessDay == 0 && len(s.Months) == 0
}

// monthsPerWindow is how many calendar months apart the scheduled months
// of a frequency are, and how many there are in a year.
var monthsPerWindow = map[string]int{Quarterly: 3, SemiAnnual: 6, Annual: 12}

// Check reports a schedule that does not fit the frequency.
func (s Schedule) Check(frequency string) error {
	if s.IsZero() {
		return nil
	}
	set := 0
	for _, on := range []bool{s.Weekday != nil, s.Day != 0, s.BusinessDay != 0, len(s.Months) > 0} {
		if on {
			set++
		}
	}
	if set > 1 {
		return fmt.Errorf("a schedule names one thing: a weekday, a day of the month, a business day or months")
	}
	switch {
	case s.Weekday != nil:
		if frequency != Weekly && frequency != BiWeekly {
			return fmt.Errorf("a weekday schedule is for weekly and bi-weekly controls")
		}
		if *s.Weekday < time.Sunday || *s.Weekday > time.Saturday {
			return fmt.Errorf("the weekday is 0 (Sunday) to 6 (Saturday)")
		}
	case s.Day != 0 || s.BusinessDay != 0:
		if frequency != Monthly {
			return fmt.Errorf("a day-of-the-month schedule is for monthly controls")
		}
		if s.Day < 0 || s.Day > 31 {
			return fmt.Errorf("the day of the month is 1 to 31")
		}
		if s.BusinessDay < 0 || s.BusinessDay > 20 {
			return fmt.Errorf("the business day of the month is 1 to 20")
		}
	default:
		step, ok := monthsPerWindow[frequency]
		if !ok {
			return fmt.Errorf("a schedule of months is for quarterly, semi-annual and annual controls")
		}
		months := slices.Sorted(slices.Values(s.Months))
		if len(months) != 12/step || months[0] < 1 || months[len(months)-1] > 12 {
			return fmt.Errorf("a %s control runs in %s (1 to 12)", frequency, plural(12/step, "month"))
		}
		for i := 1; i < len(months); i++ {
			if months[i]-months[i-1] != step {
				return fmt.Errorf("the months of a %s control are %d months apart", frequency, step)
			}
		}
	}
	return nil
}

// runsIn reports whether a month-scheduled control runs in month m.
func (s Schedule) runsIn(m time.Month) bool { return slices.Contains(s.Months, int(m)) }

// Words is the schedule as a sentence part, e.g. "by the 5th business day
// of each month"; "" without a schedule.
func (s Schedule) Words(frequency string) string {
	switch {
	case s.Weekday != nil && frequency == BiWeekly:
		return "every other " + s.Weekday.String()
	case s.Weekday != nil:
		return "on " + s.Weekday.String()
	case s.Day != 0:
		return "on the " + ordinal(s.Day) + " of each month"
	case s.BusinessDay != 0:
		return "by the " + ordinal(s.BusinessDay) + " business day of each month"
	case len(s.Months) > 0:
		months := slices.Sorted(slices.Values(s.Months))
		names := make([]string, len(months))
		for i, m := range months {
			names[i] = time.Month(m).String()
		}
		in := "in " + joinAnd(names)
		switch {
		case frequency == Quarterly && slices.Equal(months, []int{1, 4, 7, 10}):
			return "in the month after each quarter end (" + strings.Join(names, ", ") + ")"
		case frequency == Quarterly && slices.Equal(months, []int{3, 6, 9, 12}):
			return "in the last month of each quarter (" + strings.Join(names, ", ") + ")"
		case frequency == SemiAnnual && slices.Equal(months, []int{1, 7}):
			return "in the month after each half-year end (January and July)"
		}
		return in
	}
	return ""
}

// ParseSchedule reads a schedule stored as JSON ("" is none).
func ParseSchedule(s string) (Schedule, error) {
	var out Schedule
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return Schedule{}, fmt.Errorf("the schedule is not valid: %w", err)
	}
	return out, nil
}

// Encode is the schedule as stored ("" for none).
func (s Schedule) Encode() string {
	if s.IsZero() {
		return ""
	}
	b, err := json.Marshal(s)
	if err != nil { // a struct of ints cannot fail to encode
		panic(err)
	}
	return string(b)
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

func joinAnd(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
