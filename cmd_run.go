package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/pollen-team/pollen/bot"
	"github.com/pollen-team/pollen/internal/config"
	"github.com/pollen-team/pollen/internal/metrics"
	"github.com/pollen-team/pollen/internal/ops"
	"github.com/pollen-team/pollen/internal/reposync"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/scheduler"
	"github.com/pollen-team/pollen/store/engine"
)

func cmdRun(ctx context.Context, env environment, args []string) error {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.DBFlag(fs)
	fs.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "health and metrics `address` (env POLLEN_HTTP_ADDR); backups use the socket beside the database")
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("run takes no arguments, got %q", fs.Arg(0))
	}
	if err := cfg.ValidateTokens(); err != nil {
		return usageErr("%v", err)
	}
	log := cfg.Logger(env.stderr)
	opts := engine.Options{Log: log}
	if v := env.getenv("POLLEN_OUTBOX_HOLD"); v != "" {
		if opts.ClaimHold, err = time.ParseDuration(v); err != nil || opts.ClaimHold <= 0 {
			return usageErr("POLLEN_OUTBOX_HOLD %q is not a duration such as 2m", v)
		}
	}
	db, err := engine.Open(cfg.DB, opts)
	if errors.Is(err, engine.ErrBadURL) {
		return usageErr("POLLEN_DB: %v", err)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database open", "path", engine.Redact(cfg.DB), "schema", engine.SchemaVersion())
	return runBot(ctx, cfg, db, log)
}

// app is Pollen's running parts, wired together.
type app struct {
	metrics *metrics.Metrics
	bot     *bot.Bot
	sender  *scheduler.Sender
	loop    *scheduler.Loop
	link    *schedulerLink
	syncer  *reposync.Syncer
}

// newApp wires the bot, the outbox sender, the scheduler loop and cron.
// The bot delivers what the sender drains and says who is away for the
// loop: the scheduler takes those in its constructors, so the bot is built
// first. The bot in turn wakes the sender after queueing messages, plans a
// round on /pair round now and reloads cron after a settings change: it
// reaches the scheduler through a link that is bound here, once the
// scheduler exists, before anything runs.
func newApp(cfg config.Config, db *engine.DB, log *slog.Logger, now func() time.Time) *app {
	a := &app{metrics: metrics.New(metrics.StoreSnapshot(db, now))}
	a.syncer = &reposync.Syncer{DB: db, Log: log, Opts: reposync.Options{DataDir: cfg.Data(), Now: now,
		Lookup: func(ctx context.Context, emails []string) (map[string]string, error) {
			return bot.LookupEmails(ctx, cfg.BotToken.Reveal(), cfg.APIURL, emails)
		}}}
	link := &schedulerLink{log: log}
	a.bot = bot.New(bot.Config{
		AppToken: cfg.AppToken.Reveal(), BotToken: cfg.BotToken.Reveal(), APIURL: cfg.APIURL,
		DB: db, Log: log, Now: now, Observer: a.metrics,
		HTTPClient: &http.Client{Transport: a.metrics.Transport(nil), Timeout: 30 * time.Second},
		Callbacks: bot.Callbacks{
			Wake:            link.wake,
			RoundNow:        link.roundNow,
			SyncProject:     a.syncer.Sync,
			SettingsChanged: link.settingsChanged,
		},
	})
	a.sender = scheduler.NewSender(db, a.bot, now, log)
	a.sender.OnRateLimited = a.metrics.RateLimited
	a.sender.OnDropped = a.metrics.Dropped
	if engine.IsPostgresURL(cfg.DB) {
		a.sender.Idle = replicaOutboxPoll // other replicas queue and give back items
	}
	a.loop = scheduler.NewLoop(db, a.sender, now, log,
		scheduler.WithAway(a.bot.AwayNow), scheduler.WithRoundPlanned(a.metrics.RoundPlanned))
	link.bind(a.sender, a.loop)
	a.link = link
	return a
}

// schedulerLink is the bot's way into the scheduler, which is built after
// the bot (it delivers through it). bind completes it once; a call before
// that (none is possible: the bot handles nothing before it runs) is
// logged and answered, never a nil dereference.
type schedulerLink struct {
	log    *slog.Logger
	sender *scheduler.Sender
	loop   *scheduler.Loop

	mu   sync.Mutex
	cron *scheduler.Cron // while this replica leads (leadership)
}

func (l *schedulerLink) bind(s *scheduler.Sender, loop *scheduler.Loop) {
	l.sender, l.loop = s, loop
}

// setCron is the cron of this replica's term as leader, nil between terms.
func (l *schedulerLink) setCron(c *scheduler.Cron) {
	l.mu.Lock()
	l.cron = c
	l.mu.Unlock()
}

var errNoScheduler = errors.New("the scheduler is not wired yet")

func (l *schedulerLink) wake() {
	if l.sender == nil {
		l.log.Error("outbox wake-up before the scheduler was wired")
		return
	}
	l.sender.Wake()
}

// roundNow plans this week's round for /pair round now on the replica
// Slack handed the command to, leader or not, without the leader's fence:
// the admin is answered at once, with what was planned. Everything it
// writes (the round, its sessions, their messages) is saved in one
// serializable transaction with the round's key, which that transaction
// reads first (engine.DB.SavePlan): whichever replicas plan the week's
// round at the same moment (the leader's scheduled tick, a follower's
// command), the later save finds the key and saves nothing. The fence is
// for what a paused old leader's cron writes under other keys.
// scheduler.TestRoundNowOnAFollowerRacesTheLeadersRoundAndPlansItOnce
// proves it on PostgreSQL.
func (l *schedulerLink) roundNow(ctx context.Context) (pairing.RoundResult, error) {
	if l.loop == nil {
		return pairing.RoundResult{}, errNoScheduler
	}
	return l.loop.RoundNow(ctx)
}

func (l *schedulerLink) settingsChanged() {
	l.mu.Lock()
	c := l.cron
	l.mu.Unlock()
	if c == nil {
		// Another replica leads: its cron wakes every minute and reads
		// the new schedule then.
		l.log.Debug("schedule changed; the leading replica picks it up within a minute")
		return
	}
	if err := c.Reload(); err != nil {
		l.log.Error("reload schedule", "err", err)
	}
}

// leadership is this replica's part in the scheduler's leader lease: in
// each term it leads, a cron on the loop (with the daily repository sync),
// which a changed schedule reloads until the term ends; after that a
// schedule changed here is the next leader's to read.
func (a *app) leadership(db *engine.DB, log *slog.Logger) *leadership {
	return &leadership{db: db, holder: newHolder(), log: log, observe: a.metrics.Leader, start: func(ctx context.Context) (*scheduler.Cron, error) {
		c := scheduler.NewCron(db, a.loop, log)
		err := c.Start(ctx)
		if err == nil {
			err = c.Daily(a.syncer.SyncAll)
		}
		if err != nil {
			<-c.Stop().Done()
			return nil, err
		}
		a.link.setCron(c)
		return c, nil
	}, stopped: func() { a.link.setCron(nil) }}
}

// runBot serves the side port and runs the bot, the scheduler and the
// outbox sender until ctx ends (SIGINT or SIGTERM) or Slack refuses the
// tokens. On the way out it stops taking new work, lets running handlers,
// the running tick and the delivery in progress finish, then returns so
// the database is closed.
func runBot(ctx context.Context, cfg config.Config, db *engine.DB, log *slog.Logger) error {
	a := newApp(cfg, db, log, time.Now)
	lead := a.leadership(db, log)
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("health port: %w", err)
	}
	srv := ops.NewServer(ops.Handler(a.metrics.Handler(),
		ops.Check{Name: "database", Fn: db.Ping},
		ops.Check{Name: "slack", Fn: func() error {
			if !a.bot.Connected() {
				return errors.New("the Socket Mode connection is not up")
			}
			return nil
		}},
		ops.Check{Name: "scheduler", Info: func() string {
			if lead.Leading() {
				return "leader"
			}
			return "follower"
		}}))
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("health port stopped", "err", err)
		}
	}()
	// Backups only on a socket next to the database (see package ops). The
	// bot runs on without it: backups are the operator's side, and
	// `pollen backup` says where to look.
	// The socket also takes import and import-git from the CLI while the
	// bot holds the file (adminOps).
	backups := ops.NewBackupServer(ops.SocketHandler(db, log, adminOps(db, a.link.wake)))
	sock := ops.BackupSocket(cfg.DB)
	if engine.IsPostgresURL(cfg.DB) {
		sock = "" // PostgreSQL is backed up with its own tools (pg_dump)
	} else if bl, err := ops.ListenBackup(sock); err != nil {
		log.Error("backups of the running bot are off", "socket", sock, "err", err)
	} else {
		go func() {
			if err := backups.Serve(bl); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("backup socket stopped", "err", err)
			}
		}()
	}
	log.Info("pollen running", "http", ln.Addr().String(), "backup_socket", sock, "slack_api", cfg.APIURL)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	senderDone := make(chan struct{})
	go func() { defer close(senderDone); a.sender.Run(ctx) }()
	first, err := lead.begin(ctx, nil)
	if err != nil {
		cancel()
		<-senderDone
		return err
	}
	leadDone := make(chan struct{})
	go func() { defer close(leadDone); lead.run(ctx, first) }()
	runErr := a.bot.Run(ctx)
	cancel()
	<-leadDone
	<-senderDone
	shutdownCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("health port shutdown", "err", err)
	}
	if err := backups.Shutdown(shutdownCtx); err != nil {
		log.Error("backup socket shutdown", "err", err)
	}
	if runErr != nil {
		return runErr
	}
	log.Info("pollen stopped")
	return nil
}
