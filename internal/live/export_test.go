package live

import "time"

// Names of a node's connections in pg_stat_activity, for tests that cut them.
func ListenerName(b *Broker) string { return "rapport-live-listen-" + b.node }
func SenderName(b *Broker) string   { return "rapport-live-notify-" + b.node }

// MaxPayload and MaxPending expose the bounds under test.
const (
	MaxPayload = maxPayload
	MaxPending = maxPending
)

// PackPresence batches one presence heartbeat per name, as a node would.
func PackPresence(node string, names []string) []string {
	msgs := make([]wireMsg, len(names))
	for i, n := range names {
		msgs[i] = wireMsg{Kind: KindPresence, Ticket: 1 << 40, User: int64(i + 1), Name: n, Email: n, State: Replying, Since: 1 << 52}
	}
	return pack(node, msgs)
}

// SetQueueEvery changes how far apart a requester's queue notices come.
func SetQueueEvery(d time.Duration) (restore func()) {
	old := queueEvery
	queueEvery = d
	return func() { queueEvery = old }
}
