-- +goose Up
-- Holiday schedules recorded by a system administrator (calendar.md §4):
-- one row per Gregorian year, taking precedence over the schedules built
-- into the binary. days is a JSON array [{"date":"YYYY-MM-DD","kind":…,"name":…}].
CREATE TABLE holiday_schedules (
    year        INTEGER PRIMARY KEY,
    official    BOOLEAN NOT NULL DEFAULT FALSE,
    source      TEXT NOT NULL DEFAULT '',
    days        TEXT NOT NULL,
    recorded_at DATETIME NOT NULL,
    recorded_by TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE holiday_schedules;
