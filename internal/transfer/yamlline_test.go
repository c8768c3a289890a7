package transfer

import (
	"errors"
	"strings"
	"testing"
)

// TestYAMLIndentationErrorNamesTheBadLine: yaml.v3 names the line where the
// enclosing block starts; the report names the line indented wrong.
func TestYAMLIndentationErrorNamesTheBadLine(t *testing.T) {
	file := "people:\n" +
		"  - id: U024BE7LH\n" +
		"    name: Ada Lovelace\n" +
		"    tz: Europe/Berlin\n" +
		"  - id: U0G9QF9C6\n" +
		"    name: Grace Hopper\n" +
		"   tz: America/New_York\n" + // line 7: one space short
		"projects:\n" +
		"  - name: churn-model\n"
	_, err := Read("team.yaml", strings.NewReader(file), Known{})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 {
		t.Fatalf("got %v, want one problem", err)
	}
	if got := ve.Problems[0]; got.Line != 7 || !strings.Contains(got.Message, "indentation") {
		t.Errorf("problem %q at line %d, want line 7 and a word on indentation", got.Message, got.Line)
	}
}
