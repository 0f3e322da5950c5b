package mail_test

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func eachB(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	for _, d := range testdb.Dialects() {
		b.Run(d, func(b *testing.B) { fn(b, testdb.Open(b, d)) })
	}
}

var messageIDHeader = regexp.MustCompile(`(?im)^(message-id:\s*<)`)

func itoa(i int) string { return strconv.Itoa(i) }

// reportPercentiles reports the p50 and p99 of lat in milliseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkIngest files the corpus, over and over, from raw bytes to a
// stored mail with its ticket or reply: parsing (charsets, HTML
// sanitizing, trimming), threading and the write. Each round gives every
// message a Message-ID of its own, so none is skipped as a duplicate.
func BenchmarkIngest(b *testing.B) {
	corpus := readCorpus(b)
	names := slices.Sorted(maps.Keys(corpus))
	eachB(b, func(b *testing.B, db *store.DB) {
		c := newCorpusDesk(b, db)
		c.d.MailLimit = desk.MailLimit{Tickets: 1 << 30, Per: time.Hour}
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			n := names[i%len(names)]
			raw := append([]byte("X-Bench-Round: "+itoa(i)+"\r\n"), corpus[n]...)
			raw = messageIDHeader.ReplaceAll(raw, []byte("${1}r"+itoa(i)+"."))
			if _, dup, err := c.r.Receive(ctx, raw, "smtp"); err != nil || dup {
				b.Fatalf("%s: dup=%v err=%v", n, dup, err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
}
