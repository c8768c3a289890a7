package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestHelpAndVersionAsUnixUsersExpect: help in every spelling exits 0,
// `pollen X -h` prints X's flags and exits 0 (not 2 with "flag: help
// requested"), --version works, and the command list is aligned.
func TestHelpAndVersionAsUnixUsersExpect(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"-help"}} {
		code, out, _ := runCLI(t, nil, args...)
		if code != 0 || !strings.Contains(out, "Usage: pollen") {
			t.Errorf("pollen %v: exit %d, stdout %q", args, code, out)
		}
	}
	_, out, _ := runCLI(t, nil, "help")
	col := -1
	for _, line := range strings.Split(out, "\n") {
		for _, c := range commands() {
			if strings.HasPrefix(line, "  "+c.name+" ") {
				at := strings.Index(line, c.summary)
				if col >= 0 && at != col {
					t.Errorf("pollen help: %q starts its summary at column %d, the others at %d", c.name, at, col)
				}
				col = at
			}
		}
	}
	for _, c := range commands() {
		if c.run == nil || c.name == "version" {
			continue
		}
		code, _, errOut := runCLI(t, nil, c.name, "-h")
		if code != 0 || strings.Contains(errOut, "help requested") {
			t.Errorf("pollen %s -h: exit %d, stderr %q; want its usage and exit 0", c.name, code, errOut)
		}
	}
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		if code, out, _ := runCLI(t, nil, args...); code != 0 || !strings.HasPrefix(out, "pollen ") {
			t.Errorf("pollen %v: exit %d, stdout %q", args, code, out)
		}
	}
}

func TestVersionComesFromTheStampOrTheBuildInfo(t *testing.T) {
	for _, tt := range []struct {
		stamped, module, want string
	}{
		{"v1.2.3", "v9.9.9", "v1.2.3"}, // -ldflags -X wins
		{"dev", "v1.4.0", "v1.4.0"},    // go install …@v1.4.0
		{"dev", "(devel)", "dev"},      // go build in a clone
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/pollen-team/pollen", Version: tt.module}}
		if got := moduleVersion(tt.stamped, bi); got != tt.want {
			t.Errorf("moduleVersion(%q, %q) = %q, want %q", tt.stamped, tt.module, got, tt.want)
		}
	}
	docker, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(docker), "-X main.version=${VERSION}") {
		t.Error("the Dockerfile does not stamp the version with -ldflags -X")
	}
	// The running bot clones projects' repositories (internal/reposync):
	// the image it runs in must have git. No Docker engine here builds it,
	// so this reads the final stage.
	stages := strings.Split(string(docker), "\nFROM ")
	if final := stages[len(stages)-1]; !strings.Contains(final, " git ") || !strings.Contains(final, "USER 65532") {
		t.Error("the Dockerfile's runtime stage lacks git or does not run as the non-root user")
	}
}

func TestBackupIntoAMissingFolderSaysSo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pollen.db")
	seedDB(t, db)
	dst := filepath.Join(dir, "no-such-folder", "backup.db")
	code, _, errOut := runCLI(t, tokens(db), "backup", dst)
	if code != 1 || !strings.Contains(errOut, "the folder "+filepath.Dir(dst)+" does not exist") || strings.Contains(errOut, ".tmp") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestReadmeLinksNothingOutsideTheRepository(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(readme), "../") {
		t.Error("README.md links outside the repository (../), which a clone does not have")
	}
}
