package server

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// MetricsSource is what the metrics ask of the database when scraped.
type MetricsSource interface {
	QueueLengths(ctx context.Context) (map[rapport.Priority]int, error)
	Pools() map[string]*sql.DB
}

// Metrics holds what Rapport reports at GET /metrics in the Prometheus
// format. It has a registry of its own, so several servers can live in one
// process (as in tests).
type Metrics struct {
	reg     *prometheus.Registry
	latency *prometheus.HistogramVec
	batches prometheus.Histogram
	token   string
}

// NewMetrics returns the metrics of a server on src. With token empty,
// /metrics answers loopback clients only; otherwise it answers whoever
// sends "Authorization: Bearer <token>", loopback included (a reverse proxy
// on the same machine makes every client look local).
func NewMetrics(src MetricsSource, token string) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "rapport_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern and status class.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "status"}),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "rapport_sqlite_write_batch_size",
			Help:    "Updates that shared one SQLite commit (group commit).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 8), // 1 … 128, the largest batch
		}),
		token: token,
	}
	m.reg.MustRegister(m.latency, m.batches, &queueCollector{src: src},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for name, pool := range src.Pools() {
		m.reg.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	return m
}

// ObserveBatch records the size of one SQLite group commit; it is meant
// for store.DB.OnBatch.
func (m *Metrics) ObserveBatch(n int) { m.batches.Observe(float64(n)) }

func (m *Metrics) observeRequest(route string, status int, d time.Duration) {
	m.latency.WithLabelValues(route, strconv.Itoa(status/100)+"xx").Observe(d.Seconds())
}

// handler serves the registry to those allowed to read it.
func (m *Metrics) handler(log *slog.Logger) http.Handler {
	serve := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError, // a failing collector spoils only its own figures
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m.token != "" {
			scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(got), []byte(m.token)) != 1 {
				web.Error(log, w, r, rapport.Errorf(rapport.EUNAUTHORIZED, "Metrics need the metrics token: send it as \"Authorization: Bearer TOKEN\"."))
				return
			}
		} else if !isLoopback(r.RemoteAddr) {
			web.Error(log, w, r, rapport.Errorf(rapport.EFORBIDDEN, "Metrics are served only to this machine. To read them from elsewhere, set RAPPORT_METRICS_TOKEN and send it as a bearer token."))
			return
		}
		serve.ServeHTTP(w, r)
	})
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// queueCollector counts the queue when scraped, so the figure is never stale
// and no write path pays for it.
type queueCollector struct{ src MetricsSource }

var queueDesc = prometheus.NewDesc("rapport_queue_length", "Tickets waiting in the serving queue, by priority.", []string{"priority"}, nil)

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- queueDesc }

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lengths, err := c.src.QueueLengths(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueDesc, err)
		return
	}
	for p, n := range lengths {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(n), string(p))
	}
}
