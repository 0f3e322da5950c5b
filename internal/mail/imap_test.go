package mail_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// dovecot is a Dovecot IMAP server of the test's own: a generated
// configuration in a temporary folder, its own port on 127.0.0.1, one
// user (help, password secret) with a Maildir.
type dovecot struct {
	addr string
	cmd  *exec.Cmd
}

// startDovecot starts Dovecot from Debian's packages (apt-get install
// dovecot-imapd). Without it the test skips, and fails under CI=true.
func startDovecot(t *testing.T) *dovecot {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil { // not on a non-root PATH
		bin, err = exec.LookPath("/usr/sbin/dovecot")
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("dovecot is not installed, and CI=true: the IMAP test must run (apt-get install dovecot-imapd)")
		}
		t.Skip("dovecot is not installed (apt-get install dovecot-imapd): skipping the IMAP integration test")
	}
	// Not t.TempDir: the mail processes may run as another user, who must
	// reach the Maildir through the folder.
	dir, err := os.MkdirTemp("", "rapport-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	// Dovecot runs its login processes and mail processes as someone
	// other than root: as root, those are its own users (dovenull, and
	// dovecot for the mail); otherwise everything runs as the caller.
	mailUser, users := me, fmt.Sprintf("default_login_user = %s\ndefault_internal_user = %s\n", me.Username, me.Username)
	if os.Getuid() == 0 {
		if mailUser, err = user.Lookup("dovecot"); err != nil {
			t.Fatalf("running as root, the mail must belong to the dovecot user: %v", err)
		}
		users = ""
	}
	maildir := filepath.Join(dir, "mail")
	if err := os.Mkdir(maildir, 0o755); err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(mailUser.Uid)
	gid, _ := strconv.Atoi(mailUser.Gid)
	if os.Getuid() == 0 {
		if err := os.Chown(maildir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = %[3]d
first_valid_gid = %[4]d
mail_location = maildir:%[1]s/mail/%%u
%[5]s
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=%[3]d gid=%[4]d home=%[1]s/mail/%%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`, dir, port, uid, gid, users)
	confPath := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-F", "-c", confPath)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	dv := &dovecot{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), cmd: cmd}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	for deadline := time.Now().Add(15 * time.Second); ; {
		c, err := dv.client()
		if err == nil {
			c.Close()
			return dv
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot did not answer on %s: %v\n%s", dv.addr, err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (dv *dovecot) url() string { return "imap://help:secret@" + dv.addr + "/INBOX" }

func (dv *dovecot) client() (*imapclient.Client, error) {
	c, err := imapclient.DialInsecure(dv.addr, nil)
	if err != nil {
		return nil, err
	}
	if err := c.Login("help", "secret").Wait(); err != nil {
		c.Close()
		return nil, err
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// deliver puts raw in the mailbox by IMAP APPEND, with flags.
func (dv *dovecot) deliver(t *testing.T, raw []byte, flags ...imap.Flag) {
	t.Helper()
	c, err := dv.client()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a := c.Append("INBOX", int64(len(raw)), &imap.AppendOptions{Flags: flags})
	if _, err := a.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Wait(); err != nil {
		t.Fatal(err)
	}
}

// seen returns the UIDs in the mailbox and whether each is \Seen.
func (dv *dovecot) seen(t *testing.T) map[imap.UID]bool {
	t.Helper()
	c, err := dv.client()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var all imap.SeqSet
	all.AddRange(1, 0)
	msgs, err := c.Fetch(all, &imap.FetchOptions{UID: true, Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	out := map[imap.UID]bool{}
	for _, m := range msgs {
		out[m.UID] = slices.Contains(m.Flags, imap.FlagSeen)
	}
	return out
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// failingStore refuses every write, as a database that is down would.
type failingStore struct{ *store.DB }

func (failingStore) Update(context.Context, func(rapport.Tx) error) error {
	return errors.New("the database is down")
}

// TestIMAPPoll polls a real Dovecot: each message makes its ticket once
// and is marked \Seen only after it is stored; polling again makes
// nothing; a store failure leaves the message unseen for the next poll;
// a new UIDVALIDITY reads the mailbox again without storing anything twice.
func TestIMAPPoll(t *testing.T) {
	dv := startDovecot(t)
	corpus := readCorpus(t)
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Each database gets a fresh mailbox: empty what the last run left.
		c, err := dv.client()
		if err != nil {
			t.Fatal(err)
		}
		var all imap.SeqSet
		all.AddRange(1, 0)
		c.Store(all, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close()
		c.Expunge().Close()
		c.Close()

		d := desk.New(db)
		r := &mail.Receiver{Desk: d, Parser: mail.Parser{IDs: corpusIDs, Own: "help@rapport.test"}}
		p := &mail.Poller{Receiver: r, URL: dv.url(), Log: quiet}
		// Read before Rapport was set up: the first poll leaves it alone.
		dv.deliver(t, corpus["05-forwarded.eml"], imap.FlagSeen)
		for _, n := range []string{"02-gmail-new.eml", "13-missing-message-id.eml", "19-dsn-bounce.eml"} {
			dv.deliver(t, corpus[n])
		}
		if err := p.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		count := func() (tickets, mails int) {
			tk, _, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			ms, _, err := db.FindInboundMails(ctx, rapport.MailFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			return len(tk), len(ms)
		}
		if tk, ms := count(); tk != 2 || ms != 3 {
			t.Fatalf("after the first poll: %d tickets, %d mails; want 2 (the bounce makes none, the mail read before is left) and 3", tk, ms)
		}
		for uid, seen := range dv.seen(t) {
			if !seen {
				t.Errorf("message %d not marked seen after it was stored", uid)
			}
		}
		if err := p.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if tk, ms := count(); tk != 2 || ms != 3 {
			t.Fatalf("after polling again: %d tickets, %d mails; want no change", tk, ms)
		}

		// The database fails: the new message stays unseen, the cursor
		// stays, and the next poll stores it.
		dv.deliver(t, corpus["12-base64-body.eml"])
		down := &mail.Poller{Receiver: &mail.Receiver{Desk: desk.New(failingStore{db}), Parser: r.Parser}, URL: dv.url(), Log: quiet}
		if err := down.Poll(ctx); err == nil {
			t.Fatal("a poll whose store fails reported success")
		}
		flags := dv.seen(t)
		newest := slices.Max(slices.Collect(maps.Keys(flags)))
		if len(flags) != 5 || flags[newest] {
			t.Fatalf("after a failed store: %v; want the new message %d there and unseen", flags, newest)
		}
		if tk, ms := count(); tk != 2 || ms != 3 {
			t.Fatalf("after a failed store: %d tickets, %d mails; want no change", tk, ms)
		}
		if err := p.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if tk, ms := count(); tk != 3 || ms != 4 {
			t.Fatalf("after the retry: %d tickets, %d mails; want 3 and 4", tk, ms)
		}
		if !dv.seen(t)[newest] {
			t.Fatalf("message %d not marked seen once stored", newest)
		}

		// The server renumbers (a new UIDVALIDITY): everything is read
		// again, the mail read before Rapport too this time (it cannot
		// tell them apart any more), and nothing is stored twice.
		key := "help@" + dv.addr + "/INBOX"
		cur, err := d.MailCursor(ctx, key)
		if err != nil || cur.LastUID != uint32(newest) {
			t.Fatalf("cursor %+v (%v), want last UID %d", cur, err, newest)
		}
		if err := d.SaveMailCursor(ctx, &rapport.MailCursor{Mailbox: key, UIDValidity: cur.UIDValidity + 1, LastUID: uint32(newest)}); err != nil {
			t.Fatal(err)
		}
		if err := p.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if tk, ms := count(); tk != 4 || ms != 5 {
			t.Fatalf("after a UIDVALIDITY change: %d tickets, %d mails; want 4 and 5 (only the forward is new)", tk, ms)
		}
		if cur, _ := d.MailCursor(ctx, key); cur.LastUID != uint32(newest) {
			t.Fatalf("cursor after the rescan %+v, want last UID %d", cur, newest)
		}
	})
}
