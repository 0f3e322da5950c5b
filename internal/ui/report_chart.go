package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
)

// The report page's charts, drawn here as plain SVG geometry for the
// templates: no script, a title and a description for screen readers, and
// the same figures in a table beside each chart. The view box is narrow
// (chartWidth) so that its text stays readable when a phone shrinks it.

const (
	chartWidth  = 400
	chartLabelW = 146 // the label column of bar charts
	chartValueW = 74  // the value column of bar charts
	chartRowH   = 26
	chartBarH   = 16
)

// barChart is a horizontal bar chart: one labelled bar a row.
type barChart struct {
	ID, Title, Desc string
	Caption         string // shown above the chart, when a section has two
	Height          int
	Bars            []chartBar
	Empty           string // said instead of bars when there is no data
}

// chartBar is one bar with its place in the view box, and in the narrow
// view box phones get (N...), where the label sits above its bar.
type chartBar struct {
	Label, Value string
	Class        string // critical, normal or plain: the colour
	Y, W         int    // top of the row; bar width
	TextY        int
	NLabelY, NY  int
	NW, NValueY  int
}

// The narrow bar chart: a label line above each bar, full width.
const (
	narrowWidth  = 300
	narrowValueW = 64
	narrowRowH   = 46
)

// NWidth and NHeight give the narrow view box's size.
func (barChart) NWidth() int    { return narrowWidth }
func (c barChart) NHeight() int { return 6 + len(c.Bars)*narrowRowH }

// NValueX is where the value text of b starts in the narrow chart.
func (b chartBar) NValueX() int { return b.NW + 6 }

// Width and LabelW give the templates the view box's geometry.
func (barChart) Width() int  { return chartWidth }
func (barChart) LabelW() int { return chartLabelW }

// ValueX is where the value text of b starts.
func (b chartBar) ValueX() int { return chartLabelW + b.W + 6 }

// BarH is the bar thickness.
func (chartBar) BarH() int { return chartBarH }

// barRow is one row of data for a bar chart.
type barRow struct {
	label, value, class string
	x                   float64
}

// newBarChart scales rows to the widest (or to max when it is larger, so
// that percentages keep 100 as the full bar).
func newBarChart(id, title, desc string, max float64, rows []barRow) *barChart {
	c := &barChart{ID: id, Title: title, Desc: desc}
	for _, r := range rows {
		max = math.Max(max, r.x)
	}
	span := float64(chartWidth - chartLabelW - chartValueW)
	for i, r := range rows {
		w := 0
		if max > 0 {
			w = int(math.Round(span * r.x / max))
		}
		if r.x > 0 && w < 2 {
			w = 2 // a non-zero count stays visible
		}
		y := 4 + i*chartRowH
		nw := 0
		if max > 0 {
			nw = int(math.Round(float64(narrowWidth-narrowValueW) * r.x / max))
		}
		if r.x > 0 && nw < 2 {
			nw = 2
		}
		ny := 4 + i*narrowRowH
		c.Bars = append(c.Bars, chartBar{Label: rapport.Cut(r.label, 20), Value: r.value, Class: r.class,
			Y: y + (chartRowH-chartBarH)/2, W: w, TextY: y + chartRowH/2 + 5,
			NLabelY: ny + 15, NY: ny + 22, NW: nw, NValueY: ny + 34})
	}
	c.Height = 8 + len(rows)*chartRowH
	return c
}

// lineChart is the backlog over the days of the range.
type lineChart struct {
	ID, Title, Desc string
	Lines           []chartLine
	Ticks           []chartTick // the y axis
	Days            []chartTick // a few dates on the x axis
}

// chartLine is one series as an SVG polyline.
type chartLine struct {
	Label, Class, Points string
	EndX, EndY           int
}

// chartTick is one axis label at a position.
type chartTick struct {
	Label string
	X, Y  int
}

const (
	lineLeft, lineRight, lineTop, lineBottom = 58, 392, 12, 196
	lineHeight                               = 236
)

// Width and Height give the templates the view box's size, Left, Right
// and Bottom the plot's edges.
func (lineChart) Width() int  { return chartWidth }
func (lineChart) Height() int { return lineHeight }
func (lineChart) Left() int   { return lineLeft }
func (lineChart) Right() int  { return lineRight }
func (lineChart) Bottom() int { return lineBottom }

// niceStep is a round step (1, 2 or 5 times a power of ten) that cuts max
// into about n parts.
func niceStep(max float64, n int) float64 {
	if max <= 0 {
		return 1
	}
	raw := max / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return math.Max(1, m*p)
		}
	}
	return math.Max(1, 10*p)
}

func newBacklogChart(r *rapport.Report) *lineChart {
	days := r.Backlog
	c := &lineChart{ID: "backlog-chart", Title: "Backlog by priority, " + r.Range.String()}
	top := 0
	for _, d := range days {
		top = max(top, d.Critical, d.Normal)
	}
	step := niceStep(float64(top), 4)
	ymax := step * math.Ceil(float64(max(top, 1))/step)
	y := func(v int) int { return lineBottom - int(math.Round(float64(lineBottom-lineTop)*float64(v)/ymax)) }
	x := func(i int) int {
		if len(days) < 2 {
			return (lineLeft + lineRight) / 2
		}
		return lineLeft + int(math.Round(float64(lineRight-lineLeft)*float64(i)/float64(len(days)-1)))
	}
	for v := 0.0; v <= ymax; v += step {
		c.Ticks = append(c.Ticks, chartTick{Label: count(int(v)), X: lineLeft - 6, Y: y(int(v))})
	}
	if len(days) > 0 {
		for _, i := range []int{0, len(days) / 2, len(days) - 1} {
			if len(c.Days) > 0 && c.Days[len(c.Days)-1].X == x(i) {
				continue
			}
			c.Days = append(c.Days, chartTick{Label: days[i].Day.Format("2 Jan 2006"), X: x(i), Y: lineBottom + 18})
		}
	}
	for _, s := range []struct {
		label, class string
		at           func(rapport.BacklogDay) int
	}{
		{"Normal", "normal", func(d rapport.BacklogDay) int { return d.Normal }},
		{"Critical", "critical", func(d rapport.BacklogDay) int { return d.Critical }},
	} {
		var pts []string
		l := chartLine{Label: s.label, Class: s.class}
		for i, d := range days {
			pts = append(pts, strconv.Itoa(x(i))+","+strconv.Itoa(y(s.at(d))))
			l.EndX, l.EndY = x(i), y(s.at(d))
		}
		l.Points = strings.Join(pts, " ")
		c.Lines = append(c.Lines, l)
	}
	if len(days) == 0 {
		c.Desc = "No days in the range."
		return c
	}
	first, last := days[0], days[len(days)-1]
	peak := first
	for _, d := range days {
		if d.Critical+d.Normal > peak.Critical+peak.Normal {
			peak = d
		}
	}
	c.Desc = fmt.Sprintf("Open tickets at the end of each day. On %s: %s critical and %s normal; on %s: %s critical and %s normal. Highest on %s with %s in all.",
		first.Day.Format("2 Jan 2006"), count(first.Critical), count(first.Normal),
		last.Day.Format("2 Jan 2006"), count(last.Critical), count(last.Normal),
		peak.Day.Format("2 Jan 2006"), count(peak.Critical+peak.Normal))
	return c
}

// count writes n with thousands separated: 12,345.
func count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// some writes n things: "1 ticket", "12,345 tickets".
func some(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}

// percent writes a share with one decimal, or "no data".
func percent(x float64, ok bool) string {
	if !ok {
		return "no data"
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + "%"
}

// span writes a duration for people: 45 s, 12 min, 3 h 05 min, 2 d 4 h.
func span(d time.Duration) string {
	s := int64(d.Seconds())
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s < 3600:
		return fmt.Sprintf("%d min", s/60)
	case s < 48*3600:
		return fmt.Sprintf("%d h %02d min", s/3600, s%3600/60)
	default:
		return fmt.Sprintf("%d d %d h", s/86400, s%86400/3600)
	}
}
