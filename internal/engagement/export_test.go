package engagement

// ProgressComputations counts the progress computations so far: whole,
// and in part (only the controls changes touched).
func (s *Service) ProgressComputations() (whole, inPart int64) {
	return s.computed.whole.Load(), s.computed.inPart.Load()
}
