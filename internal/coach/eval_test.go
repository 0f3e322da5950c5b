package coach

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// labelled is one reply of testdata/replies.txt.
type labelled struct {
	id, name string
	want     map[string]bool
	spans    map[string][]string // kind → words a finding must cover
	text     string
}

func readLabelled(t *testing.T) []labelled {
	t.Helper()
	b, err := os.ReadFile("testdata/replies.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []labelled
	for _, block := range strings.Split(string(b), "\n=== ")[1:] {
		head, text, ok := strings.Cut(block, "\n--\n")
		if !ok {
			t.Fatalf("reply %q has no \"--\" line before its text", strings.SplitN(block, "\n", 2)[0])
		}
		lines := strings.Split(head, "\n")
		r := labelled{id: lines[0], want: map[string]bool{}, spans: map[string][]string{}, text: strings.TrimRight(text, "\n")}
		for _, l := range lines[1:] {
			key, val, _ := strings.Cut(l, ":")
			val = strings.TrimSpace(val)
			switch {
			case key == "name":
				r.name = val
			case key == "want":
				for _, k := range strings.Fields(val) {
					r.want[k] = true
				}
			case strings.HasPrefix(key, "span "):
				k := strings.TrimPrefix(key, "span ")
				if !r.want[k] {
					t.Fatalf("reply %s: a span of %s, which it does not want", r.id, k)
				}
				if !strings.Contains(r.text, val) {
					t.Fatalf("reply %s: span %q is not in the text", r.id, val)
				}
				r.spans[k] = append(r.spans[k], val)
			default:
				t.Fatalf("reply %s: unknown line %q", r.id, l)
			}
		}
		out = append(out, r)
	}
	return out
}

// covered reports whether a finding of kind overlaps the first place the
// words appear in text (offsets in runes).
func covered(fs []Finding, kind, text, words string) bool {
	i := strings.Index(text, words)
	start := utf8.RuneCountInString(text[:i])
	end := start + utf8.RuneCountInString(words)
	for _, f := range fs {
		if f.Kind == kind && f.Start < end && start < f.End {
			return true
		}
	}
	return false
}

// Floors the coach must keep on the labelled set, per kind; set just under
// what it reaches, so that a change for the worse fails here.
var floors = map[string]struct{ precision, recall float64 }{
	KindJargon:  {0.90, 0.90},
	KindBrusque: {0.90, 0.90},
	KindBlame:   {0.90, 0.90},
	KindGrade:   {0.90, 0.90},
}

// TestLabelledReplies measures the coach on replies a help desk lead
// labelled: per kind, a reply counts as found when the coach reports that
// kind and covers every labelled span.
func TestLabelledReplies(t *testing.T) {
	set := readLabelled(t)
	if len(set) < 60 {
		t.Fatalf("the labelled set has %d replies, want at least 60", len(set))
	}
	var report strings.Builder
	all := measure(t, set)
	var held []labelled
	for _, r := range set {
		if strings.Contains(r.id, "held out") {
			held = append(held, r)
		}
	}
	fmt.Fprintf(&report, "tone coach on %d labelled replies:\n", len(set))
	all.print(&report)
	fmt.Fprintf(&report, "of which %d held out (written after the rules, never tuned on):\n", len(held))
	measure(t, held).print(&report)
	for _, k := range kinds {
		p, r := all[k].precision(), all[k].recall()
		if p < floors[k].precision || r < floors[k].recall {
			t.Errorf("%s: precision %.2f, recall %.2f; the floors are %.2f and %.2f", k, p, r, floors[k].precision, floors[k].recall)
		}
	}
	fmt.Print(report.String())
}

var kinds = []string{KindJargon, KindBrusque, KindBlame, KindGrade}

type tally struct{ tp, fp, fn, tn int }

func (tl *tally) precision() float64 { return ratio(tl.tp, tl.tp+tl.fp) }
func (tl *tally) recall() float64    { return ratio(tl.tp, tl.tp+tl.fn) }

type tallies map[string]*tally

func (ts tallies) print(w *strings.Builder) {
	for _, k := range kinds {
		tl := ts[k]
		fmt.Fprintf(w, "  %-8s precision %.2f  recall %.2f  (tp %d, fp %d, fn %d, tn %d)\n", k, tl.precision(), tl.recall(), tl.tp, tl.fp, tl.fn, tl.tn)
	}
}

// measure runs the coach on set and counts, per kind, the replies found,
// wrongly found, missed and rightly left alone.
func measure(t *testing.T, set []labelled) tallies {
	ts := tallies{}
	for _, k := range kinds {
		ts[k] = &tally{}
	}
	for _, r := range set {
		rep := Check(r.text, Options{Name: r.name})
		for _, k := range kinds {
			got := false
			for _, f := range rep.Findings {
				got = got || f.Kind == k
			}
			spansOK := true
			for _, w := range r.spans[k] {
				spansOK = spansOK && covered(rep.Findings, k, r.text, w)
			}
			tl := ts[k]
			switch {
			case r.want[k] && got && spansOK:
				tl.tp++
			case r.want[k]:
				tl.fn++
				t.Logf("missed %s in reply %s (spans covered: %v)", k, r.id, spansOK)
			case got:
				tl.fp++
				for _, f := range rep.Findings {
					if f.Kind == k {
						t.Logf("extra %s in reply %s: %q", k, r.id, string([]rune(r.text)[f.Start:f.End]))
					}
				}
			default:
				tl.tn++
			}
		}
	}
	return ts
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
