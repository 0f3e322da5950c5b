// Command rapport-load loads and measures Rapport.
//
//	rapport-load [run] -clients 16 -duration 10s
//	rapport-load seed -db DSN -tickets N
//	rapport-load measure -db DSN [-reads REGEXP] [-read-time 2s] [-writes=false]
//	rapport-load reports -db DSN [-from DAY] [-to DAY] [-time-zone ZONE]
//
// run (the default) measures how fast Rapport takes new tickets over HTTP.
// With no -url it starts its own server on a fresh SQLite database on
// loopback, and first measures the raw SQLite commit rate of this machine
// (one-row transactions with the same settings) as the yardstick. With
// -url and -token it loads a running server instead (loopback only).
//
// seed fills an empty database (SQLite path or postgres:// URL) with a
// realistic help desk of N tickets; measure serves the real HTTP handler
// in-process on a seeded database and times each API read one request at
// a time (searches, single tickets and some 200 combinations of ticket
// list filters), then creates and claims at 16 clients; reports times the
// supervisor report over the widest range.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
)

func main() {
	args, cmd := os.Args[1:], "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "run":
		runLoad(args)
		return
	case "seed":
		err = runSeed(context.Background(), args, os.Stdout)
	case "measure":
		err = runMeasure(context.Background(), args, os.Stdout)
	case "reports":
		err = runReports(context.Background(), args, os.Stdout) // measure_reports.go
	default:
		err = fmt.Errorf("unknown command %q: use run, seed, measure or reports", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rapport-load:", err)
		os.Exit(1)
	}
}

func runLoad(args []string) {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	clients := fs.Int("clients", 16, "concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "how long to load")
	target := fs.String("url", "", "base URL of a running server on loopback (default: start one)")
	token := fs.String("token", "", "bearer token for -url")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	fs.Parse(args)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "rapport-load:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*clients, *duration, *target, *token); err != nil {
		fmt.Fprintln(os.Stderr, "rapport-load:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(clients int, duration time.Duration, target, token string) error {
	ctx := context.Background()
	server.TuneGC(os.Getenv) // as rapport serve does; the yardstick runs under it too
	var raw float64
	if target == "" {
		dir, err := os.MkdirTemp("", "rapport-load")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if raw, err = rawCommitRate(filepath.Join(dir, "raw.db"), clients, duration); err != nil {
			return err
		}
		fmt.Printf("raw SQLite commits:   %8.0f /s (%d goroutines, one-row transactions)\n", raw, clients)

		db, err := store.Open(ctx, filepath.Join(dir, "rapport.db"))
		if err != nil {
			return err
		}
		defer db.Close()
		d := desk.New(db)
		if _, err := d.AddUser(ctx, "load@example.com", "Load Test", rapport.RoleRequester); err != nil {
			return err
		}
		if token, err = d.CreateToken(ctx, "load@example.com", "load"); err != nil {
			return err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		sctx, stop := context.WithCancel(ctx)
		defer stop()
		go server.Serve(sctx, ln, server.Handler(d, db, log), log)
		target = "http://" + ln.Addr().String()
	} else if u, err := url.Parse(target); err != nil || !isLoopback(u.Hostname()) {
		return fmt.Errorf("-url must be a loopback address such as http://127.0.0.1:8080")
	}

	n, lat, failures, err := loadCreates(target, token, clients, duration)
	if err != nil {
		return err
	}
	rate := float64(n) / duration.Seconds()
	slices.Sort(lat)
	fmt.Printf("API ticket creates:   %8.0f /s (%d clients, %s, %d created, %d failed)\n", rate, clients, duration, n, failures)
	fmt.Printf("latency p50 %v  p99 %v  max %v\n", pct(lat, 50), pct(lat, 99), pct(lat, 100))
	if raw > 0 {
		fmt.Printf("API creates / raw commits = %.2f\n", rate/raw)
	}
	return nil
}

// rawCommitRate measures one-row write transactions on SQLite with the
// settings the store uses (WAL, synchronous=FULL, one writer).
func rawCommitRate(path string, workers int, d time.Duration) (float64, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, subject TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL)"); err != nil {
		return 0, err
	}
	var n atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				tx, err := db.Begin()
				if err != nil {
					errc <- err
					return
				}
				if _, err := tx.Exec("INSERT INTO t (subject, body, created_at) VALUES (?, ?, ?)", "Printer", "Paper jam on floor 2", time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
					tx.Rollback()
					errc <- err
					return
				}
				if err := tx.Commit(); err != nil {
					errc <- err
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return 0, err
	}
	return float64(n.Load()) / d.Seconds(), nil
}

// loadCreates has each client POST tickets back to back until the time is up.
func loadCreates(base, token string, clients int, d time.Duration) (int, []time.Duration, int, error) {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	const body = `{"subject":"Printer jam","body":"The printer on floor 2 jams on every page.","impact":{"outage":false,"costs_money":false,"blocks_work":false}}`
	var mu sync.Mutex
	var all []time.Duration
	var failed atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("POST", base+"/api/v1/tickets", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				start := time.Now()
				res, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					failed.Add(1)
					continue
				}
				lat = append(lat, time.Since(start))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(all) == 0 {
		return 0, nil, int(failed.Load()), fmt.Errorf("no ticket was created (%d failures)", failed.Load())
	}
	return len(all), all, int(failed.Load()), nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted) - 1) * p / 100
	return sorted[i].Round(10 * time.Microsecond)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
