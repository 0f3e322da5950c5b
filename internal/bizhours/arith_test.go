package bizhours

import (
	"errors"
	"testing"
	"time"
)

// calendars used across the tables, by name.
func testCalendars(tb testing.TB) map[string]*Calendar {
	tb.Helper()
	lunch := append(weekdays("08:00", "12:00"), weekdays("13:00", "17:00")...)
	return map[string]*Calendar{
		"london": mustCal(tb, Config{TimeZone: "Europe/London", Hours: weekdays("09:00", "17:00")}),
		"london-xmas": mustCal(tb, Config{TimeZone: "Europe/London", Hours: weekdays("09:00", "17:00"), Holidays: []Holiday{
			{Name: "Christmas Eve afternoon", Date: "2026-12-24", From: "12:00"},
			{Name: "Christmas Day", Date: "2026-12-25"},
			{Name: "Boxing Day (substitute)", Date: "2026-12-28"},
		}}),
		"london-lunch": mustCal(tb, Config{TimeZone: "Europe/London", Hours: lunch}),
		"london-247":   mustCal(tb, Config{TimeZone: "Europe/London", Hours: everyDay("00:00", "24:00")}),
		"london-night": mustCal(tb, Config{TimeZone: "Europe/London", Hours: everyDay("22:00", "06:00")}),
		"london-gap":   mustCal(tb, Config{TimeZone: "Europe/London", Hours: []Hours{{Day: "sunday", From: "01:30", To: "03:00"}}}),
		"newyork":      mustCal(tb, Config{TimeZone: "America/New_York", Hours: weekdays("09:00", "17:00")}),
		"newyork-247":  mustCal(tb, Config{TimeZone: "America/New_York", Hours: everyDay("00:00", "24:00")}),
		"sydney-247":   mustCal(tb, Config{TimeZone: "Australia/Sydney", Hours: everyDay("00:00", "24:00")}),
		"sydney":       mustCal(tb, Config{TimeZone: "Australia/Sydney", Hours: weekdays("09:00", "17:00")}),
		"adelaide-247": mustCal(tb, Config{TimeZone: "Australia/Adelaide", Hours: everyDay("00:00", "24:00")}),
		"lordhowe-247": mustCal(tb, Config{TimeZone: "Australia/Lord_Howe", Hours: everyDay("00:00", "24:00")}),
		"apia-247":     mustCal(tb, Config{TimeZone: "Pacific/Apia", Hours: everyDay("00:00", "24:00")}),
		"london-247-spring-holiday": mustCal(tb, Config{TimeZone: "Europe/London", Hours: everyDay("00:00", "24:00"),
			Holidays: []Holiday{{Name: "Clocks change", Date: "2026-03-29"}}}),
		"kathmandu": mustCal(tb, Config{TimeZone: "Asia/Kathmandu", Hours: weekdays("10:00", "18:00")}),
		"weeknights": mustCal(tb, Config{TimeZone: "Europe/London", Hours: weekdays("22:00", "06:00"), Holidays: []Holiday{
			{Name: "Closed Wednesday", Date: "2026-11-25"},
		}}),
	}
}

func TestAdd(t *testing.T) {
	cals := testCalendars(t)
	tests := []struct {
		name, cal, zone, start string
		d                      time.Duration
		want                   string // in the same zone
	}{
		{"inside a day", "london", "Europe/London", "2026-11-23 10:00", 3 * time.Hour, "2026-11-23 13:00"},
		{"zero is start even when closed", "london", "Europe/London", "2026-11-21 03:00", 0, "2026-11-21 03:00"},
		{"reaches exactly closing time", "london", "Europe/London", "2026-11-23 16:00", time.Hour, "2026-11-23 17:00"},
		{"one second past closing", "london", "Europe/London", "2026-11-23 16:00", time.Hour + time.Second, "2026-11-24 09:00:01"},
		{"start at closing time", "london", "Europe/London", "2026-11-23 17:00", time.Minute, "2026-11-24 09:01"},
		{"start before opening", "london", "Europe/London", "2026-11-23 06:00", time.Hour, "2026-11-23 10:00"},
		{"over the weekend", "london", "Europe/London", "2026-11-20 16:00", 2 * time.Hour, "2026-11-23 10:00"},
		{"start on Saturday", "london", "Europe/London", "2026-11-21 10:00", time.Hour, "2026-11-23 10:00"},
		{"a full week", "london", "Europe/London", "2026-11-23 09:00", 40 * time.Hour, "2026-11-27 17:00"},
		{"three weeks", "london", "Europe/London", "2026-11-23 09:00", 120 * time.Hour, "2026-12-11 17:00"},
		{"lunch break skipped", "london-lunch", "Europe/London", "2026-11-23 11:30", time.Hour, "2026-11-23 13:30"},
		{"start in lunch", "london-lunch", "Europe/London", "2026-11-23 12:15", time.Hour, "2026-11-23 14:00"},
		{"half-day and holidays", "london-xmas", "Europe/London", "2026-12-24 11:00", 2 * time.Hour, "2026-12-29 10:00"},
		{"start inside a holiday", "london-xmas", "Europe/London", "2026-12-25 10:00", time.Hour, "2026-12-29 10:00"},
		{"start in the closed afternoon", "london-xmas", "Europe/London", "2026-12-24 14:00", 30 * time.Minute, "2026-12-29 09:30"},
		{"night shift over midnight", "london-night", "Europe/London", "2026-11-23 23:00", 2 * time.Hour, "2026-11-24 01:00"},
		{"weeknights: Friday night into Monday night", "weeknights", "Europe/London", "2026-11-20 23:00", 8 * time.Hour, "2026-11-23 23:00"},
		{"weeknights: holiday cuts Tuesday night at midnight", "weeknights", "Europe/London", "2026-11-24 23:00", 2 * time.Hour, "2026-11-26 01:00"},
		{"spring forward, 24/7 London", "london-247", "Europe/London", "2026-03-29 00:30", time.Hour, "2026-03-29 02:30"},
		{"spring forward, shift opens in the gap", "london-gap", "Europe/London", "2026-03-28 12:00", 30 * time.Minute, "2026-03-29 02:30"},
		{"spring forward, 24/7 New York", "newyork-247", "America/New_York", "2026-03-08 01:00", 2 * time.Hour, "2026-03-08 04:00"},
		{"fall back, 24/7 New York", "newyork-247", "America/New_York", "2026-11-01 00:00", 3 * time.Hour, "2026-11-01 02:00"},
		{"DST ends, 24/7 Sydney", "sydney-247", "Australia/Sydney", "2026-04-05 00:00", 4 * time.Hour, "2026-04-05 03:00"},
		{"DST starts, 24/7 Sydney", "sydney-247", "Australia/Sydney", "2026-10-04 00:00", 3 * time.Hour, "2026-10-04 04:00"},
		{"Adelaide, 30-minute zone, DST starts", "adelaide-247", "Australia/Adelaide", "2026-10-04 01:30", time.Hour, "2026-10-04 03:30"},
		{"Lord Howe, 30-minute DST shift", "lordhowe-247", "Australia/Lord_Howe", "2026-10-04 01:00", time.Hour, "2026-10-04 02:30"},
		{"Apia, over the skipped day", "apia-247", "Pacific/Apia", "2011-12-29 23:00", 2 * time.Hour, "2011-12-31 01:00"},
		{"Kathmandu, 45-minute zone", "kathmandu", "Asia/Kathmandu", "2026-11-20 17:00", 2 * time.Hour, "2026-11-23 11:00"},
		{"year end 2040 (Go misreports zone bounds there)", "london-247", "Europe/London", "2040-12-30 23:00", 2 * time.Hour, "2040-12-31 01:00"},
		{"weekend into 2040-12-31", "london", "Europe/London", "2040-12-28 16:00", 2 * time.Hour, "2040-12-31 10:00"},
		{"caller in UTC, calendar in New York", "newyork", "UTC", "2026-11-20 21:30", time.Hour, "2026-11-23 14:30"},
		{"caller in Tokyo, calendar in London", "london", "Asia/Tokyo", "2026-11-24 01:30", time.Hour, "2026-11-24 18:30"},
		{"Sydney hours seen from London", "sydney", "Europe/London", "2026-11-20 05:00", 2 * time.Hour, "2026-11-22 23:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cals[tc.cal]
			start := at(t, tc.zone, tc.start)
			got, err := c.Add(start, tc.d)
			if err != nil {
				t.Fatalf("Add: %v", err)
			}
			if want := at(t, tc.zone, tc.want); !got.Equal(want) {
				t.Fatalf("Add(%s, %v)=%s, want %s", tc.start, tc.d, got.In(want.Location()), want)
			}
			if got.Location() != c.Location() {
				t.Errorf("result in %v, want the calendar's zone %v", got.Location(), c.Location())
			}
			if b := c.Between(start, got); b != tc.d {
				t.Errorf("Between(start, Add(start, d))=%v, want %v", b, tc.d)
			}
		})
	}
}

func TestBetween(t *testing.T) {
	cals := testCalendars(t)
	tests := []struct {
		name, cal, zone, a, b string
		want                  time.Duration
	}{
		{"same instant", "london", "Europe/London", "2026-11-23 10:00", "2026-11-23 10:00", 0},
		{"within a day", "london", "Europe/London", "2026-11-23 10:00", "2026-11-23 12:30", 150 * time.Minute},
		{"backwards is negative", "london", "Europe/London", "2026-11-23 12:30", "2026-11-23 10:00", -150 * time.Minute},
		{"weekend counts nothing", "london", "Europe/London", "2026-11-21 00:00", "2026-11-23 00:00", 0},
		{"a week", "london", "Europe/London", "2026-11-21 00:00", "2026-11-28 00:00", 40 * time.Hour},
		{"a non-leap year of weekdays", "london", "Europe/London", "2027-01-01 00:00", "2028-01-01 00:00", 261 * 8 * time.Hour},
		{"lunch", "london-lunch", "Europe/London", "2026-11-23 00:00", "2026-11-24 00:00", 8 * time.Hour},
		{"holidays", "london-xmas", "Europe/London", "2026-12-21 00:00", "2027-01-01 00:00", (3*8 + 3 + 3*8) * time.Hour},
		{"spring-forward day is 23 hours (London)", "london-247", "Europe/London", "2026-03-29 00:00", "2026-03-30 00:00", 23 * time.Hour},
		{"fall-back day is 25 hours (London)", "london-247", "Europe/London", "2026-10-25 00:00", "2026-10-26 00:00", 25 * time.Hour},
		{"night shift loses an hour in spring", "london-night", "Europe/London", "2026-03-28 12:00", "2026-03-29 12:00", 7 * time.Hour},
		{"night shift gains an hour in autumn", "london-night", "Europe/London", "2026-10-24 12:00", "2026-10-25 12:00", 9 * time.Hour},
		{"shift 01:30-03:00 opening in the gap", "london-gap", "Europe/London", "2026-03-29 00:00", "2026-03-30 00:00", time.Hour},
		{"shift 01:30-03:00 on a fall-back day", "london-gap", "Europe/London", "2026-10-25 00:00", "2026-10-26 00:00", 150 * time.Minute},
		{"New York spring day", "newyork-247", "America/New_York", "2026-03-08 00:00", "2026-03-09 00:00", 23 * time.Hour},
		{"New York fall day", "newyork-247", "America/New_York", "2026-11-01 00:00", "2026-11-02 00:00", 25 * time.Hour},
		{"New York week over spring forward", "newyork", "America/New_York", "2026-03-06 12:00", "2026-03-09 12:00", 8 * time.Hour},
		{"Sydney DST ends", "sydney-247", "Australia/Sydney", "2026-04-05 00:00", "2026-04-06 00:00", 25 * time.Hour},
		{"Sydney DST starts", "sydney-247", "Australia/Sydney", "2026-10-04 00:00", "2026-10-05 00:00", 23 * time.Hour},
		{"Adelaide DST starts", "adelaide-247", "Australia/Adelaide", "2026-10-04 00:00", "2026-10-05 00:00", 23 * time.Hour},
		{"Lord Howe DST ends (30 minutes)", "lordhowe-247", "Australia/Lord_Howe", "2026-04-05 00:00", "2026-04-06 00:00", 24*time.Hour + 30*time.Minute},
		{"Lord Howe DST starts (30 minutes)", "lordhowe-247", "Australia/Lord_Howe", "2026-10-04 00:00", "2026-10-05 00:00", 23*time.Hour + 30*time.Minute},
		{"Apia skipped 2011-12-30 altogether", "apia-247", "Pacific/Apia", "2011-12-29 00:00", "2012-01-01 00:00", 48 * time.Hour},
		{"holiday on a 23-hour day", "london-247-spring-holiday", "Europe/London", "2026-03-28 00:00", "2026-03-31 00:00", 48 * time.Hour},
		{"Kathmandu week", "kathmandu", "Asia/Kathmandu", "2026-11-23 00:00", "2026-11-30 00:00", 40 * time.Hour},
		{"callers' zones do not matter", "newyork", "Asia/Tokyo", "2026-11-24 00:00", "2026-11-25 00:00", 8 * time.Hour},
		{"weeknights with a holiday", "weeknights", "Europe/London", "2026-11-23 00:00", "2026-11-30 00:00", (8 + 2 + 6 + 8 + 8) * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := cals[tc.cal].Between(at(t, tc.zone, tc.a), at(t, tc.zone, tc.b))
			if got != tc.want {
				t.Fatalf("Between(%s, %s)=%v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestIsOpenAndNextOpen(t *testing.T) {
	cals := testCalendars(t)
	tests := []struct {
		name, cal, zone, t string
		open               bool
		next               string
	}{
		{"opening time is open", "london", "Europe/London", "2026-11-23 09:00", true, "2026-11-23 09:00"},
		{"closing time is closed", "london", "Europe/London", "2026-11-23 17:00", false, "2026-11-24 09:00"},
		{"a nanosecond before closing", "london", "Europe/London", "2026-11-23 16:59:59", true, "2026-11-23 16:59:59"},
		{"weekend", "london", "Europe/London", "2026-11-22 12:00", false, "2026-11-23 09:00"},
		{"lunch", "london-lunch", "Europe/London", "2026-11-23 12:00", false, "2026-11-23 13:00"},
		{"holiday", "london-xmas", "Europe/London", "2026-12-25 10:00", false, "2026-12-29 09:00"},
		{"half-day holiday morning", "london-xmas", "Europe/London", "2026-12-24 11:59", true, "2026-12-24 11:59"},
		{"half-day holiday afternoon", "london-xmas", "Europe/London", "2026-12-24 12:00", false, "2026-12-29 09:00"},
		{"night shift after midnight", "weeknights", "Europe/London", "2026-11-24 03:00", true, "2026-11-24 03:00"},
		{"night shift cut by holiday", "weeknights", "Europe/London", "2026-11-25 03:00", false, "2026-11-26 00:00"},
		{"Saturday morning after Friday night", "weeknights", "Europe/London", "2026-11-21 05:59", true, "2026-11-21 05:59"},
		{"Saturday night", "weeknights", "Europe/London", "2026-11-21 23:00", false, "2026-11-23 22:00"},
		{"in the spring gap shift", "london-gap", "Europe/London", "2026-03-29 02:15", true, "2026-03-29 02:15"},
		{"Sydney office seen in UTC", "sydney", "UTC", "2026-11-22 23:00", true, "2026-11-22 23:00"},
		{"Sydney office closed, seen in UTC", "sydney", "UTC", "2026-11-23 07:00", false, "2026-11-23 22:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cals[tc.cal]
			tt := at(t, tc.zone, tc.t)
			if got := c.IsOpen(tt); got != tc.open {
				t.Errorf("IsOpen(%s)=%v, want %v", tc.t, got, tc.open)
			}
			next, err := c.NextOpen(tt)
			if err != nil {
				t.Fatal(err)
			}
			if want := at(t, tc.zone, tc.next); !next.Equal(want) {
				t.Errorf("NextOpen(%s)=%s, want %s", tc.t, next.In(want.Location()), want)
			}
		})
	}
}

func TestNeverOpen(t *testing.T) {
	t.Run("New refuses a calendar without hours", func(t *testing.T) {
		_, err := New(Config{TimeZone: "UTC"})
		if err == nil {
			t.Fatal("New accepted a calendar with no office hours")
		}
	})
	t.Run("zero Calendar answers ErrNeverOpen", func(t *testing.T) {
		var c Calendar
		now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		if _, err := c.Add(now, time.Hour); !errors.Is(err, ErrNeverOpen) {
			t.Errorf("Add err=%v, want ErrNeverOpen", err)
		}
		if _, err := c.NextOpen(now); !errors.Is(err, ErrNeverOpen) {
			t.Errorf("NextOpen err=%v, want ErrNeverOpen", err)
		}
		if c.IsOpen(now) || c.Between(now, now.Add(time.Hour)) != 0 {
			t.Error("a calendar with no hours counts open time")
		}
	})
	t.Run("closed for good answers ErrTooFar quickly", func(t *testing.T) {
		c := mustCal(t, Config{TimeZone: "Europe/London", Hours: weekdays("09:00", "17:00"),
			Holidays: []Holiday{{Name: "Office closed", Date: "2026-01-01", Until: "2999-12-31"}}})
		now := at(t, "Europe/London", "2026-11-23 10:00")
		if _, err := c.Add(now, time.Hour); !errors.Is(err, ErrTooFar) {
			t.Errorf("Add err=%v, want ErrTooFar", err)
		}
		if _, err := c.NextOpen(now); !errors.Is(err, ErrTooFar) {
			t.Errorf("NextOpen err=%v, want ErrTooFar", err)
		}
		if c.IsOpen(now) {
			t.Error("open during a closure")
		}
	})
	t.Run("reopening after a long closure", func(t *testing.T) {
		c := mustCal(t, Config{TimeZone: "Europe/London", Hours: weekdays("09:00", "17:00"),
			Holidays: []Holiday{{Name: "Refurbishment", Date: "2026-01-01", Until: "2030-06-30"}}})
		got, err := c.Add(at(t, "Europe/London", "2026-11-23 10:00"), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if want := at(t, "Europe/London", "2030-07-01 10:00"); !got.Equal(want) {
			t.Errorf("Add=%s, want %s", got, want)
		}
	})
	t.Run("negative and out of range", func(t *testing.T) {
		c := testCalendars(t)["london"]
		if _, err := c.Add(time.Now(), -time.Second); !errors.Is(err, ErrNegative) {
			t.Errorf("Add(-1s) err=%v, want ErrNegative", err)
		}
		if _, err := c.Add(time.Time{}, time.Hour); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("Add(zero time) err=%v, want ErrOutOfRange", err)
		}
	})
}

func TestTwoSitesAreIndependent(t *testing.T) {
	london := mustCal(t, Config{TimeZone: "Europe/London", Hours: weekdays("09:00", "17:00"),
		Holidays: []Holiday{{Name: "Bank holiday", Date: "2026-11-23"}}})
	sydney := mustCal(t, Config{TimeZone: "Australia/Sydney", Hours: weekdays("09:00", "17:00")})
	// 2026-11-23 10:00 UTC: Monday 10:00 in London (a holiday there), 21:00 in Sydney.
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	if london.IsOpen(now) || sydney.IsOpen(now) {
		t.Fatalf("open: london=%v sydney=%v, want both closed", london.IsOpen(now), sydney.IsOpen(now))
	}
	l, _ := london.NextOpen(now)
	s, _ := sydney.NextOpen(now)
	if want := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC); !l.Equal(want) {
		t.Errorf("London opens %s, want %s", l, want)
	}
	if want := time.Date(2026, 11, 23, 22, 0, 0, 0, time.UTC); !s.Equal(want) {
		t.Errorf("Sydney opens %s, want %s", s, want)
	}
	if _, ok := sydney.HolidayAt(now); ok {
		t.Error("London's holiday shows in Sydney's calendar")
	}
}

func TestHolidayAt(t *testing.T) {
	c := testCalendars(t)["london-xmas"]
	tests := []struct {
		t    string
		name string
		ok   bool
	}{
		{"2026-12-24 11:59", "", false},
		{"2026-12-24 12:00", "Christmas Eve afternoon", true},
		{"2026-12-25 00:00", "Christmas Day", true},
		{"2026-12-25 23:59", "Christmas Day", true},
		{"2026-12-26 00:00", "", false},
		{"2026-12-28 09:00", "Boxing Day (substitute)", true},
	}
	for _, tc := range tests {
		name, ok := c.HolidayAt(at(t, "Europe/London", tc.t))
		if name != tc.name || ok != tc.ok {
			t.Errorf("HolidayAt(%s)=%q,%v, want %q,%v", tc.t, name, ok, tc.name, tc.ok)
		}
	}
}

func TestOnCall(t *testing.T) {
	utc := func(s string) time.Time { return at(t, "UTC", s) }
	c := mustCal(t, Config{TimeZone: "Europe/London", Hours: weekdays("09:00", "17:00"), OnCall: []Span{
		{Start: utc("2026-11-20 17:00"), End: utc("2026-11-21 09:00")},
		{Start: utc("2026-11-21 09:00"), End: utc("2026-11-22 09:00")}, // touches the first: one period
		{Start: utc("2026-11-25 20:00"), End: utc("2026-11-25 22:00")},
	}})
	tests := []struct {
		t             string
		onCall, cover bool
		start, end    string
	}{
		{"2026-11-20 16:59", false, true, "", ""},
		{"2026-11-20 17:00", true, true, "2026-11-20 17:00", "2026-11-22 09:00"},
		{"2026-11-21 12:00", true, true, "2026-11-20 17:00", "2026-11-22 09:00"},
		{"2026-11-22 09:00", false, false, "", ""},
		{"2026-11-25 21:00", true, true, "2026-11-25 20:00", "2026-11-25 22:00"},
		{"2026-11-25 23:00", false, false, "", ""},
	}
	for _, tc := range tests {
		s, ok := c.OnCallAt(utc(tc.t))
		if ok != tc.onCall {
			t.Errorf("OnCallAt(%s) ok=%v, want %v", tc.t, ok, tc.onCall)
		}
		if ok && (!s.Start.Equal(utc(tc.start)) || !s.End.Equal(utc(tc.end))) {
			t.Errorf("OnCallAt(%s)=%v, want %s..%s", tc.t, s, tc.start, tc.end)
		}
		if got := c.Covered(utc(tc.t)); got != tc.cover {
			t.Errorf("Covered(%s)=%v, want %v", tc.t, got, tc.cover)
		}
	}
}

// TestWallInstantMonotone checks the wall-to-instant mapping never goes
// down, and maps every reading that exists to an instant showing it, in
// zones with odd transitions, every 30 minutes over several years.
func TestWallInstantMonotone(t *testing.T) {
	for _, zone := range []string{"Europe/London", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
		"Asia/Kathmandu", "America/Sao_Paulo", "Pacific/Apia", "Africa/Casablanca", "Asia/Gaza", "UTC"} {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			for _, years := range [][2]int{{2018, 2027}, {2036, 2042}} { // Go's zone data works differently past 2037
				var prev time.Time
				first, last := dayNumber(years[0], 1, 1), dayNumber(years[1], 1, 1)
				for day := first; day < last; day++ {
					// Every half hour around changes of offset, a few readings otherwise.
					step := 30
					if offsetAt(loc, (day-1)*secondsPerDay) == offsetAt(loc, (day+2)*secondsPerDay) {
						step = 7 * 60
					}
					for m := 0; m < minutesPerDay; m += step {
						u := wallInstant(loc, day, m)
						if u.Before(prev) {
							t.Fatalf("day %d minute %d: %s before %s", day, m, u, prev)
						}
						prev = u
						y, mo, d := dayDate(day)
						want := time.Date(y, mo, d, m/60, m%60, 0, 0, loc)
						if want.Hour() == m/60 && want.Minute() == m%60 && want.Day() == d {
							// The reading exists; ours must show it, at its first occurrence.
							if lu := u.In(loc); lu.Hour() != m/60 || lu.Minute() != m%60 || lu.Day() != d {
								t.Fatalf("%s: got %s, which reads otherwise", want, lu)
							}
							for _, back := range []time.Duration{30 * time.Minute, time.Hour} {
								if u.Add(-back).In(loc).Format("2006-01-02 15:04") == u.In(loc).Format("2006-01-02 15:04") {
									t.Fatalf("%s: not the first occurrence", u)
								}
							}
						}
					}
				}
			}
		})
	}
}
