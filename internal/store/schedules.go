package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"ketnap/internal/domain"
)

// holidayDayJSON is the stored form of a HolidayDay.
type holidayDayJSON struct {
	Date string `json:"date"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// PutHolidaySchedule records the schedule of its year, replacing the one
// recorded before.
func (s *Store) PutHolidaySchedule(ctx context.Context, h *domain.HolidaySchedule) (err error) {
	defer wrap(&err, "store.PutHolidaySchedule")
	days := make([]holidayDayJSON, len(h.Days))
	for i, d := range h.Days {
		days[i] = holidayDayJSON{Date: dateArg(d.Date), Kind: d.Kind, Name: d.Name}
	}
	b, err := json.Marshal(days)
	if err != nil {
		return err
	}
	_, err = s.q.ExecContext(ctx,
		`INSERT INTO holiday_schedules (year, official, source, days, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)
		 ON CONFLICT (year) DO UPDATE SET official = excluded.official, source = excluded.source, days = excluded.days,
		   recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`,
		h.Year, h.Official, h.Source, string(b), h.RecordedAt.UTC(), h.RecordedBy)
	return mapErr(err)
}

// DeleteHolidaySchedule removes the schedule recorded for a year and
// reports whether there was one.
func (s *Store) DeleteHolidaySchedule(ctx context.Context, year int) (_ bool, err error) {
	defer wrap(&err, "store.DeleteHolidaySchedule(%d)", year)
	res, err := s.q.ExecContext(ctx, `DELETE FROM holiday_schedules WHERE year = $1`, year)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n > 0, mapErr(err)
}

const holidayColumns = `year, official, source, days, recorded_at, recorded_by`

// HolidaySchedule returns the schedule recorded for a year, or a
// domain.ENotFound error when none is.
func (s *Store) HolidaySchedule(ctx context.Context, year int) (_ *domain.HolidaySchedule, err error) {
	defer wrap(&err, "store.HolidaySchedule(%d)", year)
	h, err := scanHoliday(s.q.QueryRowContext(ctx, `SELECT `+holidayColumns+` FROM holiday_schedules WHERE year = $1`, year))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENotFound, "Năm %d chưa có lịch nghỉ nào được ghi nhận", year)
	}
	return h, err
}

// HolidaySchedules returns every recorded schedule, by year.
func (s *Store) HolidaySchedules(ctx context.Context) (_ []*domain.HolidaySchedule, err error) {
	defer wrap(&err, "store.HolidaySchedules")
	rows, err := s.q.QueryContext(ctx, `SELECT `+holidayColumns+` FROM holiday_schedules ORDER BY year`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.HolidaySchedule
	for rows.Next() {
		h, err := scanHoliday(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, mapErr(rows.Err())
}

func scanHoliday(row interface{ Scan(...any) error }) (*domain.HolidaySchedule, error) {
	var h domain.HolidaySchedule
	var days string
	var at timeCol
	if err := row.Scan(&h.Year, &h.Official, &h.Source, &days, &at, &h.RecordedBy); err != nil {
		return nil, mapErr(err)
	}
	h.RecordedAt = at.T
	var raw []holidayDayJSON
	if err := json.Unmarshal([]byte(days), &raw); err != nil {
		return nil, fmt.Errorf("store: holiday_schedules %d: days: %w", h.Year, err)
	}
	h.Days = make([]domain.HolidayDay, len(raw))
	for i, d := range raw {
		t, err := time.Parse(domain.DateLayout, d.Date)
		if err != nil {
			return nil, fmt.Errorf("store: holiday_schedules %d: date %q: %w", h.Year, d.Date, err)
		}
		h.Days[i] = domain.HolidayDay{Date: t, Kind: d.Kind, Name: d.Name}
	}
	return &h, nil
}
