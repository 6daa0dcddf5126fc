package store

import (
	"database/sql/driver"
	"fmt"
	"time"

	"ketnap/internal/domain"
)

// Dates travel as 'YYYY-MM-DD' text: TEXT in SQLite, DATE in PostgreSQL.

func dateArg(t time.Time) string { return t.Format(domain.DateLayout) }

func dateArgPtr(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.Format(domain.DateLayout)
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// dateCol scans a date column from either engine.
type dateCol struct {
	T     time.Time
	Valid bool
}

func (d *dateCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		d.Valid = false
		return nil
	case time.Time:
		d.T, d.Valid = domain.DateOf(x), true
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("store: cannot scan %T into a date", v)
}

func (d *dateCol) parse(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	t, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		return fmt.Errorf("store: bad date %q", s)
	}
	d.T, d.Valid = t, true
	return nil
}

func (d dateCol) ptr() *time.Time {
	if !d.Valid {
		return nil
	}
	t := d.T
	return &t
}

// Value lets a dateCol be passed back as an argument.
func (d dateCol) Value() (driver.Value, error) {
	if !d.Valid {
		return nil, nil
	}
	return dateArg(d.T), nil
}

// nullID scans a nullable integer id into 0 when NULL.
type nullID int64

func (n *nullID) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n = 0
	case int64:
		*n = nullID(x)
	case int32:
		*n = nullID(x)
	default:
		return fmt.Errorf("store: cannot scan %T into an id", v)
	}
	return nil
}

// nullText scans a nullable text into "" when NULL.
type nullText string

func (n *nullText) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n = ""
	case string:
		*n = nullText(x)
	case []byte:
		*n = nullText(string(x))
	default:
		return fmt.Errorf("store: cannot scan %T into text", v)
	}
	return nil
}

// timeCol scans a timestamp from either engine.
type timeCol struct{ T time.Time }

func (c *timeCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		c.T = time.Time{}
	case time.Time:
		c.T = x
	case string:
		return c.parse(x)
	case []byte:
		return c.parse(string(x))
	default:
		return fmt.Errorf("store: cannot scan %T into a time", v)
	}
	return nil
}

func (c *timeCol) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			c.T = t
			return nil
		}
	}
	return fmt.Errorf("store: bad time %q", s)
}
