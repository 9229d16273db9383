package secrets

import "time"

// SetClock makes w read time from now.
func SetClock(w *Secret, now func() time.Time) { w.now = now }
