package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// The helpers below write the sentences of scores, plans and readiness.

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// quantity is n and its noun: "1 person", "3 people".
func quantity(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, plural(n, one, many))
}

func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// Ordinal writes n as people count: 1st, 2nd, 3rd, 4th, 11th, 21st.
func Ordinal(n int) string {
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
	return strconv.Itoa(n) + suffix
}
