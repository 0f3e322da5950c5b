package rapport

import (
	"math"
	"sort"
	"strings"
	"time"
)

// Supervisor reports (issue 9): how fast the desk answers and resolves, how
// well it keeps its SLAs, how the backlog moves, how often tickets come
// back, what people say about it, and where the requests come from.

// MaxReportDays is the longest date range a report covers: a leap year.
const MaxReportDays = 366

// DefaultReportDays is the range of a report when none is given: the last
// 30 days, today included.
const DefaultReportDays = 30

// dateLayout is how report dates are written: 2026-11-23.
const dateLayout = "2006-01-02"

// ReportRange is a range of whole days, both ends included, as the site
// reads them: days of its time zone (RAPPORT_TIME_ZONE), from midnight to
// midnight there, DST changes included.
type ReportRange struct {
	// From and To are the first and last day, each written as midnight
	// UTC of its date (a calendar date, not an instant).
	From, To time.Time
	// Zone is the site's time zone the days are read in; nil is UTC.
	Zone *time.Location
}

// Days is how many days r covers.
func (r ReportRange) Days() int { return int(r.To.Sub(r.From).Hours()/24) + 1 }

// Start is the first moment of r: midnight of From in r.Zone.
func (r ReportRange) Start() time.Time { return r.Midnight(r.From) }

// End is the first moment after the range: midnight after To in r.Zone.
func (r ReportRange) End() time.Time { return r.Midnight(r.To.AddDate(0, 0, 1)) }

// Midnight returns the first moment of day (a date, as in From) in r.Zone.
// It searches rather than calling time.Date, which may pick either side of
// a clock change at midnight: the day starts at the first instant whose
// local date is day, as report_days counts it.
func (r ReportRange) Midnight(day time.Time) time.Time {
	loc := r.Zone
	if loc == nil {
		loc = time.UTC
	}
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC).Unix()
	localDay := func(u int64) int64 {
		_, off := time.Unix(u, 0).In(loc).Zone()
		x := u + int64(off)
		return x - (x%86400+86400)%86400
	}
	lo, hi := d-30*3600, d+30*3600 // UTC offsets stay within ±26 hours
	for lo < hi {
		if mid := lo + (hi-lo)/2; localDay(mid) >= d {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return time.Unix(lo, 0).UTC()
}

// String is r as "2026-11-01 to 2026-11-30".
func (r ReportRange) String() string {
	return r.From.Format(dateLayout) + " to " + r.To.Format(dateLayout)
}

// FormatDay writes a report day as 2026-11-23.
func FormatDay(t time.Time) string { return t.UTC().Format(dateLayout) }

// ParseReportRange reads a range of days of zone (the site's; nil is
// UTC) from the dates from and to (2026-11-01), either of which may be
// empty: an empty to means today in zone, from now, and an empty from the
// DefaultReportDays up to to.
func ParseReportRange(from, to string, now time.Time, zone *time.Location) (ReportRange, error) {
	var p Problems
	if zone == nil {
		zone = time.UTC
	}
	local := now.In(zone)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	parse := func(field, s string) (time.Time, bool) {
		s = strings.TrimSpace(s)
		if s == "" {
			return time.Time{}, false
		}
		t, err := time.Parse(dateLayout, s)
		if err != nil || t.Year() < 2000 || t.Year() > 9999 {
			p.Add(field, "%s must be a date written like %s.", field, today.Format(dateLayout))
			return time.Time{}, false
		}
		return t, true
	}
	r := ReportRange{To: today, Zone: zone}
	f, hasFrom := parse("from", from)
	if t, ok := parse("to", to); ok {
		r.To = t
	}
	r.From = r.To.AddDate(0, 0, 1-DefaultReportDays)
	if hasFrom {
		r.From = f
	}
	if len(p) > 0 {
		return ReportRange{}, p.Err()
	}
	switch {
	case r.From.After(r.To):
		p.Add("from", "The start date (%s) is after the end date (%s); please swap them.", FormatDay(r.From), FormatDay(r.To))
	case r.Days() > MaxReportDays:
		p.Add("from", "A report covers at most %d days; %s is %d days. Please choose a shorter range.", MaxReportDays, r, r.Days())
	}
	return r, p.Err()
}

// Report holds the figures of every supervisor report over one range.
// Durations are wall-clock time.
type Report struct {
	Range ReportRange
	// Full reports list every comment and every agent's kudos, for the
	// CSV export; the page and the summary show the first few.
	Full bool

	// Times has the first response and resolution time by priority: each
	// first response in the range, from its ticket's creation; each
	// resolution in the range, from its ticket's creation.
	Times []DurationStat
	// SLA has the attainment of each target due in the range, by
	// priority; targets not yet decided are left out.
	SLA []SLAStat
	// Backlog is the number of tickets not yet resolved at the end of each
	// day of the range, by priority.
	Backlog []BacklogDay

	// Created counts the tickets created in the range, Reopened those of
	// them reopened at least once, and Reopens how many of them were
	// reopened how many times (ascending, zero included).
	Created, Reopened int
	Reopens           []ReopenBin
	// Channels counts the tickets created in the range by channel, most
	// first.
	Channels []ChannelCount

	// CSAT is the satisfaction surveys answered in the range; Comments
	// the latest comments among them (at most ReportComments; every one
	// when Full).
	CSAT     CSATStat
	Comments []SurveyComment
	// Kudos counts the kudos given in the range, KudosTop the agents who
	// received most (at most ReportTopAgents; every one when Full).
	Kudos    int
	KudosTop []AgentCount
	// Strikes counts the strikes given in the range by step (index 0 is
	// strike 1), and how many of them were withdrawn since.
	Strikes   [MaxStrikes]int
	Withdrawn [MaxStrikes]int
}

// ReportComments and ReportTopAgents bound the lists of a report.
const (
	ReportComments  = 20
	ReportTopAgents = 10
)

// Measure names what a DurationStat measures.
type Measure string

// The measures of Report.Times.
const (
	MeasureFirstResponse Measure = "first_response"
	MeasureResolution    Measure = "resolution"
)

// DurationStat is the median and 90th percentile of one measure of the
// tickets of one priority; zero when Count is 0.
type DurationStat struct {
	Measure     Measure
	Priority    Priority
	Count       int
	Median, P90 time.Duration
}

// SLAStat is how often one target of one priority was met.
type SLAStat struct {
	Target        SLATarget
	Priority      Priority
	Met, Breached int
}

// Attainment is the share of the decided targets that were met, in
// percent, and false when none was decided.
func (s SLAStat) Attainment() (float64, bool) {
	if s.Met+s.Breached == 0 {
		return 0, false
	}
	return 100 * float64(s.Met) / float64(s.Met+s.Breached), true
}

// BacklogDay is how many tickets of each priority were open at the end of
// one day.
type BacklogDay struct {
	Day              time.Time
	Critical, Normal int
}

// ReopenBin is how many tickets were reopened Count times.
type ReopenBin struct {
	Count, Tickets int
}

// ReopenRate is the share of the created tickets reopened at least once,
// in percent, and false when none was created.
func (r *Report) ReopenRate() (float64, bool) {
	if r.Created == 0 {
		return 0, false
	}
	return 100 * float64(r.Reopened) / float64(r.Created), true
}

// ChannelCount is how many tickets came in through one channel.
type ChannelCount struct {
	Channel Channel
	Tickets int
}

// CSATStat counts survey answers by score (index 0 is score 1).
type CSATStat struct {
	Scores [5]int
}

// Answered is how many surveys were answered.
func (c CSATStat) Answered() int {
	n := 0
	for _, x := range c.Scores {
		n += x
	}
	return n
}

// Average is the mean score, and false without answers.
func (c CSATStat) Average() (float64, bool) {
	n, sum := 0, 0
	for i, x := range c.Scores {
		n += x
		sum += x * (i + 1)
	}
	if n == 0 {
		return 0, false
	}
	return float64(sum) / float64(n), true
}

// Satisfied is the share of answers scoring 4 or 5, in percent (the
// usual CSAT score), and false without answers.
func (c CSATStat) Satisfied() (float64, bool) {
	n := c.Answered()
	if n == 0 {
		return 0, false
	}
	return 100 * float64(c.Scores[3]+c.Scores[4]) / float64(n), true
}

// SurveyComment is one comment left with a survey answer.
type SurveyComment struct {
	TicketID   int64
	Score      int
	Comment    string
	AnsweredAt time.Time
}

// AgentCount is how many of something one agent has.
type AgentCount struct {
	Agent UserRef
	Count int
}

// Durations are kept in a histogram of DurationBucket buckets so that a
// percentile over any range of days is a sum of daily counts, not a sort of
// every ticket. A bucket is one second wide below 100 s and about 1% of its
// value above, so the percentile given is within 0.5% of the exact one.
// The store computes the same buckets from the same integer recurrence;
// both stop at maxBucketLow (20 years), above which one bucket holds all.
const maxBucketLow = 20 * 365 * 24 * 3600

var bucketLows = func() []int64 {
	lows := []int64{0}
	for lo := int64(0); lo < maxBucketLow; {
		lo = max(lo+1, lo*101/100)
		lows = append(lows, lo)
	}
	return lows
}()

// DurationBuckets is the number of duration buckets.
func DurationBuckets() int { return len(bucketLows) }

// BucketLow is the shortest duration, in whole seconds, that falls in
// bucket k.
func BucketLow(k int) int64 { return bucketLows[k] }

// DurationBucket returns the bucket of a duration of sec whole seconds
// (negative ones count as 0).
func DurationBucket(sec int64) int {
	sec = max(0, sec)
	return sort.Search(len(bucketLows), func(i int) bool { return bucketLows[i] > sec }) - 1
}

// BucketValue is the duration a percentile falling in bucket k reports:
// the middle of the bucket, rounded down to a whole second.
func BucketValue(k int) time.Duration {
	lo := bucketLows[k]
	hi := lo + 1
	if k+1 < len(bucketLows) {
		hi = bucketLows[k+1]
	}
	return time.Duration(lo+(hi-1-lo)/2) * time.Second
}

// BucketCount is how many durations fell in bucket K.
type BucketCount struct {
	K int
	N int64
}

// Percentile returns the nearest-rank p-th percentile (0 < p <= 1) of the
// durations counted in hist (in any order): the value of the bucket holding
// the ceil(p*N)-th shortest duration. It returns 0 when hist is empty.
func Percentile(hist []BucketCount, p float64) time.Duration {
	h := append([]BucketCount(nil), hist...)
	sort.Slice(h, func(i, j int) bool { return h[i].K < h[j].K })
	var total int64
	for _, b := range h {
		total += b.N
	}
	if total == 0 {
		return 0
	}
	rank := NearestRank(total, p)
	var seen int64
	for _, b := range h {
		seen += b.N
		if seen >= rank {
			return BucketValue(b.K)
		}
	}
	return BucketValue(h[len(h)-1].K)
}

// NearestRank is the 1-based rank of the p-th percentile of n values:
// ceil(p*n), at least 1. It counts in integers of per-mille so that p=0.9
// of 10 values is rank 9, not 10 by a rounding error.
func NearestRank(n int64, p float64) int64 {
	milli := int64(p*1000 + 0.5)
	r := (n*milli + 999) / 1000
	return max(1, min(n, r))
}

// ZonePeriod is a stretch of time during which a zone's clocks are Offset
// seconds east of UTC, from Start (Unix seconds) until the next period.
type ZonePeriod struct {
	Start  int64
	Offset int
}

// ZoneFirstStart is the Start of a zone's first period: before any
// instant stored, so that every instant falls in a period.
const ZoneFirstStart = math.MinInt64

// zonePeriodsUntil bounds the periods ZonePeriods lists: the last one
// runs on past it.
var zonePeriodsUntil = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// ZonePeriods lists the UTC offsets of loc from 1970 to 2100, oldest
// first, for the database to find an instant's local day (report_zone):
// the first period starts at ZoneFirstStart with the offset of 1970-01-01
// and the last runs on past 2100. Consecutive periods differ in offset (a
// change of abbreviation alone is no new period).
func ZonePeriods(loc *time.Location) []ZonePeriod {
	t := time.Unix(0, 0).In(loc)
	_, off := t.Zone()
	out := []ZonePeriod{{Start: ZoneFirstStart, Offset: off}}
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(zonePeriodsUntil) {
			return out
		}
		if !end.After(t) {
			// Past its table a zone follows a rule, and ZoneBounds may
			// answer t itself at a year's end: look a second later.
			end = t.Add(time.Second)
		}
		t = end.In(loc)
		if _, off := t.Zone(); off != out[len(out)-1].Offset {
			out = append(out, ZonePeriod{Start: end.Unix(), Offset: off})
		}
	}
}
