package domain

import (
	"fmt"
	"testing"
	"time"
)

// ParseDate reads the digits itself; it must accept exactly what
// time.Parse(time.DateOnly) accepts and Format gives back unchanged.
func TestParseDateAsTimeParse(t *testing.T) {
	var inputs []string
	for _, y := range []string{"0000", "1990", "2024", "2025", "2100", "9999", "199x", "-199", "+199"} {
		for m := -1; m <= 13; m++ {
			for d := -1; d <= 32; d++ {
				inputs = append(inputs, fmt.Sprintf("%s-%02d-%02d", y, m, d))
			}
		}
	}
	inputs = append(inputs, "", "2026-1-01", "2026-01-1", "2026/01/01", "2026-01-01 ", " 2026-01-01", "2026-01-011", "20260101xx", "2026-0a-01", "2026-01-0a", "2026-02-29", "2024-02-29")
	for _, s := range inputs {
		want, wantErr := time.Parse(time.DateOnly, s)
		ok := wantErr == nil && want.Format(time.DateOnly) == s
		got, err := ParseDate(s)
		if (err == nil) != ok || ok && !got.t.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; time.Parse gives %v, %v", s, got, err, want, wantErr)
		}
	}
}
