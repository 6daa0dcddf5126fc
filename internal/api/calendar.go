package api

import (
	"net/http"
	"strconv"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// calendarJSON is the schedule of days off that applies to a year.
type calendarJSON struct {
	Year       int               `json:"year"`
	Status     string            `json:"status"` // official, provisional or recorded
	Official   bool              `json:"official"`
	Recorded   bool              `json:"recorded"`
	Source     string            `json:"source"`
	RecordedAt *time.Time        `json:"recorded_at"`
	RecordedBy string            `json:"recorded_by,omitempty"`
	Days       []calendarDayJSON `json:"days"`
}

// calendarDayJSON is a weekday off or a weekend day worked.
type calendarDayJSON struct {
	Date      string `json:"date"`
	Weekday   string `json:"weekday"`
	Kind      string `json:"kind"`
	KindLabel string `json:"kind_label"`
	Name      string `json:"name"`
}

var weekdays = [7]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

func calendarOut(info *service.ScheduleInfo) calendarJSON {
	out := calendarJSON{Year: info.Year, Status: info.Status, Official: info.Official, Source: info.Source,
		Recorded: info.Status == service.ScheduleRecorded, RecordedBy: info.RecordedBy, Days: []calendarDayJSON{}}
	if out.Recorded {
		at := info.RecordedAt.UTC()
		out.RecordedAt = &at
	}
	for _, d := range info.Days {
		out.Days = append(out.Days, calendarDayJSON{Date: d.Date.Format(domain.DateLayout), Weekday: weekdays[d.Date.Weekday()],
			Kind: string(d.Kind), KindLabel: d.Kind.Label(), Name: d.Name})
	}
	return out
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return 0, domain.FieldError("year", "Năm %q không hợp lệ: cần một số, ví dụ 2027", r.PathValue("year"))
	}
	return y, nil
}

// calendarSend answers with the schedule that now applies to the year.
func (a *API) calendarSend(w http.ResponseWriter, r *http.Request, year int) error {
	info, err := a.svc.ScheduleOf(r.Context(), year)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, calendarOut(info))
	return nil
}

// getCalendar: GET /api/v1/calendar/{year}, for any signed-in user.
func (a *API) getCalendar(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	return a.calendarSend(w, r, year)
}

// putCalendar: PUT /api/v1/calendar/{year} with {"official", "source",
// "days": [{"date", "kind", "name"}]} records the year's announced
// schedule (system admins only).
func (a *API) putCalendar(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var doc service.ScheduleDoc
	if err := decode(w, r, &doc); err != nil {
		return err
	}
	sch, err := doc.Schedule(year)
	if err != nil {
		return err
	}
	if err := a.svc.RecordSchedule(r.Context(), sch); err != nil {
		return err
	}
	return a.calendarSend(w, r, year)
}

// deleteCalendar: DELETE /api/v1/calendar/{year} forgets the recorded
// schedule (system admins only) and answers with the built-in one.
func (a *API) deleteCalendar(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := a.svc.ForgetSchedule(r.Context(), year); err != nil {
		return err
	}
	return a.calendarSend(w, r, year)
}
