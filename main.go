// Command pollen is a Slack bot that spreads knowledge of a data-science
// team's codebases through rotating pair and review sessions.
//
// This file only dispatches subcommands; each lives in a cmd_*.go file that
// wires the packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work in a scratch or distroless image too
)

// exitError carries the process exit code with a one-line message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErr is a mistake in how pollen was called: exit 2. A flag set's
// flag.ErrHelp (-h, -help, --help) is no mistake: the flag set has printed
// the command's usage, and pollen exits 0 as Unix tools do.
func usageErr(format string, args ...any) error {
	for _, a := range args {
		if e, ok := a.(error); ok && errors.Is(e, flag.ErrHelp) {
			return &exitError{code: 0, err: flag.ErrHelp}
		}
	}
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, env environment, args []string) error
}

// environment is what a subcommand may touch of the process, so tests can
// run subcommands in-process.
type environment struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"run", "run the Slack bot (the default)", cmdRun},
		{"sim", "simulate knowledge spreading under several pairing policies (no Slack needed)", cmdSim},
		{"chart", "write the knowledge charts as PNG files", cmdChart},
		{"export", "write sessions, familiarity and bus factor as CSV files", cmdExport},
		{"import", "load people, projects and familiarity from CSV or YAML", cmdImport},
		{"import-git", "seed a project's familiarity from its git history", cmdImportGit},
		{"backup", "write a consistent copy of the database, even while the bot runs", cmdBackup},
		{"migrate", "copy the whole database to another backend (a bbolt file to PostgreSQL, or back)", cmdMigrate},
		{"health", "ask the running bot whether it is healthy (the container's HEALTHCHECK)", cmdHealth},
		{"version", "print the version", cmdVersion},
		{"help", "show this help", nil},
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Pollen cross-pollinates knowledge in a data-science team through Slack.\n\nUsage: pollen [command] [flags]\n\nCommands:\n")
	width := 0
	for _, c := range commands() {
		width = max(width, len(c.name))
	}
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'pollen <command> -h' for a command's flags. Configuration comes from the environment:\n"+
		"  SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL, POLLEN_DB, POLLEN_HTTP_ADDR, POLLEN_LOG_LEVEL, POLLEN_LOG_FORMAT\n")
}

// run executes the command line and returns the process exit code.
func run(ctx context.Context, env environment, args []string) int {
	name, rest := "run", args
	if len(args) > 0 && (args[0] == "" || args[0][0] != '-') {
		name, rest = args[0], args[1:]
	}
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			usage(env.stdout)
			return 0
		case "-version", "--version":
			name, rest = "version", args[1:]
		}
	}
	for _, c := range commands() {
		if c.name != name || c.run == nil {
			continue
		}
		err := c.run(ctx, env, rest)
		if err == nil || errors.Is(err, flag.ErrHelp) {
			return 0 // -h: the command printed its usage
		}
		fmt.Fprintf(env.stderr, "pollen %s: %v\n", name, err)
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	fmt.Fprintf(env.stderr, "pollen: unknown command %q; run 'pollen help' for the list\n", name)
	return 2
}

func main() {
	os.Exit(run(untilSignalled(), environment{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

// untilSignalled returns a context that ends at the first SIGINT or
// SIGTERM, so Pollen stops taking work and finishes what is in flight; a
// second signal exits at once.
func untilSignalled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		fmt.Fprintln(os.Stderr, "pollen: stopping after the work in flight; signal again to exit at once")
		cancel()
		<-sigs
		fmt.Fprintln(os.Stderr, "pollen: second signal: exiting now")
		os.Exit(1)
	}()
	return ctx
}
