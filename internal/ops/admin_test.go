package ops

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An admin command reaches its op with its request, and the CLI gets the
// op's answer, its error as one line, or ErrNoSuchCommand from a bot that
// does not have it; a socket nobody listens on is ErrUnanswered.
func TestAdminCommandsOverTheSocket(t *testing.T) {
	path := BackupSocket(filepath.Join(t.TempDir(), "pollen.db"))
	if err := Call(context.Background(), path, "import", 1, new(int)); !errors.Is(err, ErrUnanswered) {
		t.Errorf("no bot: %v, want ErrUnanswered", err)
	}
	l, err := ListenBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewBackupServer(SocketHandler(fakeDB{}, slog.New(slog.NewTextHandler(io.Discard, nil)), map[string]AdminOp{
		"double": func(_ context.Context, body []byte) (any, error) {
			var n int
			if err := json.Unmarshal(body, &n); err != nil {
				return nil, err
			}
			return 2 * n, nil
		},
		"fail": func(context.Context, []byte) (any, error) {
			return nil, errors.New("the database\nis full")
		},
	}))
	go srv.Serve(l)
	defer srv.Close()
	ctx := context.Background()
	var got int
	if err := Call(ctx, path, "double", 21, &got); err != nil || got != 42 {
		t.Errorf("double 21: %d, %v", got, err)
	}
	if err := Call(ctx, path, "fail", 0, &got); err == nil || err.Error() != "the database is full" {
		t.Errorf("fail: %v, want the op's error on one line", err)
	}
	if err := Call(ctx, path, "migrate", 0, &got); !errors.Is(err, ErrNoSuchCommand) {
		t.Errorf("unknown command: %v, want ErrNoSuchCommand", err)
	}
	if err := Call(ctx, path, "backup", 0, &got); !errors.Is(err, ErrNoSuchCommand) {
		t.Errorf("POST /backup: %v, want ErrNoSuchCommand (backups are GET only)", err)
	}
}

// A bot that takes a command and never answers (stuck) is told apart from
// one that is not there: the CLI gives up after CommandTimeout and says the
// bot may still apply it, instead of waiting as long as a backup may take.
func TestAdminCommandThatHangsGivesUpInTime(t *testing.T) {
	path := BackupSocket(filepath.Join(t.TempDir(), "pollen.db"))
	l, err := ListenBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	srv := NewBackupServer(SocketHandler(fakeDB{}, slog.New(slog.NewTextHandler(io.Discard, nil)), map[string]AdminOp{
		"import": func(context.Context, []byte) (any, error) { <-release; return 0, nil },
	}))
	go srv.Serve(l)
	defer srv.Close()
	defer close(release)
	old := CommandTimeout
	CommandTimeout = 200 * time.Millisecond
	defer func() { CommandTimeout = old }()
	err = Call(context.Background(), path, "import", 1, new(int))
	if !errors.Is(err, ErrNoAnswerInTime) || errors.Is(err, ErrUnanswered) {
		t.Fatalf("stuck bot: %v, want ErrNoAnswerInTime", err)
	}
	if !strings.Contains(err.Error(), "200ms") {
		t.Errorf("stuck bot: %q does not say how long it waited", err)
	}
}
