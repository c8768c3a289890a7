package gitimport

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// Report prints what an import found, for the person running it: every
// author of at least one file with their files, their imported familiarity
// (the level at their last commit), what the knowledge model makes of it
// at t, and their Slack user or "unmapped"; then how many contributors
// author no file, the file coverage and the repository's truck factor with
// the authors it removes. Pollen's own bus factor for the project is the
// caller's to print beside it.
func Report(w io.Writer, r Result, mapping map[string]string, m pairing.Model, t time.Time) error {
	folded := foldKeys(mapping)
	if _, err := fmt.Fprintf(w, "Familiarity: share of the files each author authors, as of their last commit; now: what the knowledge model makes of it on %s.\n\n", t.Format(time.DateOnly)); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "AUTHOR\tEMAIL\tCOMMITS\tFILES\tFAMILIARITY\tNOW\tLAST COMMIT\tSLACK\n")
	var quiet, quietUnmapped int
	for _, a := range r.Authors {
		id, ok := slackID(a, folded)
		if !ok {
			id = "unmapped"
		}
		if a.Files == 0 {
			quiet++
			if !ok {
				quietUnmapped++
			}
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.2f\t%.2f\t%s\t%s\n", oneLine(a.Name), oneLine(a.Key), a.Commits, a.Files,
			a.Familiarity, a.FamiliarityAt(m, t), a.LastCommit.Format(time.DateOnly), id)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	covered := 0
	for _, f := range r.Files {
		if len(f.Authors) > 0 {
			covered++
		}
	}
	names := make(map[string]Author, len(r.Authors))
	for _, a := range r.Authors {
		names[a.Key] = a
	}
	var tf []string
	for _, k := range TruckFactorAuthors(r.Files) {
		a := names[k]
		tf = append(tf, fmt.Sprintf("%s (%s)", oneLine(a.Name), plural(a.Files, "file")))
	}
	var b strings.Builder
	b.WriteString("\n")
	if quiet > 0 {
		fmt.Fprintf(&b, "Contributors who author no file: %d (%d unmapped).\n", quiet, quietUnmapped)
	}
	fmt.Fprintf(&b, "%s, %d with an author (%.0f%%).\n", plural(len(r.Files), "file"), covered, 100*float64(covered)/float64(max(1, len(r.Files))))
	fmt.Fprintf(&b, "Truck factor (Avelino's greedy): %d", len(tf))
	if len(tf) > 0 {
		fmt.Fprintf(&b, ": %s", strings.Join(tf, ", "))
	}
	b.WriteString(".\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// plural writes "1 file", "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// oneLine keeps a name from breaking the table.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(no name)"
	}
	return s
}

// Counts says what an import read and what it left out, for its report.
type Counts struct {
	Commits       int            // non-merge commits read
	Dropped       map[string]int // commits that count for nobody, by reason (Excluded*)
	ExcludedFiles int            // files of the last commit left out by path
	Files         int            // files the shares are computed over
	Authors       int            // people with at least one file authored
}

// Count tallies a prepared history and its authorship.
func Count(h History, r Result) Counts {
	c := Counts{Commits: len(h.Commits), Dropped: map[string]int{}, ExcludedFiles: h.ExcludedFiles, Files: len(r.Files)}
	for _, cm := range h.Commits {
		if cm.Excluded != "" {
			c.Dropped[cm.Excluded]++
		}
	}
	for _, a := range r.Authors {
		if a.Files > 0 {
			c.Authors++
		}
	}
	return c
}

// String reads "120 commits read, 7 dropped (5 bots, 2 mass changes);
// 3 files left out by path; 48 files, 6 authors".
func (c Counts) String() string {
	dropped := 0
	var why []string
	for _, reason := range []string{ExcludedBot, ExcludedSubject, ExcludedMassChange} {
		if n := c.Dropped[reason]; n > 0 {
			dropped += n
			why = append(why, droppedWhy(n, reason))
		}
	}
	s := fmt.Sprintf("%s read, %d dropped", plural(c.Commits, "commit"), dropped)
	if len(why) > 0 {
		s += " (" + strings.Join(why, ", ") + ")"
	}
	return fmt.Sprintf("%s; %s left out by path; %s, %s", s, plural(c.ExcludedFiles, "file"), plural(c.Files, "file"), plural(c.Authors, "author"))
}

// droppedWhy reads "2 bot commits", "1 by subject", "3 mass changes".
func droppedWhy(n int, reason string) string {
	switch reason {
	case ExcludedBot:
		return plural(n, "bot commit")
	case ExcludedMassChange:
		return plural(n, "mass change")
	}
	return fmt.Sprintf("%d by %s", n, reason)
}
