package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/testdb"
)

// BenchmarkCreateTicketHTTP: requesters asking for help over HTTP, 16 at a
// time, against the real stack on each database.
func BenchmarkCreateTicketHTTP(b *testing.B) {
	for _, d := range testdb.Dialects() {
		b.Run(d, func(b *testing.B) {
			e := newEnv(b, testdb.Open(b, d))
			tr := &http.Transport{MaxIdleConnsPerHost: 64}
			client := &http.Client{Transport: tr}
			const body = `{"subject":"Printer jam","body":"The printer on floor 2 jams.","impact":{"outage":false,"costs_money":false,"blocks_work":false}}`
			b.SetParallelism(8) // 16 clients on 2 cores
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("POST", e.url+"/api/v1/tickets", strings.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+e.pat)
					res, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusCreated {
						b.Errorf("status %d", res.StatusCode)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
		})
	}
}
