package httpapi

import "time"

// ShortenBodyDeadlines lets a test see the body deadlines act in seconds
// rather than half a minute; the returned function restores them.
func ShortenBodyDeadlines(body, window time.Duration, rate int64) func() {
	oldBody, oldWindow, oldRate := bodyDeadline, uploadWindow, uploadMinRate
	bodyDeadline, uploadWindow, uploadMinRate = body, window, rate
	return func() { bodyDeadline, uploadWindow, uploadMinRate = oldBody, oldWindow, oldRate }
}
