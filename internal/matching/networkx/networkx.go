// Package networkx runs NetworkX's max_weight_matching as the reference
// the matching solver is checked against, by its own tests and by the
// planner's (pairing/plan_networkx_test.go). It is for tests only: it
// takes a testing.TB and skips when no Python with networkx is installed
// (.ci/run installs it and fails without it, so CI always compares).
package networkx

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

//go:embed mwm_networkx.py
var script string

// Graph is a graph as the oracle reads it: N vertices and edges [u, v, w].
type Graph struct {
	N     int        `json:"n"`
	Edges [][3]int64 `json:"edges"`
}

// Python returns a Python interpreter that can import networkx: python3 on
// PATH first, then /usr/bin/python3. It skips the test when neither can.
func Python(t testing.TB) string {
	t.Helper()
	var candidates []string
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/python3")
	for _, py := range candidates {
		if exec.Command(py, "-c", "import networkx").Run() == nil {
			return py
		}
	}
	t.Skip("no Python with networkx found (tried python3 on PATH and /usr/bin/python3); " +
		"install it with `apt-get install python3-networkx` or `pip install networkx`")
	return ""
}

// Weights sends the graphs to NetworkX in one Python process and returns
// its maximum matching weight for each.
func Weights(t testing.TB, py string, graphs []Graph) []int64 {
	t.Helper()
	input, err := json.Marshal(map[string]any{"graphs": graphs})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s mwm_networkx.py: %v\n%s", py, err, stderr.String())
	}
	lines := strings.Fields(string(out))
	if len(lines) != len(graphs) {
		t.Fatalf("networkx answered %d graphs of %d", len(lines), len(graphs))
	}
	weights := make([]int64, len(lines))
	for i, line := range lines {
		if weights[i], err = strconv.ParseInt(line, 10, 64); err != nil {
			t.Fatalf("graph %d: bad networkx output %q", i, line)
		}
	}
	return weights
}
