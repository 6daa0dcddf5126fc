package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// calendarView is the page of a year's calendar (GET /lich): twelve month
// grids with the days off, the lunar dates, the standing of the schedule,
// and the form that records an announced schedule.
type calendarView struct {
	View       *service.YearView
	Prev, Next int // the neighbouring years, 0 at the ends of the range
	Badge      string
	Legend     []legendRow
	Weekdays   [7]string // column headings, Monday first
	Kinds      []kindOption
	Text       string // the form's days, one per line
	Source     string
	Official   bool
	Error      string // why the form was refused, with its line
	Saved      bool
	Forgotten  bool
}

// legendRow is one day of the list under the grids.
type legendRow struct {
	Date, Weekday, Kind, Name string
	Off                       bool
}

// kindOption is a kind of day as the form accepts it.
type kindOption struct{ Code, Label string }

var (
	calWeekdayHeads = [7]string{"T2", "T3", "T4", "T5", "T6", "T7", "CN"}
	calWeekdayNames = [7]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}
)

// calendar shows a year (GET /lich?year=Y); system admins only.
func (h *Handler) calendar(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	q := r.URL.Query()
	year, err := calendarYear(q.Get("year"), h.svc.DefaultAsOf(r.Context()).Year())
	if err != nil {
		return err
	}
	v, err := h.calendarView(r, year)
	if err != nil {
		return err
	}
	v.Saved, v.Forgotten = q.Get("saved") != "", q.Get("forgotten") != ""
	v.Text, v.Source, v.Official = scheduleText(v.View.Days), "", v.View.Official
	if v.View.Status != service.ScheduleProvisional {
		v.Source = v.View.Source
	}
	return h.renderCalendar(w, r, http.StatusOK, v)
}

// calendarYear reads the year asked for; def when none is.
func calendarYear(text string, def int) (int, error) {
	if text == "" {
		return min(max(def, calendar.MinWorkdayYear), calendar.MaxYear), nil
	}
	y, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || y < calendar.MinWorkdayYear || y > calendar.MaxYear {
		return 0, domain.FieldError("year", "Năm %q không hợp lệ: lịch nghỉ có cho các năm %d–%d", text, calendar.MinWorkdayYear, calendar.MaxYear)
	}
	return y, nil
}

// calendarYearPosted reads the year of a posted form, which must name one.
func calendarYearPosted(pf url.Values) (int, error) {
	if pf.Get("year") == "" {
		return 0, domain.FieldError("year", "Thiếu năm của lịch nghỉ")
	}
	return calendarYear(pf.Get("year"), 0)
}

// calendarView loads the year; the service refuses anyone but a system admin.
func (h *Handler) calendarView(r *http.Request, year int) (*calendarView, error) {
	yv, err := h.svc.YearView(r.Context(), year)
	if err != nil {
		return nil, err
	}
	v := &calendarView{View: yv, Weekdays: calWeekdayHeads}
	if year > calendar.MinWorkdayYear {
		v.Prev = year - 1
	}
	if year < calendar.MaxYear {
		v.Next = year + 1
	}
	switch yv.Status {
	case service.ScheduleOfficial:
		v.Badge = "Lịch chính thức — " + yv.Source
	case service.ScheduleRecorded:
		v.Badge = "Lịch do quản trị viên ghi nhận"
		if yv.Official {
			v.Badge += " (chính thức)"
		}
		if yv.Source != "" {
			v.Badge += " — " + yv.Source
		}
		v.Badge += fmt.Sprintf(" · %s ghi nhận ngày %s", yv.RecordedBy, vn.Date(yv.RecordedAt.In(domain.Vietnam)))
	default:
		v.Badge = "Lịch tạm tính theo Bộ luật Lao động 2019 (chưa có thông báo chính thức)"
	}
	for _, d := range yv.Days {
		v.Legend = append(v.Legend, legendRow{Date: vn.Date(d.Date), Weekday: calWeekdayNames[d.Date.Weekday()],
			Kind: d.Kind.Label(), Name: d.Name, Off: d.Kind.Off()})
	}
	for _, k := range service.Kinds {
		v.Kinds = append(v.Kinds, kindOption{Code: string(k), Label: k.Label()})
	}
	return v, nil
}

func (h *Handler) renderCalendar(w http.ResponseWriter, r *http.Request, status int, v *calendarView) error {
	return h.render(w, r, status, "calendar", fmt.Sprintf("Lịch nghỉ lễ, tết năm %d", v.View.Year), "calendar", v)
}

// scheduleText writes the days the way the form reads them:
// "2024-02-08 | nghỉ lễ, tết | Tết Nguyên đán", one per line.
func scheduleText(days []calendar.Day) string {
	var b strings.Builder
	for _, d := range days {
		fmt.Fprintf(&b, "%s | %s | %s\n", d.Date.Format(domain.DateLayout), d.Kind.Label(), d.Name)
	}
	return b.String()
}

// parseScheduleText reads the form's days. Blank lines and lines starting
// with "#" are skipped; lines[i] is the line number of the i-th day.
func parseScheduleText(text string) (days []calendar.Day, lines []int, err error) {
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "|", 3)
		if len(parts) != 3 {
			return nil, nil, fmt.Errorf("Dòng %d: cần dạng NNNN-TT-NN | loại | tên, ví dụ 2027-02-05 | nghỉ lễ, tết | Tết Nguyên đán", n)
		}
		date, err := vn.ParseDate(parts[0])
		if err != nil {
			return nil, nil, fmt.Errorf("Dòng %d: %v", n, err)
		}
		days = append(days, calendar.Day{Date: date, Kind: calendar.Kind(strings.TrimSpace(parts[1])), Name: parts[2]})
		lines = append(lines, n)
	}
	return days, lines, nil
}

// calendarRecord records the schedule typed in the form (POST /lich). A
// refused schedule comes back with the line at fault and the text kept.
func (h *Handler) calendarRecord(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	pf := r.PostForm
	year, err := calendarYearPosted(pf)
	if err != nil {
		return err
	}
	v, err := h.calendarView(r, year) // refuses anyone but a system admin
	if err != nil {
		return err
	}
	v.Text, v.Source, v.Official = pf.Get("days"), pf.Get("source"), pf.Get("official") != ""
	days, lines, err := parseScheduleText(v.Text)
	if err != nil {
		v.Error = err.Error()
		return h.renderCalendar(w, r, http.StatusUnprocessableEntity, v)
	}
	err = h.svc.RecordSchedule(r.Context(), calendar.Schedule{Year: year, Official: v.Official, Source: v.Source, Days: days})
	if err != nil {
		if !isUserError(err) {
			return err
		}
		v.Error = domain.ErrorMessage(err)
		if i, ok := strings.CutPrefix(fieldOf(err), "days."); ok {
			if n, cerr := strconv.Atoi(i); cerr == nil && n < len(lines) {
				v.Error = fmt.Sprintf("Dòng %d: %s", lines[n], v.Error)
			}
		}
		return h.renderCalendar(w, r, statusOf(err), v)
	}
	http.Redirect(w, r, "/lich?"+url.Values{"year": {strconv.Itoa(year)}, "saved": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}

// calendarForget removes the recorded schedule of a year (POST /lich/xoa).
func (h *Handler) calendarForget(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	year, err := calendarYearPosted(r.PostForm)
	if err != nil {
		return err
	}
	if err := h.svc.ForgetSchedule(r.Context(), year); err != nil {
		return err
	}
	http.Redirect(w, r, "/lich?"+url.Values{"year": {strconv.Itoa(year)}, "forgotten": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}
