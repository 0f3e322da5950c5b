package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/config"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/jobs"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/notice"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/ui"
)

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs, cf := newConfigFlags("serve", stderr, "addr", "db", "reopen_window", "followup_after", "survey_expiry", "metrics_token", "public_url", "time_zone",
		"smtp_url", "mail_from", "smtp_listen", "imap_url", "attachments", "attachment_max_size")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg := &cf.Config
	log := newLogger(stderr)
	server.TuneGC(os.Getenv)
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	d := desk.New(db)
	d.ReopenWindow = cfg.ReopenWindow
	d.Location = cfg.Location()
	d.FollowUpAfter, d.SurveyExpiry = cfg.FollowUpAfter, cfg.SurveyExpiry
	// Service levels: a fresh install gets office hours in the site's zone
	// and the default policies (internal/sla).
	if err := d.SetupSLA(ctx, cfg.TimeZone); err != nil {
		return err
	}
	// Reports count the site zone's days: a new zone recounts them.
	start := time.Now()
	if changed, err := d.SetupReports(ctx); err != nil {
		return err
	} else if changed {
		log.Info("report days are now the site's time zone's: counts rebuilt", "time_zone", cfg.TimeZone, "took", time.Since(start).Round(time.Millisecond))
	}
	// Attachments (web): a folder by default, S3-compatible storage when
	// several nodes share the database.
	files := cfg.Attachments
	if files == "" {
		files = filepath.Join(store.DataFolder(cfg.DB), "attachments")
	}
	if d.Files, err = attach.Open(ctx, files, int64(cfg.AttachmentMaxSize)); err != nil {
		return err
	}
	defer d.Files.Close()
	metrics := server.NewMetrics(db, cfg.MetricsToken)
	db.OnBatch = metrics.ObserveBatch // before the first write, as OnBatch asks
	// Live updates: in-process on SQLite (one node); across every node
	// on the same PostgreSQL database.
	broker := live.New(log)
	if store.IsPostgres(cfg.DB) {
		if broker, err = live.NewPostgres(cfg.DB, log); err != nil {
			return err
		}
	}
	d.Notifier = broker
	// The broker outlives the drain of open requests, so that changes they
	// make still reach the other nodes; its streams end as draining starts.
	liveCtx, stopLive := context.WithCancel(context.WithoutCancel(ctx))
	liveDone := make(chan struct{})
	go func() { broker.Run(liveCtx); close(liveDone) }()
	defer func() { stopLive(); <-liveDone }()
	// Background jobs (internal/jobs): mail notices and periodic tasks,
	// each run once across every node on the database. Register job kinds
	// and periodic tasks (runner.Every) before it starts, below.
	runner, err := newRunner(ctx, cfg, db, d, log)
	if err != nil {
		return err
	}

	// Inbound mail: the SMTP listener on this node, and IMAP polling once
	// a minute across every node (a periodic task of the runner).
	if cfg.SMTPListen != "" || cfg.IMAPURL != "" {
		rcv, err := mail.NewReceiver(ctx, d, db, cfg.MailFrom)
		if err != nil {
			return err
		}
		if cfg.SMTPListen != "" {
			sl, err := net.Listen("tcp", cfg.SMTPListen)
			if err != nil {
				return fmt.Errorf("listen for mail on %s: %w", cfg.SMTPListen, err)
			}
			l := &mail.Listener{Receiver: rcv, Domain: rcv.Parser.IDs.Domain, Log: log}
			go func() {
				if err := l.Serve(ctx, sl); err != nil {
					log.Error("SMTP listener stopped", "err", err)
				}
			}()
			log.Info("receiving mail by SMTP", "addr", sl.Addr().String())
		}
		if cfg.IMAPURL != "" {
			runner.Every("imap-poll", time.Minute, (&mail.Poller{Receiver: rcv, URL: cfg.IMAPURL, Log: log}).Poll)
		}
	}

	// The runner stops after the server has drained, before the database
	// closes, letting the jobs in hand finish (each within its timeout).
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := make(chan struct{})
	go func() { runner.Run(jobsCtx); close(jobsDone) }()
	defer func() { stopJobs(); <-jobsDone }()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("rapport is serving", "addr", "http://"+ln.Addr().String(), "database", db.Dialect())
	h := server.Handler(d, db, log, server.WithMetrics(metrics), server.WithLive(broker),
		server.WithUI(ui.Options{PublicURL: cfg.PublicURL, Location: cfg.Location()}))
	return server.Serve(ctx, ln, h, log, broker.Close)
}

// newLogger writes JSON lines for log collectors, and text when a person
// watches stderr at a terminal.
func newLogger(stderr io.Writer) *slog.Logger {
	if f, ok := stderr.(*os.File); ok {
		// A character device is a terminal here; golang.org/x/term would
		// answer the same with an ioctl, for one more dependency.
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return slog.New(slog.NewTextHandler(stderr, nil))
		}
	}
	return slog.New(slog.NewJSONHandler(stderr, nil))
}

// newRunner sets up the background job runner: the periodic tasks, and
// mail notices when RAPPORT_SMTP_URL is set. Without it the desk queues no
// notice at all (d.Notices stays off): nothing piles up unsent.
func newRunner(ctx context.Context, cfg *config.Config, db *store.DB, d *desk.Desk, log *slog.Logger) (*jobs.Runner, error) {
	r := jobs.New(db)
	r.Log = log
	r.Every("return-due-holds", time.Minute, func(ctx context.Context) error {
		n, err := d.ReturnDueHolds(ctx)
		if n > 0 {
			log.Info("held tickets back to work: expected date passed", "returned", n)
		}
		return err
	})
	r.Every("send-due-checkins", time.Minute, func(ctx context.Context) error {
		n, err := d.SendDueCheckins(ctx)
		if n > 0 {
			log.Info("check-ins sent: is everything still working?", "sent", n)
		}
		return err
	})
	r.Every("check-slas", time.Minute, func(ctx context.Context) error {
		// Clocks first: old tickets get one, and policy changes reach the
		// open tickets, before the warnings are worked out.
		caught, err := d.CatchUpSLAs(ctx)
		if caught > 0 {
			log.Info("SLA clocks started or moved to the current policy", "clocks", caught)
		}
		if err != nil {
			return err
		}
		n, err := d.CheckSLAs(ctx)
		if n > 0 {
			log.Info("SLA warnings and breaches told", "alerts", n)
		}
		return err
	})
	if cfg.SMTPURL == "" {
		log.Info("no RAPPORT_SMTP_URL: no mail is sent")
		return r, nil
	}
	sender, err := mail.NewSender(cfg.SMTPURL, cfg.MailFrom)
	if err != nil {
		return nil, err
	}
	ids, err := mail.SiteIDs(ctx, db, cfg.MailFrom)
	if err != nil {
		return nil, err
	}
	m := &notice.Mailer{Desk: d, Store: db, Sender: sender, IDs: ids, PublicURL: cfg.PublicURL, Log: log,
		Contact: cfg.MailFrom}
	if m.PublicURL == "" {
		m.PublicURL = "http://" + cfg.Addr
	}
	m.Register(r)
	d.Notices = true
	log.Info("mail notices on", "from", cfg.MailFrom)
	return r, nil
}
