package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/rapportdesk/rapport"
)

// TestJobsFollowTheirBatchedUpdate: on SQLite an update's function runs a
// second time when another update of its shared batch loses the
// transaction. Its job must then be stored once, from the committed run,
// and the failing update's job not at all.
func TestJobsFollowTheirBatchedUpdate(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs := map[string]int{}
	enqueue := func(kind string) func(rapport.Tx) error {
		return func(tx rapport.Tx) error {
			runs[kind]++
			return tx.EnqueueJob(ctx, &rapport.Job{Kind: kind, Payload: []byte(`{}`), CreatedAt: rapport.Now()})
		}
	}
	fns := []func(rapport.Tx) error{
		enqueue("before"),
		func(tx rapport.Tx) error {
			if err := enqueue("culprit")(tx); err != nil {
				return err
			}
			if _, err := tx.(*Tx).q.ExecContext(ctx, "ROLLBACK"); err != nil {
				return err
			}
			return fmt.Errorf("disk full")
		},
		enqueue("after"),
	}
	batch := make([]writeReq, len(fns))
	for i, fn := range fns {
		batch[i] = writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	}
	db.runBatch(batch)
	for i, want := range []bool{true, false, true} {
		if err := <-batch[i].done; (err == nil) != want {
			t.Fatalf("update %d = %v, want success %v", i, err, want)
		}
	}
	if runs["before"] != 2 {
		t.Fatalf("the first update ran %d times; the test needs it to run again", runs["before"])
	}
	js, err := db.FindJobs(ctx, rapport.JobFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, j := range js {
		kinds = append(kinds, j.Kind)
	}
	sort.Strings(kinds)
	if fmt.Sprint(kinds) != "[after before]" {
		t.Fatalf("jobs stored %v, want [after before]", kinds)
	}
}
