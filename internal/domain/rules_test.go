package domain_test

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The rulebook, RULES.md beside this file, is held to the repository: every
// rule id cited anywhere is defined in it, once; an implemented rule has
// exactly one marker comment, in a function the rulebook names, and tests
// that name it; a planned rule has no marker.
func TestRulebook(t *testing.T) {
	root := moduleRoot(t)
	book := readRulebook(t, filepath.Join(root, "internal", "domain", "RULES.md"))
	repo := scanRepository(t, root)

	t.Run("each rule is one section heading", func(t *testing.T) {
		for _, id := range book.order {
			if n := book.headings[id]; n != 1 {
				t.Errorf("RULES.md: %s is the heading of %d sections, want 1", id, n)
			}
		}
		if len(book.order) == 0 {
			t.Fatal("RULES.md: no rule section found")
		}
		for id, lines := range book.cited {
			if book.rules[id] == nil {
				t.Errorf("RULES.md:%d cites %s, which has no section", lines[0], id)
			}
		}
	})

	t.Run("every id cited in the repository is in RULES.md", func(t *testing.T) {
		for _, c := range repo.citations {
			if book.rules[c.id] == nil {
				t.Errorf("%s:%d cites %s, which RULES.md does not define", c.file, c.line, c.id)
			}
		}
		if len(repo.citations) == 0 {
			t.Fatal("no rule id cited anywhere: the scan found nothing to check")
		}
	})

	t.Run("every section has a status", func(t *testing.T) {
		for _, id := range book.order {
			r := book.rules[id]
			switch r.status {
			case "implemented":
				if len(r.funcs) == 0 || len(r.tests) == 0 {
					t.Errorf("RULES.md %s: implemented, but its status names %d functions and %d tests (want at least one of each)", id, len(r.funcs), len(r.tests))
				}
			case "planned":
			default:
				t.Errorf("RULES.md %s: status %q, want implemented or planned", id, r.status)
			}
			for _, s := range r.unknownSpans {
				t.Errorf("RULES.md %s: status names `%s`, which is neither package.Func, package.Type.Method nor a Test function", id, s)
			}
		}
	})

	t.Run("an implemented rule has one marker, in a function RULES.md names", func(t *testing.T) {
		for _, id := range book.order {
			r := book.rules[id]
			for _, f := range r.funcs {
				if len(repo.findFunc(f)) == 0 {
					t.Errorf("RULES.md %s names %s, which no package of the module declares", id, f)
				}
			}
			if r.status != "implemented" {
				continue
			}
			ms := repo.markers[id]
			if len(ms) != 1 {
				t.Errorf("%s is implemented, and has %d marker lines (// %s: ...) in product code, want 1: %v", id, len(ms), id, ms)
				continue
			}
			m := ms[0]
			in := false
			for _, f := range r.funcs {
				for _, d := range repo.findFunc(f) {
					if d.file == m.file && d.from <= m.line && m.line <= d.to {
						in = true
					}
				}
			}
			if !in {
				t.Errorf("%s's marker %s:%d is neither directly above nor inside %s", id, m.file, m.line, strings.Join(r.funcs, ", "))
			}
		}
	})

	t.Run("a planned rule has no marker", func(t *testing.T) {
		for _, id := range book.order {
			if r := book.rules[id]; r.status == "planned" && len(repo.markers[id]) > 0 {
				t.Errorf("%s is planned in RULES.md, yet marked implemented at %v", id, repo.markers[id])
			}
		}
	})

	t.Run("an implemented rule has tests that name it", func(t *testing.T) {
		for _, id := range book.order {
			r := book.rules[id]
			if r.status != "implemented" {
				continue
			}
			if len(repo.testsNaming[id]) == 0 {
				t.Errorf("%s is implemented, and no test names it (a t.Run name, or the comment above a func Test...)", id)
			}
			for _, name := range r.tests {
				ids, ok := repo.tests[name]
				switch {
				case !ok:
					t.Errorf("RULES.md %s lists %s, which no test file declares", id, name)
				case !ids[id]:
					t.Errorf("RULES.md %s lists %s, which does not name %s", id, name, id)
				}
			}
		}
	})

	t.Run("the code cites RULES.md, not the summary it replaces", func(t *testing.T) {
		for _, c := range repo.outsideRulebook {
			t.Errorf("%s:%d cites the rules outside the repository: %s", c.file, c.line, c.text)
		}
	})
}

var (
	ruleID = regexp.MustCompile(`\bR-(PCS|SPEC|AUD)-[0-9]+\b`)
	// A heading whose text starts with an id opens that rule's section.
	ruleHeading = regexp.MustCompile(`^#{2,6}\s+(R-(?:PCS|SPEC|AUD)-[0-9]+)\b`)
	anyHeading  = regexp.MustCompile(`^#{1,6}\s`)
	codeSpan    = regexp.MustCompile("`([^`]+)`")
	funcName    = regexp.MustCompile(`^[a-z][a-z0-9]*(\.[A-Za-z_][A-Za-z0-9_]*){1,2}$`)
	testName    = regexp.MustCompile(`^Test[A-Za-z0-9_]*$`)
	// A marker is a comment line that starts with the id.
	marker = regexp.MustCompile(`^\s*//\s*(R-(?:PCS|SPEC|AUD)-[0-9]+)\b`)
	// Comments that send a reader to the rulebook outside the repository.
	elsewhere = regexp.MustCompile(`//.*\bDOMAIN\b`)
	testFunc  = regexp.MustCompile(`^func (Test[A-Za-z0-9_]*)\(`)
	subtest   = regexp.MustCompile(`\.Run\(\s*"([^"]*)"`)
)

type rule struct {
	status       string
	funcs, tests []string
	unknownSpans []string
}

type rulebook struct {
	order    []string       // section ids in the file's order, each once
	headings map[string]int // how many sections each id heads
	rules    map[string]*rule
	cited    map[string][]int // every id the text cites, with its lines
}

// readRulebook reads the sections of RULES.md: a heading starting with an
// id, and in it a paragraph "**Status:** implemented|planned ..." whose code
// spans name the implementing functions (package.Func,
// package.Type.Method) and the tests.
func readRulebook(t *testing.T, path string) rulebook {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b := rulebook{headings: map[string]int{}, rules: map[string]*rule{}, cited: map[string][]int{}}
	var cur *rule
	inStatus := false
	for i, line := range strings.Split(string(raw), "\n") {
		for _, id := range ruleID.FindAllString(line, -1) {
			b.cited[id] = append(b.cited[id], i+1)
		}
		if g := ruleHeading.FindStringSubmatch(line); g != nil {
			id := g[1]
			b.headings[id]++
			if b.rules[id] == nil {
				b.rules[id] = &rule{}
				b.order = append(b.order, id)
			}
			cur, inStatus = b.rules[id], false
			continue
		}
		if anyHeading.MatchString(line) {
			cur, inStatus = nil, false
			continue
		}
		if cur == nil {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "**Status:**"); ok {
			inStatus = true
			if f := strings.Fields(strings.NewReplacer(":", " ", ".", " ", ",", " ").Replace(rest)); len(f) > 0 {
				cur.status = f[0]
			}
			line = rest
		}
		if !inStatus {
			continue
		}
		if strings.TrimSpace(line) == "" {
			inStatus = false
			continue
		}
		for _, g := range codeSpan.FindAllStringSubmatch(line, -1) {
			switch s := g[1]; {
			case testName.MatchString(s):
				cur.tests = append(cur.tests, s)
			case funcName.MatchString(s):
				cur.funcs = append(cur.funcs, s)
			default:
				cur.unknownSpans = append(cur.unknownSpans, s)
			}
		}
	}
	return b
}

type place struct {
	file string
	line int
}

type citation struct {
	place
	id, text string
}

type funcDecl struct {
	file     string
	from, to int // its doc comment's first line to its last line
}

type repository struct {
	citations       []citation
	outsideRulebook []citation
	markers         map[string][]place
	// tests maps each test function to the ids it names; testsNaming is
	// the reverse.
	tests       map[string]map[string]bool
	testsNaming map[string][]string
	// funcs maps "package.Func" and "package.Type.Method" to their
	// declarations in product code.
	funcs map[string][]funcDecl
}

func (r repository) findFunc(name string) []funcDecl { return r.funcs[name] }

// scanRepository reads every .go file of the module, the OpenAPI contract,
// the catalogue's JSON and the two READMEs.
func scanRepository(t *testing.T, root string) repository {
	t.Helper()
	r := repository{
		markers:     map[string][]place{},
		tests:       map[string]map[string]bool{},
		testsNaming: map[string][]string{},
		funcs:       map[string][]funcDecl{},
	}
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "build" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	catalogJSON, err := filepath.Glob(filepath.Join(root, "internal", "catalog", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	docs := append([]string{
		filepath.Join(root, "openapi", "openapi.yaml"),
		filepath.Join(root, "README.md"),
		filepath.Join(root, "infra", "README.md"),
	}, catalogJSON...)
	fset := token.NewFileSet()
	for _, path := range append(files, docs...) {
		rel, _ := filepath.Rel(root, path)
		lines := readLines(t, path)
		isGo := strings.HasSuffix(path, ".go")
		isTest := strings.HasSuffix(path, "_test.go")
		var block []string // the comment lines just read
		test := ""         // the func Test... being read
		for i, line := range lines {
			at := place{rel, i + 1}
			for _, id := range ruleID.FindAllString(line, -1) {
				r.citations = append(r.citations, citation{at, id, line})
			}
			if !isGo {
				continue
			}
			if elsewhere.MatchString(line) {
				r.outsideRulebook = append(r.outsideRulebook, citation{at, "", strings.TrimSpace(line)})
			}
			if !isTest {
				if g := marker.FindStringSubmatch(line); g != nil {
					r.markers[g[1]] = append(r.markers[g[1]], at)
				}
				continue
			}
			if g := testFunc.FindStringSubmatch(line); g != nil {
				test = g[1]
				if r.tests[test] == nil {
					r.tests[test] = map[string]bool{}
				}
				for _, c := range block {
					for _, id := range ruleID.FindAllString(c, -1) {
						r.tests[test][id] = true
					}
				}
			} else if strings.HasPrefix(line, "func ") {
				test = ""
			}
			if test != "" {
				for _, g := range subtest.FindAllStringSubmatch(line, -1) {
					for _, id := range ruleID.FindAllString(g[1], -1) {
						r.tests[test][id] = true
					}
				}
			}
			if strings.HasPrefix(line, "//") {
				block = append(block, line)
			} else {
				block = block[:0]
			}
		}
		if isGo && !isTest {
			r.addFuncs(t, fset, path, rel)
		}
	}
	for name, ids := range r.tests {
		for id := range ids {
			r.testsNaming[id] = append(r.testsNaming[id], name)
		}
	}
	for _, names := range r.testsNaming {
		sort.Strings(names)
	}
	return r
}

// addFuncs records the functions and methods a product file declares, with
// the lines from their doc comment to their closing brace.
func (r repository) addFuncs(t *testing.T, fset *token.FileSet, path, rel string) {
	t.Helper()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	pkg := f.Name.Name
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		name := pkg + "." + fd.Name.Name
		if fd.Recv != nil && len(fd.Recv.List) == 1 {
			name = pkg + "." + receiverType(fd.Recv.List[0].Type) + "." + fd.Name.Name
		}
		from := fset.Position(fd.Pos()).Line
		if fd.Doc != nil {
			from = fset.Position(fd.Doc.Pos()).Line
		}
		r.funcs[name] = append(r.funcs[name], funcDecl{rel, from, fset.Position(fd.End()).Line})
	}
}

// receiverType is the type name of a method's receiver: T for T, *T, T[P]
// and *T[P].
func receiverType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	if err := s.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return lines
}

// moduleRoot walks up from the test's directory to the one holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
