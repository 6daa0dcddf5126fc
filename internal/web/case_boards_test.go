package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"ketnap/internal/domain"
)

// TestCaseBoards walks a case through the lists after the chapter: the
// board records the decision from its list, the chapter the ceremony from
// its list; the probation tracker shows the 12 months' end, the recognition
// vote's due date and the new-member certificate; the board records the
// recognition from its list.
func TestCaseBoards(t *testing.T) {
	e := newEnv(t)
	e.tree()
	cs := e.drive(e.person("Đỗ Văn Hải", "kp-a", domain.StageSource, domain.Day(1997, 2, 2)), "kp-a", domain.Day(2023, 10, 2), domain.CaseChapterVoted)
	rv := e.drive(e.person("Kim Thị Ngọc", "kp-a", domain.StageSource, domain.Day(1996, 3, 3)), "kp-a", domain.Day(2022, 6, 1), domain.CaseRecognitionVote)
	e.clock(today)
	id := strconv.FormatInt(cs.ID, 10)

	e.user("tochuc", domain.RoleOrganizer, "kp")
	o := e.client()
	o.login("tochuc")
	p := o.get("/ho-so/quyet-dinh")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, p, "Hồ sơ chờ quyết định kết nạp", "Đỗ Văn Hải", "05/02/2024", "Quá hạn", `action="/ho-so/`+id+`/quyet-dinh"`,
		`name="next" value="/ho-so/quyet-dinh"`)
	form := formValues(p.body, "/ho-so/"+id+"/quyet-dinh")
	for k, v := range map[string]string{"number": "88-QĐ/HU", "date": "2024-03-20", "received": "2024-03-22", "members": "7", "present": "7", "yes": "6", "no": "1"} {
		form.Set(k, v)
	}
	p = o.post("/ho-so/"+id+"/quyet-dinh", form)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/ho-so/quyet-dinh?da=quyet-dinh" {
		t.Fatalf("decision from the list: %d %q %s", p.status, p.header.Get("Location"), text(p.body))
	}
	p = o.get(p.header.Get("Location"))
	wantIn(t, p, "Đã ghi quyết định.", "Không có ai.")

	// The secretary records the ceremony from her list.
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	p = c.get("/ho-so/le-ket-nap")
	wantIn(t, p, "Đỗ Văn Hải", "Số 88-QĐ/HU, 20/03/2024", "nhận ngày 22/03/2024", `action="/ho-so/`+id+`/le-ket-nap"`)
	if strings.Contains(c.get("/ho-so/quyet-dinh").body, `/quyet-dinh" novalidate`) {
		t.Error("a secretary gets the decision form")
	}
	form = formValues(p.body, "/ho-so/"+id+"/le-ket-nap")
	form.Set("date", "2024-04-15")
	p = c.post("/ho-so/"+id+"/le-ket-nap", form)
	if p.status != http.StatusSeeOther {
		t.Fatalf("ceremony from the list: %d %s", p.status, text(p.body))
	}

	// The probation tracker.
	p = c.get("/ho-so/du-bi")
	wantIn(t, p, "Đỗ Văn Hải", "15/04/2024", "15/04/2025", "Chưa có giấy chứng nhận", `href="/ho-so/hop-chi-bo?org=kp-a&amp;purpose=recognition"`)

	// The board records the recognition from its list.
	rid := strconv.FormatInt(rv.ID, 10)
	p = o.get("/ho-so/cong-nhan")
	wantIn(t, p, "Kim Thị Ngọc", `name="purpose" value="recognition"`)
	form = formValues(p.body, "/ho-so/"+rid+"/quyet-dinh")
	for k, v := range map[string]string{"number": "12-QĐ/HU", "date": "2023-08-30", "members": "7", "present": "7", "yes": "7", "no": "0"} {
		form.Set(k, v)
	}
	p = o.post("/ho-so/"+rid+"/quyet-dinh", form)
	if p.status != http.StatusSeeOther {
		t.Fatalf("recognition from the list: %d %s", p.status, text(p.body))
	}
	wantIn(t, o.get("/ho-so/"+rid), `id="stage">Đã công nhận đảng viên chính thức`)

	// Sent again (a closed case, a stale version): the conflict page.
	p = o.post("/ho-so/"+rid+"/quyet-dinh", form)
	wantStatus(t, p, http.StatusConflict)
}

// TestCaseOpen opens a source's case from the person's page.
func TestCaseOpen(t *testing.T) {
	e := newEnv(t)
	e.tree()
	p := e.person("Hà Văn Tú", "kp-a", domain.StageSource, domain.Day(2000, 10, 10))
	helper := e.member("kp-a")
	e.clock(today)
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	link := "/nguoi/" + strconv.FormatInt(p, 10)
	pg := c.get(link)
	wantIn(t, pg, "Chưa có hồ sơ kết nạp.", `href="`+link+`/mo-ho-so"`)
	pg = c.get(link + "/mo-ho-so")
	wantStatus(t, pg, http.StatusOK)
	wantIn(t, pg, "Lập hồ sơ kết nạp: Hà Văn Tú", `value="2024-05-04"`, "Đảng viên Số")
	form := formValues(pg.body, link+"/mo-ho-so")
	form.Set("opened_on", "2024-06-01")
	pg = c.post(link+"/mo-ho-so", form)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, `id="err-opened_on"`, "chưa đến")
	form.Set("opened_on", "2024-05-02")
	form.Set("helper_id", strconv.FormatInt(helper, 10))
	pg = c.post(link+"/mo-ho-so", form)
	if pg.status != http.StatusSeeOther || !strings.HasSuffix(pg.header.Get("Location"), "?da=mo") {
		t.Fatalf("open: %d %q %s", pg.status, pg.header.Get("Location"), text(pg.body))
	}
	wantIn(t, c.get(pg.header.Get("Location")), "Đã lập hồ sơ kết nạp.", `id="helper"><a href="/nguoi/`+strconv.FormatInt(helper, 10))
	pg = c.get(link)
	wantIn(t, pg, "Kết nạp lần đầu từ 02/05/2024", "Quần chúng ưu tú (tạo nguồn)")
	if strings.Contains(pg.body, `href="`+link+`/mo-ho-so"`) {
		t.Error("a second case may be opened")
	}
	wantStatus(t, c.get(link+"/mo-ho-so"), http.StatusConflict)
}
