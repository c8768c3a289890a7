package main

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store/engine"
)

// gitRepo builds a repository: Ana writes four files, Bo one, Cy (known
// neither to the author map nor to Slack) one, and a bot commits another
// that must count for nobody.
// commitDate is when the test repository's commits were made: yesterday,
// so what the import writes does not depend on when the test runs.
var commitDate = time.Now().UTC().AddDate(0, 0, -1).Truncate(time.Second)

func gitRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git := func(env []string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_DATE=" + commitDate.Format(time.RFC3339), "GIT_COMMITTER_DATE=" + commitDate.Format(time.RFC3339)}, env...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	as := func(name, email string) []string {
		return []string{"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email}
	}
	git(nil, "init", "-q")
	for i, f := range []struct{ name, email, file string }{
		{"Ana", "ana@example.com", "train.py"}, {"Ana", "ana@example.com", "features.py"}, {"Ana", "ana@example.com", "eval.py"},
		{"Ana", "ana@example.com", "data.py"},
		{"Bo", "bo@example.com", "serve.py"}, {"Cy", "cy@example.com", "notes.md"}, {"dependabot[bot]", "bot@example.com", "requirements.txt"},
	} {
		if err := os.WriteFile(filepath.Join(dir, f.file), []byte(strings.Repeat("x\n", i+1)), 0o644); err != nil {
			t.Fatal(err)
		}
		git(as(f.name, f.email), "add", f.file)
		git(as(f.name, f.email), "commit", "-q", "-m", "add "+f.file)
	}
	return dir
}

func TestImportGitSeedsFamiliarityOnceAndAsksSlackForUnmappedAuthors(t *testing.T) {
	repo := gitRepo(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "pollen.db")
	db, err := engine.Open(dbPath, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *engine.Tx) error {
		if err := tx.PutPerson(pairing.NewPerson("UBO", "Bo", "UTC", time.Now())); err != nil {
			return err
		}
		return tx.PutPerson(pairing.NewPerson("UANA", "Ana", "UTC", time.Now()))
	})
	db.Close()
	authors := filepath.Join(dir, "authors.csv")
	os.WriteFile(authors, []byte("email,slack_user_id\nana@example.com,UANA\n"), 0o644)
	fake := slackfake.New()
	defer fake.Close()
	fake.AddUser(slackfake.User{ID: "UBO", Name: "bo", Email: "bo@example.com"})
	env := map[string]string{"POLLEN_DB": dbPath, "SLACK_BOT_TOKEN": fake.BotToken, "SLACK_API_URL": fake.APIURL()}

	code, out, errOut := runCLI(t, env, "import-git", "-project", "churn-model", "-repo", repo, "-authors", authors)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"7 commits read, 1 dropped (1 bot commit)", "Truck factor of the repository: 1",
		"Pollen's bus factor for churn-model: 0 before, 1 after", "Authors of files: 2 mapped to Slack users, 1 unmapped.", "Wrote 2 familiarity events",
		"echo 'cy@example.com,SLACK_USER_ID' >> '" + authors + "'   # Cy, 1 file\n", "pollen import-git -project churn-model -repo '" + repo + "' -authors '" + authors + "'"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if len(fake.Calls("users.lookupByEmail")) == 0 {
		t.Error("Bo is not in the author map, but Slack was not asked for his email")
	}
	if !strings.Contains(out, "1 author of files has no Slack user and was not imported") || !strings.Contains(out, "cy@example.com") {
		t.Errorf("Cy, in neither the map nor Slack, is not reported:\n%s", out)
	}
	code, out, _ = runCLI(t, env, "import-git", "-project", "churn-model", "-repo", repo, "-authors", authors)
	if code != 0 || !strings.Contains(out, "Wrote 0 familiarity events (2 already in the log were skipped)") {
		t.Fatalf("second import: exit %d\n%s", code, out)
	}
	db, err = engine.Open(dbPath, engine.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var events []pairing.Event
	db.View(func(tx *engine.Tx) (err error) { events, err = tx.Events(); return err })
	// Seven files; the bot's counts for nobody. Levels are dated at each
	// author's last commit and fade from there on replay.
	k := pairing.Replay(pairing.DefaultModel(), events)
	lastCommit := commitDate
	if f := k.F("UANA", "churn-model", lastCommit); math.Abs(f-4.0/7) > 1e-9 {
		t.Errorf("Ana authors 4 of 7 files: f = %.3f, want 0.571", f)
	}
	if f := k.F("UBO", "churn-model", lastCommit); math.Abs(f-1.0/7) > 1e-9 {
		t.Errorf("Bo authors 1 of 7 files: f = %.3f, want 0.143", f)
	}
	db.Close()

	// The bot, started on that database, says where the numbers came from.
	fake.AddUser(slackfake.User{ID: "UANA", Name: "ana", Email: "ana@example.com", TZ: "UTC"})
	_, stop := startRunDB(t, fake, dbPath)
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	ack, err := fake.SlashCommand(ctx, "UANA", "", "/pair", "who churn-model")
	if err != nil || ack.Message == nil {
		t.Fatalf("/pair who: %+v, %v", ack, err)
	}
	if got := ack.Message.Text; strings.Count(got, "from git history") < 2 {
		t.Errorf("/pair who churn-model does not say Ana's and Bo's familiarity came from git history:\n%s", got)
	}
}

// TestImportGitOnANewInstall: no database and no Slack tokens yet. A dry
// run writes nothing and still shows both figures; the import creates the
// database; a bad line of the authors map is reported with its number while
// the good lines count.
func TestImportGitOnANewInstall(t *testing.T) {
	repo := gitRepo(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "data", "pollen.db")
	authors := filepath.Join(dir, "authors.csv")
	os.WriteFile(authors, []byte("email,slack_user_id\nbo@example.com,not-an-id\nCy <cy@example.com>,UCY\n"), 0o644)
	env := map[string]string{"POLLEN_DB": dbPath}

	code, out, errOut := runCLI(t, env, "import-git", "-dry-run", "-project", "churn-model", "-repo", repo, "-authors", authors)
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Truck factor of the repository: 1; Pollen's bus factor for it, with every author on the team: 1.",
		"Pollen's bus factor for churn-model: 0 before, 0 after", "1 mapped author is not on the roster yet", "Dry run: nothing written (1 familiarity events would be new)"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, authors+`: line 2: "not-an-id" is not a Slack user ID (like U024BE7LH) (line skipped)`) {
		t.Errorf("the bad map line is not reported with its number:\n%s", errOut)
	}
	if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
		t.Fatalf("a dry run created the database: %v", err)
	}

	code, out, errOut = runCLI(t, env, "import-git", "-project", "churn-model", "-repo", repo, "-authors", authors)
	if code != 0 || !strings.Contains(out, "Wrote 1 familiarity events") {
		t.Fatalf("import on a new install: exit %d\n%s\n%s", code, out, errOut)
	}
	db, err := engine.Open(dbPath, engine.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var events []pairing.Event
	db.View(func(tx *engine.Tx) (err error) { events, err = tx.Events(); return err })
	if len(events) != 1 || events[0].Person != "UCY" {
		t.Errorf("events = %+v, want Cy's only (the good line of the map)", events)
	}
	// The project's history starts at the repository's first commit, not
	// at the import and not at the authors' last commits.
	dates, err := exec.Command("git", "-C", repo, "log", "--reverse", "--format=%at").Output()
	if err != nil {
		t.Fatal(err)
	}
	firstLine, _, _ := strings.Cut(string(dates), "\n")
	secs, err := strconv.ParseInt(strings.TrimSpace(firstLine), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	var p pairing.Project
	db.View(func(tx *engine.Tx) (err error) { p, err = tx.Project("churn-model"); return err })
	if !p.Since.Equal(time.Unix(secs, 0)) {
		t.Errorf("the project starts %v, want its first commit %v", p.Since, time.Unix(secs, 0).UTC())
	}
}

func TestImportGitRefusesBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"import-git"}, "usage: pollen import-git"},
		{[]string{"import-git", "-project", "Bad Name", "-repo", "."}, "usage: pollen import-git"},
		{[]string{"import-git", "-project", "x", "-repo", ".", "-since", "yesterday"}, `-since "yesterday" is not a date`},
		{[]string{"import-git", "-project", "x", "-repo", "/nonexistent/repo"}, "pollen import-git:"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, nil, tt.args...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want ~%q", tt.args, code, errOut, tt.want)
		}
	}
}
