// Package other is outside the module: its wrappers are not checked.
package other

import "time"

func Day(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
