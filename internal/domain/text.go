package domain

import (
	"fmt"
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
