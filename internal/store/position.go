package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/rapportdesk/rapport"
)

// The queue position rule, the same on both databases: a queued ticket's
// position is 1 + the number of queued tickets ahead of it in serving order
// (priority_rank, id), counted from committed data when the answer is made.
// It is never taken inside the transaction that writes the ticket (a create
// learns its place by reading the ticket back after commit), so the number
// is true of the committed queue when it is given, and a reader never waits
// on a writer. On SQLite writes are serial, so concurrent creates are told
// distinct places while only normal tickets arrive. On PostgreSQL ids are
// handed out before commit: a ticket
// with a lower id that commits a moment after another was read back lands
// ahead of it, and both may have been told the same (then true) place.
// TestPositionsUnderConcurrentCreates checks both.
//
// Counting is O(log n) with an order-statistics tree kept in SQL:
// queue_blocks holds, for each priority rank, how many queued tickets fall
// in each block of ids at six levels (level L groups ids by id >> shift(L),
// 2^10 ids at level 1 and 32 times more at each level up). A position is
// the top-level counts of the higher ranks, plus at each level the counts
// of the (at most 31) earlier sibling blocks under the same parent, plus an
// index count within the ticket's own 1,024-id block: about 200 counter
// rows and at most 1,024 index entries whatever the size of the queue.
//
// The counters are kept by Tx.CreateTicket and Tx.UpdateTicket, the only
// writers of tickets, in the same transaction as the change, so every
// snapshot sees them agree with the tickets. TestQueueBlocksNoDrift checks
// that after every kind of change on both databases, including concurrent
// ones and rollbacks, and CheckQueueBlocks recounts them on demand.
const (
	queueBaseShift  = 10 // ids per level-1 block: 1,024
	queueFanoutBits = 5  // blocks per parent block: 32
	queueLevels     = 6  // enough for ids below 2^40
)

func queueShift(level int) int64 { return int64(queueBaseShift + queueFanoutBits*(level-1)) }

// fillPositions sets QueuePosition on every queued ticket of ts (and clears
// it on the others). It is the one place that knows how a place in the
// queue is found, so every read reports it by the same rule. A ticket that
// has left the queue (or changed rank) since it was read gets no position
// rather than one for a state it is no longer in. A page's positions come
// from one statement (positionsSQL), so a list pays one round trip for
// them and they all describe one snapshot.
func (db *DB) fillPositions(ctx context.Context, q queryer, ts ...*rapport.Ticket) error {
	var queued []*rapport.Ticket
	for _, t := range ts {
		t.QueuePosition = nil
		if t.Queued() {
			queued = append(queued, t)
		}
	}
	switch len(queued) {
	case 0:
		return nil
	case 1:
		pos, err := db.positionOf(ctx, q, queued[0].ID, queued[0].Priority.Rank())
		queued[0].QueuePosition = pos
		return err
	}
	pos, err := db.positionsOf(ctx, q, queued)
	if err != nil {
		return err
	}
	for _, t := range queued {
		if p, ok := pos[t.ID]; ok {
			t.QueuePosition = &p
		}
	}
	return nil
}

// positionsSQL returns the statement that finds the places of n tickets,
// given as n (id, rank, prev) triples in serving order. For a ticket
// whose prev is NULL it counts the queued tickets up to it in serving
// order (get-queue-position's rule, with the block bounds computed from
// its id in SQL): about 200 counter rows and at most 1,024 index entries.
// For the others, prev is the ticket before it on the page with the same
// rank and at most 1,024 ids lower, and it counts only the queued
// tickets after prev up to it: a page of neighbours (the new tickets,
// newest first) reads a few index entries each, not 1,200 (20-25 ms a
// page at a million on PostgreSQL). Each row also says whether the ticket
// is queued; positionsOf adds the counts up.
func positionsSQL(n int) string {
	var b strings.Builder
	b.WriteString("WITH p (id, rnk, prev) AS (VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS BIGINT))")
	}
	b.WriteString(")\nSELECT p.id, p.rnk, CASE WHEN EXISTS (SELECT 1 FROM tickets t WHERE t.id = p.id AND t.priority_rank = p.rnk" +
		" AND t.assignee_id IS NULL AND t.status IN ('new', 'open')) THEN 1 ELSE 0 END,\n" +
		"CAST(CASE WHEN p.prev IS NOT NULL THEN (SELECT COUNT(*) FROM tickets t WHERE t.assignee_id IS NULL AND t.status IN ('new', 'open')" +
		" AND t.priority_rank = p.rnk AND t.id > p.prev AND t.id <= p.id)\n" +
		"ELSE (SELECT COALESCE(SUM(queued), 0) FROM queue_blocks WHERE level = 6 AND priority_rank < p.rnk)")
	for l := 1; l <= queueLevels; l++ {
		lo := "0"
		if l < queueLevels {
			lo = fmt.Sprintf("((p.id >> %d) << %d)", queueShift(l+1), queueFanoutBits)
		}
		fmt.Fprintf(&b, "\n + (SELECT COALESCE(SUM(queued), 0) FROM queue_blocks WHERE level = %d AND priority_rank = p.rnk AND block >= %s AND block < (p.id >> %d))",
			l, lo, queueShift(l))
	}
	fmt.Fprintf(&b, "\n + (SELECT COUNT(*) FROM tickets t WHERE t.assignee_id IS NULL AND t.status IN ('new', 'open') AND t.priority_rank = p.rnk"+
		" AND t.id >= ((p.id >> %d) << %d) AND t.id <= p.id)\nEND AS BIGINT) FROM p", queueBaseShift, queueBaseShift)
	return b.String()
}

// positionsOf returns the places of the queued tickets among ts, by id.
func (db *DB) positionsOf(ctx context.Context, q queryer, ts []*rapport.Ticket) (map[int64]int, error) {
	type key struct {
		rank int
		id   int64
	}
	keys := make([]key, 0, len(ts))
	for _, t := range ts {
		keys = append(keys, key{t.Priority.Rank(), t.ID})
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.id, b.id))
	})
	keys = slices.Compact(keys)
	args := make([]any, 0, 3*len(keys))
	for i, k := range keys {
		var prev any // a NULL: count from the start of the queue
		if i > 0 && keys[i-1].rank == k.rank && k.id-keys[i-1].id <= 1<<queueBaseShift {
			prev = keys[i-1].id
		}
		args = append(args, k.id, k.rank, prev)
	}
	rows, err := q.QueryContext(ctx, db.dialect.rebind(positionsSQL(len(keys))), args...)
	if err != nil {
		return nil, fmt.Errorf("queue positions: %w", err)
	}
	defer rows.Close()
	type result struct {
		queued bool
		count  int
	}
	res := make(map[key]result, len(keys)) // a stale copy may repeat an id with another rank
	for rows.Next() {
		var k key
		var queued, count int
		if err := rows.Scan(&k.id, &k.rank, &queued, &count); err != nil {
			return nil, fmt.Errorf("queue positions: %w", err)
		}
		res[k] = result{queued == 1, count}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue positions: %w", err)
	}
	// Queued tickets up to each one in serving order: a chained ticket's
	// count adds to the one before it.
	out := make(map[int64]int, len(keys))
	upTo := 0
	for i, k := range keys {
		r, ok := res[k]
		if !ok {
			return nil, fmt.Errorf("queue positions: no answer for ticket %d", k.id)
		}
		if args[3*i+2] == nil {
			upTo = 0
		}
		upTo += r.count
		if r.queued {
			out[k.id] = upTo
		}
	}
	return out, nil
}

// fillPagePositions numbers a page of the queue read in serving order
// after cursor, within the snapshot q that read the page: the first page
// starts at 1; a later one starts at its first ticket's position.
func (db *DB) fillPagePositions(ctx context.Context, q queryer, after rapport.QueueCursor, page []*rapport.Ticket) error {
	if len(page) == 0 {
		return nil
	}
	first := 1
	if after != (rapport.QueueCursor{}) {
		pos, err := db.positionOf(ctx, q, page[0].ID, page[0].Priority.Rank())
		if err != nil {
			return err
		}
		if pos == nil {
			return fmt.Errorf("queue position of ticket %d: not queued in the snapshot that listed it", page[0].ID)
		}
		first = *pos
	}
	for i, t := range page {
		pos := first + i
		t.QueuePosition = &pos
	}
	return nil
}

// positionOf returns the place of ticket id if it is queued at rank, else nil.
func (db *DB) positionOf(ctx context.Context, q queryer, id int64, rank int) (*int, error) {
	args := make([]any, 0, 6+3*queueLevels)
	args = append(args, id, rank, rank)
	for l := 1; l <= queueLevels; l++ {
		var lo int64 // the first sibling under the same parent
		if l < queueLevels {
			lo = id >> queueShift(l+1) << queueFanoutBits
		}
		args = append(args, rank, lo, id>>queueShift(l))
	}
	args = append(args, rank, id>>queueBaseShift<<queueBaseShift, id)
	var pos sql.NullInt64
	if err := q.QueryRowContext(ctx, db.q.GetQueuePosition, args...).Scan(&pos); err != nil {
		return nil, fmt.Errorf("queue position of ticket %d: %w", id, err)
	}
	if !pos.Valid {
		return nil, nil
	}
	n := int(pos.Int64)
	return &n, nil
}

// syncQueue keeps queue_blocks in step when a ticket enters, leaves or
// changes rank in the queue. Counter rows are locked in (rank, level)
// order, the same in every transaction, so updates cannot deadlock on them.
func (tx *Tx) syncQueue(ctx context.Context, id int64, oldRank int, was bool, newRank int, is bool) error {
	if was == is && (!was || oldRank == newRank) {
		return nil
	}
	type delta struct{ rank, n int }
	var ds []delta
	if was {
		ds = append(ds, delta{oldRank, -1})
	}
	if is {
		ds = append(ds, delta{newRank, +1})
	}
	slices.SortFunc(ds, func(a, b delta) int { return a.rank - b.rank })
	shard := id % tx.db.dialect.counterShards
	for _, d := range ds {
		args := make([]any, 0, 4*queueLevels)
		for l := 1; l <= queueLevels; l++ {
			args = append(args, d.rank, id>>queueShift(l), shard, d.n)
		}
		if _, err := tx.q.ExecContext(ctx, tx.db.q.AdjustQueueBlocks, args...); err != nil {
			return fmt.Errorf("queue counters: %w", err)
		}
	}
	return nil
}

// RebuildQueueBlocks recounts queue_blocks from the tickets, for bulk
// loads that write tickets without the store.
func (db *DB) RebuildQueueBlocks(ctx context.Context) error {
	return db.Update(ctx, func(rtx rapport.Tx) error {
		tx := rtx.(*Tx)
		if _, err := tx.q.ExecContext(ctx, db.q.ClearQueueBlocks); err != nil {
			return fmt.Errorf("rebuild queue counters: %w", err)
		}
		if _, err := tx.q.ExecContext(ctx, db.q.FillQueueBlocks); err != nil {
			return fmt.Errorf("rebuild queue counters: %w", err)
		}
		return nil
	})
}

// CheckQueueBlocks returns how many counter blocks disagree with a recount
// of the tickets; 0 when the counters are right.
func (db *DB) CheckQueueBlocks(ctx context.Context) (int, error) {
	var n int
	if err := db.rq.QueryRowContext(ctx, db.q.CheckQueueBlocks).Scan(&n); err != nil {
		return 0, fmt.Errorf("check queue counters: %w", err)
	}
	return n, nil
}

// snapshot runs fn on a read-only transaction, so that its statements see
// one committed state.
func (db *DB) snapshot(ctx context.Context, fn func(q queryer) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect.name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(txQ{tx: tx, c: db.rq.c}); err != nil {
		return err
	}
	return tx.Commit()
}
