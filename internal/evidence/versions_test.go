package evidence

import (
	"slices"
	"testing"
)

// A document's history is every evidence linked through supersedes, from
// any of them: the first version, the newest, and an attempt beside them.
func TestVersions(t *testing.T) {
	ev := func(id, supersedes string) Evidence {
		return Evidence{ID: id, Metadata: Metadata{Supersedes: supersedes}}
	}
	all := []Evidence{ev("1", ""), ev("2", "1"), ev("3", ""), ev("4", "2"), ev("5", "2"), ev("6", "9")}
	ids := func(es []Evidence) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	for _, id := range []string{"1", "2", "4", "5"} {
		if got := ids(Versions(all, id)); !slices.Equal(got, []string{"1", "2", "4", "5"}) {
			t.Errorf("Versions(%s) = %v", id, got)
		}
	}
	if got := ids(Versions(all, "3")); !slices.Equal(got, []string{"3"}) {
		t.Errorf("a single version: %v", got)
	}
	// A predecessor that is not there (never: Validate refuses it) ends the walk.
	if got := ids(Versions(all, "6")); !slices.Equal(got, []string{"6"}) {
		t.Errorf("dangling supersedes: %v", got)
	}
	if got := Versions(all, "nope"); got != nil {
		t.Errorf("unknown id: %v", got)
	}
}
