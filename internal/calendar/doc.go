// Package calendar is the Vietnamese calendar used for legal deadlines: the
// lunar calendar (âm lịch) computed for UTC+7, the statutory and officially
// announced days off, and working-day arithmetic.
//
// The package is pure: it does no I/O beyond reading its embedded schedule
// data, and every function is safe for concurrent use.
//
// # Supported range
//
// Gregorian dates from 1968-01-01 to 2100-12-31 (MinYear..MaxYear). Vietnam
// adopted the UTC+7 lunar calendar in 1968; dates outside the range are
// refused with an error wrapping ErrOutOfRange, never guessed.
//
// # Dates
//
// Functions taking a time.Time use only its year, month and day as seen in
// its own location; the clock time and zone are ignored. Functions returning
// a date return midnight UTC of that day.
//
// # Lunar calendar
//
// The month starts are computed once, from the astronomical formulas of
// Meeus' Astronomical Algorithms as laid out by Hồ Ngọc Đức (new moon, true
// solar longitude, principal terms), always at UTC+7, and stored in a table
// so that ToLunar and ToSolar cost a binary search. The table is built from
// consecutive new moons, so the "day 0" defect of the textbook conversion
// (calendar.md B1) cannot occur, and ToSolar validates its input (B2).
//
// # Working days
//
// Working-day arithmetic covers 2021-01-01..2100-12-31 (MinWorkdayYear..
// MaxYear): the years of the Labour Code 2019, whose holidays the
// provisional schedules follow.
//
// A working day is Monday to Friday, minus the days off of the year's
// schedule, plus its make-up Saturdays. The schedule of a year is, in order
// of precedence: the one an administrator recorded (Options.Overrides), the
// official schedule shipped with the package (2022–2026, with the numbers of
// the documents that announced them), or the schedule generated from the
// Labour Code 2019 (Art. 111–112), which is marked provisional.
package calendar
