package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// AdminOp is one command of the CLI that the running bot applies for it,
// served as POST /NAME on the socket: body is the command's JSON request
// and the answer goes back as JSON. An error is the command failing in the
// bot; it goes back as one line of text.
//
// Why this is safe: the socket is the same one that serves /backup, a
// unix socket of mode 0600 beside the database (see ListenBackup and the
// package documentation). Whoever can connect to it is the bot's user and
// could open pollen.db and write it directly when the bot is stopped; the
// socket gives them nothing more, through the same validated store
// operations as the offline commands. No TCP port and no token is
// involved, so no proxy or browser can reach it.
type AdminOp func(ctx context.Context, body []byte) (any, error)

// maxAdminBody bounds a request to an AdminOp: far more than any roster
// file or git import, and a limit on what a stray client can make the bot
// hold in memory.
const maxAdminBody = 64 << 20

// SocketHandler serves the socket: GET /backup (see BackupHandler) and
// POST /NAME for each of admin.
func SocketHandler(db Backuper, log *slog.Logger, admin map[string]AdminOp) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /backup", BackupHandler(db, log))
	for name, op := range admin {
		mux.HandleFunc("POST /"+name, func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAdminBody))
			if err != nil {
				http.Error(w, fmt.Sprintf("reading the request: %v", err), http.StatusBadRequest)
				return
			}
			answer, err := op(r.Context(), body)
			if err != nil {
				log.Error("admin command over the socket failed", "command", name, "err", err)
				http.Error(w, oneLine(err.Error()), http.StatusInternalServerError)
				return
			}
			out, err := json.Marshal(answer)
			if err != nil {
				log.Error("admin command's answer", "command", name, "err", err)
				http.Error(w, oneLine(err.Error()), http.StatusInternalServerError)
				return
			}
			log.Info("admin command over the socket", "command", name)
			w.Header().Set("Content-Type", "application/json")
			w.Write(out)
		})
	}
	return mux
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ErrUnanswered wraps the error of a socket that took no request: no bot
// listens on it, or it died.
var ErrUnanswered = errors.New("the socket did not answer")

// ErrNoSuchCommand is the answer of a running bot that does not know the
// command: it is older than the CLI.
var ErrNoSuchCommand = errors.New("the running Pollen does not take this command on its socket (it is older than this pollen)")

// CommandTimeout bounds one admin command over the socket: an import is
// one transaction of a few milliseconds to seconds, so a bot that has not
// answered in this time is stuck, and the CLI says so instead of waiting
// as long as a backup of a large file may take (BackupTimeout).
var CommandTimeout = 2 * time.Minute

// ErrNoAnswerInTime is a bot that took the command but did not answer
// within CommandTimeout: it may still apply it.
var ErrNoAnswerInTime = errors.New("the running bot took the command but did not answer in time (it may still apply it: check before trying again; its log says why)")

// Call sends the admin command name with the request req to the bot on
// the socket at sock and decodes its answer into answer. A command that
// failed in the bot is an error with the bot's one line.
func Call(ctx context.Context, sock, name string, req, answer any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeoutCause(ctx, CommandTimeout, ErrNoAnswerInTime)
	defer cancel()
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://pollen/"+name, bytes.NewReader(body))
	if err != nil {
		return err
	}
	r.Header.Set("Content-Type", "application/json")
	resp, err := SocketClient(sock).Do(r)
	if err != nil {
		if errors.Is(context.Cause(ctx), ErrNoAnswerInTime) {
			return fmt.Errorf("%w after %s", ErrNoAnswerInTime, CommandTimeout)
		}
		return fmt.Errorf("%w: %w", ErrUnanswered, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		if errors.Is(context.Cause(ctx), ErrNoAnswerInTime) {
			return fmt.Errorf("%w after %s", ErrNoAnswerInTime, CommandTimeout)
		}
		return fmt.Errorf("reading the running bot's answer: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		return ErrNoSuchCommand
	case resp.StatusCode != http.StatusOK:
		return errors.New(strings.TrimSpace(string(out)))
	}
	if err := json.Unmarshal(out, answer); err != nil {
		return fmt.Errorf("the running bot's answer: %w", err)
	}
	return nil
}
