package store

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/rapportdesk/rapport"
)

// ErrNestedUpdate is what Update returns when called from inside an update
// function. On SQLite the inner update would wait for the writer, which
// waits for the outer one: every write would stop. On PostgreSQL it would
// commit on its own whatever the outer one does, and could wait forever on
// the outer one's row locks. Do the work with the outer transaction.
var ErrNestedUpdate = errors.New("Update was called from inside an update; use the transaction it was given")

// runGuarded runs fn, turning a panic into an error so that the
// transaction is rolled back and the process lives on, on both databases.
// It stays a real call (not inlined): Update finds it on the stack to
// refuse nested updates.
//
//go:noinline
func (db *DB) runGuarded(fn func(rapport.Tx) error, tx *Tx) (err error) {
	db.running.Add(1)
	defer func() {
		db.running.Add(-1)
		if p := recover(); p != nil {
			err = fmt.Errorf("update panicked: %v", p)
		}
	}()
	return fn(tx)
}

// inUpdatePC is the return address of runGuarded's call of fn: a
// goroutine is inside an update function exactly when it is on its stack.
var inUpdatePC = func() uintptr {
	var pc uintptr
	(&DB{}).runGuarded(func(rapport.Tx) error {
		pcs := make([]uintptr, 8)
		frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
		for {
			f, more := frames.Next()
			if f.Function == "github.com/rapportdesk/rapport/internal/store.(*DB).runGuarded" {
				pc = f.PC + 1 // Callers reports return addresses; Frame.PC is one less
				return nil
			}
			if !more {
				panic("store: runGuarded not found on the stack")
			}
		}
	}, nil)
	return pc
}()

// nested reports whether the calling goroutine is running an update
// function. Go gives goroutines no identity, so it looks for runGuarded on
// the stack; that costs a stack walk, done only while an update runs.
func (db *DB) nested() bool {
	if db.running.Load() == 0 {
		return false
	}
	var buf [64]uintptr
	for skip := 2; ; skip += len(buf) {
		n := runtime.Callers(skip, buf[:])
		for _, pc := range buf[:n] {
			if pc == inUpdatePC {
				return true
			}
		}
		if n < len(buf) {
			return false
		}
	}
}

// refuseUpdate says why Update cannot run now, if it cannot.
func (db *DB) refuseUpdate() error {
	if db.closed.Load() {
		return ErrClosed
	}
	if db.nested() {
		return ErrNestedUpdate
	}
	return nil
}
