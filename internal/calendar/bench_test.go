package calendar

import (
	"testing"
	"time"
)

func BenchmarkToLunar(b *testing.B) {
	days := make([]time.Time, 1024)
	for i := range days {
		days[i] = dateOf(minJDN + i*47%(maxJDN-minJDN))
	}
	ToLunar(days[0]) // build the table outside the timing
	for i := 0; b.Loop(); i++ {
		if _, err := ToLunar(days[i%len(days)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToSolar(b *testing.B) {
	dates := make([]LunarDate, 1024)
	for i := range dates {
		l, err := ToLunar(dateOf(minJDN + 40 + i*47%(maxJDN-minJDN-40)))
		if err != nil {
			b.Fatal(err)
		}
		dates[i] = l
	}
	for i := 0; b.Loop(); i++ {
		if _, err := ToSolar(dates[i%len(dates)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddWorkdays45(b *testing.B) {
	days := make([]time.Time, 1024)
	for i := range days {
		days[i] = dateOf(minWorkdayJDN + i*29%(maxJDN-minWorkdayJDN-200))
	}
	for _, d := range days { // compute every year once, outside the timing
		AddWorkdays(d, 45)
	}
	for i := 0; b.Loop(); i++ {
		if _, err := AddWorkdays(days[i%len(days)], 45); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAddWorkdaysCold measures a fresh calendar: the first query of a
// year builds that year's index (schedule, lunar Tết and Giỗ Tổ, prefix
// counts).
func BenchmarkAddWorkdaysCold(b *testing.B) {
	for b.Loop() {
		c, _ := New(Options{})
		if _, err := c.AddWorkdays(time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC), 45); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildLunarTable is the one-off cost of the month table.
func BenchmarkBuildLunarTable(b *testing.B) {
	for b.Loop() {
		if _, err := buildLunarTable(vnTimeZone, MinYear-2, MaxYear+1); err != nil {
			b.Fatal(err)
		}
	}
}
