package transfer

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/pairing"
)

func TestParseGoodFiles(t *testing.T) {
	nine := pairing.WorkingHours{Start: 9 * 60, End: 17 * 60}
	half8 := pairing.WorkingHours{Start: 8*60 + 30, End: 16*60 + 30}
	tests := []struct {
		file string
		want Batch
	}{
		{"import.csv", Batch{
			People: []PersonRow{
				{Line: 3, ID: "U024BE7LH", Name: "Ada Lovelace", TZ: "Europe/Berlin", Hours: nine, Cadence: pairing.Weekly},
				{Line: 4, ID: "U0G9QF9C6", Name: "Grace Hopper", TZ: "America/New_York", Hours: half8, Cadence: pairing.Biweekly},
				{Line: 5, ID: "W012A3CDE"},
			},
			Projects: []ProjectRow{
				{Line: 7, Name: "churn-model", Repo: "https://github.com/acme/churn", Owners: []string{"U024BE7LH", "U0G9QF9C6"}},
				{Line: 8, Name: "feature-store", Repo: "git@github.com:acme/features.git"},
			},
			Familiarity: []FamiliarityRow{
				{Line: 9, Person: "U0G9QF9C6", Project: "churn-model", Declared: pairing.Some},
				{Line: 10, Person: "W012A3CDE", Project: "feature-store", Value: 0.35},
				{Line: 11, Person: "U024BE7LH", Project: "feature-store", Declared: pairing.Expert},
			},
		}},
		{"import.yaml", Batch{
			People: []PersonRow{
				{Line: 3, ID: "U024BE7LH", Name: "Ada Lovelace", TZ: "Europe/Berlin", Hours: nine, Cadence: pairing.Weekly},
				{Line: 8, ID: "U0G9QF9C6", Name: "Grace Hopper", TZ: "America/New_York", Hours: half8, Cadence: pairing.Biweekly},
				{Line: 13, ID: "W012A3CDE"},
			},
			Projects: []ProjectRow{
				{Line: 16, Name: "churn-model", Repo: "https://github.com/acme/churn", Owners: []string{"U024BE7LH", "U0G9QF9C6"}},
				{Line: 19, Name: "feature-store", Repo: "git@github.com:acme/features.git"},
			},
			Familiarity: []FamiliarityRow{
				{Line: 23, Person: "U0G9QF9C6", Project: "churn-model", Declared: pairing.Some},
				{Line: 24, Person: "W012A3CDE", Project: "feature-store", Value: 0.35},
				{Line: 27, Person: "U024BE7LH", Project: "feature-store", Declared: pairing.Expert},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Parse(tt.file, open(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse:\n got %+v\nwant %+v", got, tt.want)
			}
			if got, err := Read(tt.file, open(t, tt.file), Known{}); err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Read = %+v, %v; want the same batch as Parse", got, err)
			}
		})
	}
}

// TestReadThreeBadRows is the acceptance case: three bad rows,
// one of them a reference to a project nobody has, give one error that
// names all three lines, and nothing to write.
func TestReadThreeBadRows(t *testing.T) {
	tests := []struct {
		file  string
		lines []int
	}{
		{"bad.csv", []int{2, 4, 7}},
		{"bad.yaml", []int{5, 11, 18}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := Read(tt.file, open(t, tt.file), Known{})
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Read error = %v, want a *ValidationError", err)
			}
			var lines []int
			for _, p := range verr.Problems {
				lines = append(lines, p.Line)
			}
			if !reflect.DeepEqual(lines, tt.lines) {
				t.Errorf("problems on lines %v, want %v:\n%v", lines, tt.lines, err)
			}
			if n := strings.Count(err.Error(), "\n") + 1; n != 3 {
				t.Errorf("message has %d lines, want 3:\n%v", n, err)
			}
			for _, want := range []string{`hours "9-5" is not a time range`, `tz "Mars/Olympus_Mons" is not a time zone`, "there is no project fraud-model"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message lacks %q:\n%v", want, err)
				}
			}
			if !errors.Is(err, pairing.ErrInvalid) {
				t.Error("errors.Is(err, pairing.ErrInvalid) = false")
			}
			people, projects, events := b.Records(pairing.DefaultModel(), newTeam().start, ids(), Known{})
			if len(people)+len(projects)+len(events) != 0 {
				t.Errorf("a rejected file gave records: %v %v %v", people, projects, events)
			}
		})
	}
}

func TestParseProblems(t *testing.T) {
	// The columns before status, paused_until and retired: old files still read.
	const header = "kind,person,name,tz,hours,cadence,project,repo,owners,level\n"
	tests := []struct {
		name, file, text string
		want             []string
	}{
		{"every person field", "a.csv", header +
			"person,U024BE7LH,Ada,Local,9-5,monthly,,,,\n" +
			"person,ada,,,,,,,,\n" +
			"person,,,,,,,,,\n",
			[]string{
				`line 2: tz "Local" is not a time zone: use an IANA name like Europe/Berlin`,
				`line 2: hours "9-5" is not a time range: use HH:MM-HH:MM, e.g. 09:00-17:00`,
				`line 2: cadence "monthly" is not a cadence: use weekly or biweekly`,
				`line 3: person "ada" is not a Slack user ID: use the ID, like U024BE7LH, not a name`,
				`line 4: person is missing: give a Slack user ID, like U024BE7LH`,
			}},
		{"every project field", "a.csv", header +
			"project,,,,,,Churn Model,,U1;bob,\n" +
			"project,,,,,,ok,ftp:/x,,\n" +
			"project,,,,,,,,,\n",
			[]string{
				`line 2: project "Churn Model" is not a project name: use only letters, digits, '.', '_' or '-'`,
				`line 2: owners "bob" is not a Slack user ID: use IDs like U024BE7LH, separated by ';'`,
				`line 3: repo "ftp:/x" is not a repository URL: use https://host/path, git@host:path or /path/on/this/host`,
				`line 4: project is missing: give the project's name`,
			}},
		{"levels", "a.csv", header +
			"familiarity,U1,,,,,p,,,lots\n" +
			"familiarity,U1,,,,,q,,,1.5\n" +
			"familiarity,U1,,,,,r,,,NaN\n" +
			"familiarity,U1,,,,,s,,,\n",
			[]string{
				`line 2: level "lots" is not a level: use expert, some, none or a number from 0 to 1`,
				`line 3: level "1.5" is not a familiarity: numbers go from 0 to 1`,
				`line 4: level "NaN" is not a familiarity: numbers go from 0 to 1`,
				`line 5: level is missing: use expert, some, none or a number from 0 to 1`,
			}},
		{"duplicates", "a.csv", header +
			"person,U1,,,,,,,,\nperson,U1,,,,,,,,\n" +
			"project,,,,,,p,,,\nproject,,,,,,P,,,\n" +
			"familiarity,U1,,,,,p,,,some\nfamiliarity,U1,,,,,p,,,none\n",
			[]string{
				"line 3: person U1 already has a row, on line 2",
				"line 5: project p already has a row, on line 4",
				"line 7: U1's familiarity with p already has a row, on line 6",
			}},
		{"shape of rows", "a.csv", header +
			"person,U1,,,,,p,,,\n" +
			"robot,U1\n" +
			",U2\n" +
			"person,U1,,,,,,,,,,x\n" +
			"person,U4,,,,,,,,,,\n" +
			",,,,\n" +
			"person,\"U3\n",
			[]string{
				"line 2: project is not used on a person row: leave it empty",
				`line 3: kind "robot" is not a kind of row: use person, project or familiarity`,
				"line 4: kind is missing: use person, project or familiarity",
				"line 5: 12 fields, but the header has 10 columns",
				"line 8: extraneous or missing \" in quoted-field",
			}},
		{"bad header", "a.csv", "kind,person,cadance,person\nperson,U1,weekly,U1\n",
			[]string{
				`line 1: column "cadance" is unknown: the columns are kind, person, name, tz, hours, cadence, status, paused_until, project, repo, owners, retired, level`,
				`line 1: column "person" appears twice`,
			}},
		{"no kind column", "a.csv", "person,name\nU1,Ada\n",
			[]string{"line 1: the header has no kind column: every row says what it is (person, project or familiarity); the header looks like kind,person,name,tz,hours,cadence,status,paused_until,project,repo,owners,retired,level"}},
		{"empty csv", "a.csv", "# nothing yet\n",
			[]string{"line 1: the file is empty: it needs a header row, like kind,person,name,tz,hours,cadence,status,paused_until,project,repo,owners,retired,level"}},
		{"yaml keys", "a.yaml",
			"people:\n  - id: U1\n    hours: [9, 17]\n    team: ds\n    id: U2\n" +
				"projects: {name: p}\nfamiliarity:\n  - just text\nteams: []\npeople: []\n",
			[]string{
				"line 3: hours must be a single value",
				`line 4: unknown key "team" in people: use id, name, tz, hours, cadence, status, paused_until`,
				"line 5: id appears twice in one entry",
				"line 6: projects must be a list of entries, each starting with '- '",
				"line 8: each entry of familiarity must be a mapping with the keys person, project, level",
				`line 9: unknown key "teams": use people, projects and familiarity`,
				"line 10: people appears twice: put all its entries in one list",
			}},
		{"yaml missing fields", "a.yml", "familiarity:\n  - level: some\n",
			[]string{
				"line 2: person is missing: give a Slack user ID, like U024BE7LH",
				"line 2: project is missing: give the project's name",
			}},
		{"yaml syntax", "a.yaml", "people:\n  - id: U1\n    name: x: y\n",
			[]string{"line 3: YAML: mapping values are not allowed in this context"}},
		{"yaml not a mapping", "a.yaml", "- U1\n", []string{"line 1: the file must be a mapping with the keys people, projects and familiarity"}},
		{"two yaml documents", "a.yaml", "people: []\n---\nprojects: []\n", []string{"line 2: a second YAML document: put everything in one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse(tt.file, strings.NewReader(tt.text))
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Parse error = %v, want a *ValidationError", err)
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if !reflect.DeepEqual(b, Batch{}) {
				t.Errorf("a rejected file gave a batch: %+v", b)
			}
		})
	}
}

func TestParseEmptyFiles(t *testing.T) {
	for _, tt := range []struct{ file, text string }{
		{"a.csv", "kind,person\n"},
		{"a.yaml", ""},
		{"a.yaml", "# nothing yet\n"},
		{"a.yml", "people:\nprojects: ~\n"},
	} {
		b, err := Parse(tt.file, strings.NewReader(tt.text))
		if err != nil || !reflect.DeepEqual(b, Batch{}) {
			t.Errorf("Parse(%s, %q) = %+v, %v; want an empty batch", tt.file, tt.text, b, err)
		}
	}
}

func TestParseFormatByExtension(t *testing.T) {
	if _, err := Parse("team.json", strings.NewReader("{}")); !errors.Is(err, pairing.ErrInvalid) || !strings.Contains(err.Error(), ".csv, .yaml or .yml") {
		t.Errorf("Parse(team.json) error = %v, want an invalid-input error naming the formats", err)
	}
	if _, err := Parse("TEAM.CSV", strings.NewReader("kind,person\nperson,U1\n")); err != nil {
		t.Errorf("Parse(TEAM.CSV) = %v; extensions are not case-sensitive", err)
	}
	if _, err := Parse("team.csv", errReader{}); err == nil || !strings.Contains(err.Error(), "read team.csv") {
		t.Errorf("Parse on a failing reader = %v, want the read error", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestValidateReferences(t *testing.T) {
	known := NewKnown(
		[]pairing.Person{pairing.NewPerson("U0OLD0001", "", "UTC", newTeam().start)},
		[]pairing.Project{{Name: "old"}, {Name: "gone", Retired: true}},
	)
	b := Batch{
		People:   []PersonRow{{Line: 2, ID: "U1"}},
		Projects: []ProjectRow{{Line: 3, Name: "new"}, {Line: 4, Name: "gone"}},
		Familiarity: []FamiliarityRow{
			{Line: 5, Person: "U1", Project: "new"},        // both in the file
			{Line: 6, Person: "U0OLD0001", Project: "old"}, // both known
			{Line: 7, Person: "U1", Project: "gone"},       // retired, but brought back by line 4
			{Line: 8, Person: "U2", Project: "nowhere"},
		},
	}
	err := Validate(b, known)
	want := "line 8: U2 is not on the roster: add a person row for them\nline 8: there is no project nowhere: add a project row for it"
	if err == nil || err.Error() != want {
		t.Errorf("Validate = %v, want\n%s", err, want)
	}
	b.Projects = b.Projects[:1]
	b.Familiarity = b.Familiarity[:3]
	want = "line 7: project gone is retired: add a project row to bring it back"
	if err := Validate(b, known); err == nil || err.Error() != want {
		t.Errorf("Validate = %v, want %s", err, want)
	}
	b.Familiarity = b.Familiarity[:2]
	if err := Validate(b, known); err != nil {
		t.Errorf("Validate = %v, want nil", err)
	}
}

func TestValidationErrorListsAtMost100(t *testing.T) {
	var text strings.Builder
	text.WriteString("kind,person\n")
	for range 150 {
		text.WriteString("person,nobody\n")
	}
	_, err := Parse("a.csv", strings.NewReader(text.String()))
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 101 || lines[100] != "… and 50 more problems" {
		t.Errorf("message has %d lines ending %q; want 100 problems and a count", len(lines), lines[len(lines)-1])
	}
}
