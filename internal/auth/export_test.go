package auth

import "sync/atomic"

// CountPasswordChecks makes svc count the passwords it checks.
func CountPasswordChecks(svc *Service) *atomic.Int64 {
	var n atomic.Int64
	inner := svc.verify
	svc.verify = func(hash, password string) bool {
		n.Add(1)
		return inner(hash, password)
	}
	return &n
}
