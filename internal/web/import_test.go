package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/importer"
	"ketnap/internal/service"
)

// importBook builds a candidates file for the tree of newEnv.
func importBook(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Dữ liệu")
	head := []string{"Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Trình độ học vấn", "Mã tổ chức"}
	for r, row := range append([][]string{head}, rows...) {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellStr("Dữ liệu", ref, v)
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportPage(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	pg := c.get("/nhap")
	wantIn(t, pg, "Nhập dữ liệu từ Excel", `href="/nhap/mau/candidates.xlsx"`, `enctype="multipart/form-data"`)
	if strings.Contains(pg.body, `<option value="targets"`) {
		t.Error("a secretary is offered the targets import")
	}
	// nor the members import: admission decisions from paper are the organizers' (DOMAIN §4)
	if strings.Contains(pg.body, `<option value="members"`) {
		t.Error("a secretary is offered the members import")
	}
	tpl := c.get("/nhap/mau/candidates.xlsx")
	if tpl.status != 200 || !strings.HasPrefix(tpl.body, "PK") {
		t.Fatalf("template: %d", tpl.status)
	}
	f, err := excelize.OpenReader(strings.NewReader(tpl.body))
	if err != nil {
		t.Fatal(err)
	}
	lists, _ := f.GetRows("Danh mục")
	f.Close()
	if s := strings.Join(func() []string {
		var out []string
		for _, r := range lists {
			out = append(out, r...)
		}
		return out
	}(), "|"); !strings.Contains(s, "kp-a") || strings.Contains(s, "kp-b") {
		t.Errorf("the secretary's template lists %s", s)
	}

	good := []string{"Phạm Văn Tư", "04/04/1994", "Nam", "Kinh", "066094000777", "Tiểu học", "kp-a"}
	other := []string{"Đinh Văn Năm", "05/05/1995", "Nam", "Kinh", "066095000778", "Tiểu học", "kp-b"}
	data := importBook(t, good, other)
	pg = c.upload("/nhap", "ds.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"check"}})
	wantIn(t, pg, "1 dòng mới hợp lệ", "Chưa ghi gì", "không có hoặc nằm ngoài phạm vi", `id="import-preview"`, "Phạm Văn Tư")
	if strings.Contains(pg.body, "Buôn Hai") {
		t.Errorf("the refusal names the unit outside the scope: %s", text(pg.body))
	}
	if pg.status != 422 {
		t.Errorf("status %d", pg.status)
	}
	pg = c.upload("/nhap", "ds.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"import"}})
	wantIn(t, pg, "Không nhập dòng nào vì có 1 lỗi")
	pg = c.upload("/nhap", "ds.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"import"}, "valid_only": {"1"}})
	wantIn(t, pg, "Đã nhập 1 dòng")
	pg = c.upload("/nhap", "ds.pdf.xlsx", []byte("%PDF-1.4"), url.Values{"kind": {"candidates"}, "action": {"check"}})
	wantIn(t, pg, "đây là tệp PDF")
}

// confirmForm reads the confirm form of a checked file: its token, kind
// and, when checked, valid_only.
func confirmForm(t *testing.T, pg page) url.Values {
	t.Helper()
	f := formValues(pg.body, "/nhap/ghi")
	if f == nil || len(f.Get("token")) < 26 {
		t.Fatalf("no confirm form with a token (%v); text:\n%s", f, text(pg.body))
	}
	return f
}

func pendingRows(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.st.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM pending_imports`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// imported reports whether a person with the CCCD is in the store.
func imported(t *testing.T, e *env, cccd string) bool {
	t.Helper()
	got, _, err := e.st.PeopleByCCCD(t.Context(), []string{cccd})
	if err != nil {
		t.Fatal(err)
	}
	return got[cccd] != nil
}

// TestImportKeepsCheckedFile: a checked file is imported from the confirm
// form without a new upload, once, and only by the user who checked it.
func TestImportKeepsCheckedFile(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	e.user("pho-bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	data := importBook(t, []string{"Phạm Văn Tư", "04/04/1994", "Nam", "Kinh", "066094000777", "Tiểu học", "kp-a"})

	pg := c.upload("/nhap", "Danh sách Ấp Một.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"check"}})
	wantStatus(t, pg, 200)
	wantIn(t, pg, "1 dòng mới hợp lệ", "Chưa ghi gì.",
		"Tệp “Danh sách Ấp Một.xlsx” đã được kiểm tra; bấm Nhập để ghi, không cần chọn lại tệp.",
		"Máy chủ giữ tệp đến 12:00 ngày 04/05/2024", `id="import-confirm-run"`, `href="/nhap?kind=candidates"`)
	if strings.Contains(pg.body, `id="import-form"`) || strings.Contains(pg.body, "Chọn lại tệp và bấm") {
		t.Error("the page asks for the file again although it is kept")
	}
	if strings.Contains(pg.body, `id="import-confirm-valid-only"`) {
		t.Error("a file without errors is offered the valid-rows-only choice")
	}
	form := confirmForm(t, pg)
	if form.Get("kind") != "candidates" || pendingRows(t, e) != 1 || imported(t, e, "066094000777") {
		t.Fatalf("after the check: form %v, %d kept files", form, pendingRows(t, e))
	}

	// Another user of the same chapter cannot use the token.
	other := e.client()
	other.login("pho-bithu-a")
	pg = other.post("/nhap/ghi", form)
	wantStatus(t, pg, 410)
	wantIn(t, pg, "Máy chủ không còn giữ tệp đã kiểm tra này", "Hãy chọn lại tệp", `id="import-form"`)
	if imported(t, e, "066094000777") || pendingRows(t, e) != 1 {
		t.Fatal("another user's confirm imported or dropped the file")
	}
	// Nor can a made-up token or the same token for another kind.
	for _, f := range []url.Values{
		{"token": {"AAAAAAAAAAAAAAAAAAAAAAAAAA"}, "kind": {"candidates"}},
		{"kind": {"candidates"}},
		{"token": {form.Get("token")}, "kind": {"members"}},
	} {
		pg = c.post("/nhap/ghi", f)
		wantStatus(t, pg, 410)
		wantIn(t, pg, "Hãy chọn lại tệp rồi bấm “Kiểm tra (chưa ghi)”.")
	}

	// Its owner imports it with one click; the kept file is dropped.
	pg = c.post("/nhap/ghi", form)
	wantStatus(t, pg, 200)
	wantIn(t, pg, "Kết quả nhập: Danh sách Ấp Một.xlsx", "Đã nhập 1 dòng")
	if !imported(t, e, "066094000777") {
		t.Fatal("the confirmed file was not imported")
	}
	if n := pendingRows(t, e); n != 0 {
		t.Errorf("%d kept files after the import", n)
	}
	if strings.Contains(pg.body, `id="import-confirm"`) {
		t.Error("the confirm form is offered again after the import")
	}

	// Confirming again (a second click, the back button) is refused gently.
	pg = c.post("/nhap/ghi", form)
	wantStatus(t, pg, 410)
	wantIn(t, pg, "Máy chủ không còn giữ tệp đã kiểm tra này: tệp đã được nhập, đã quá 2 giờ", `id="import-error"`, `id="import-form"`)
}

// TestImportKeptFileExpires: after two hours the kept file is refused,
// dropped, and the page asks to choose it again.
func TestImportKeptFileExpires(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	at := time.Date(2024, 5, 4, 10, 0, 0, 0, domain.Vietnam)
	setNow := func(t time.Time) { e.svc.Now = func() time.Time { return t } }
	check := func(name, cccd string) url.Values {
		t.Helper()
		data := importBook(t, []string{name, "04/04/1994", "Nam", "Kinh", cccd, "Tiểu học", "kp-a"})
		return confirmForm(t, c.upload("/nhap", name+".xlsx", data, url.Values{"kind": {"candidates"}, "action": {"check"}}))
	}

	setNow(at)
	late := check("Hồ Văn Muộn", "066094000901")
	setNow(at.Add(time.Hour))
	onTime := check("Võ Văn Kịp", "066094000902")
	check("Đỗ Văn Bỏ", "066094000904") // never confirmed

	setNow(at.Add(2*time.Hour + time.Minute))
	pg := c.post("/nhap/ghi", late)
	wantStatus(t, pg, 410)
	wantIn(t, pg, "Tệp “Hồ Văn Muộn.xlsx” được kiểm tra lúc 10:00 ngày 04/05/2024; đã quá 2 giờ nên máy chủ không còn giữ tệp.",
		"Hãy chọn lại tệp")
	if imported(t, e, "066094000901") {
		t.Error("an expired file was imported")
	}
	if n := pendingRows(t, e); n != 2 {
		t.Errorf("%d kept files, want only the two recent ones", n)
	}
	// The one checked an hour later is still within its two hours.
	pg = c.post("/nhap/ghi", onTime)
	wantStatus(t, pg, 200)
	wantIn(t, pg, "Đã nhập 1 dòng")
	if !imported(t, e, "066094000902") {
		t.Error("the file checked within two hours was not imported")
	}

	// A new check purges the files of everyone that expired.
	setNow(at.Add(5 * time.Hour))
	check("Lý Văn Mới", "066094000903")
	if n := pendingRows(t, e); n != 1 {
		t.Errorf("%d kept files after the purge, want 1", n)
	}
}

// TestImportKeptFileValidOnly: a checked file with a wrong row is kept;
// confirming it imports nothing (all or nothing) and keeps it, then the
// valid-rows-only choice imports the valid row from the same kept file.
func TestImportKeptFileValidOnly(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	good := []string{"Phạm Văn Tư", "04/04/1994", "Nam", "Kinh", "066094000777", "Tiểu học", "kp-a"}
	other := []string{"Đinh Văn Năm", "05/05/1995", "Nam", "Kinh", "066095000778", "Tiểu học", "kp-b"}
	data := importBook(t, good, other)

	pg := c.upload("/nhap", "ds.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"check"}})
	wantStatus(t, pg, 422)
	wantIn(t, pg, "1 dòng mới hợp lệ", "nằm ngoài phạm vi", "Tệp “ds.xlsx” đã được kiểm tra",
		`<label for="import-confirm-valid-only">Chỉ nhập 1 dòng hợp lệ (bỏ qua các dòng có lỗi)</label>`)
	form := confirmForm(t, pg)
	if form.Has("valid_only") {
		t.Fatal("valid_only is checked although it was not chosen")
	}

	// All or nothing: the confirm writes nothing and the file stays.
	pg = c.post("/nhap/ghi", form)
	wantStatus(t, pg, 422)
	wantIn(t, pg, "Không nhập dòng nào vì có 1 lỗi", "Tệp “ds.xlsx” đã được kiểm tra")
	if imported(t, e, "066094000777") {
		t.Fatal("a file with a wrong row was imported without valid_only")
	}
	again := confirmForm(t, pg)
	if again.Get("token") != form.Get("token") || pendingRows(t, e) != 1 {
		t.Fatalf("the refused import changed the kept file: %v, %d rows", again, pendingRows(t, e))
	}

	// Valid rows only, from the kept file.
	again.Set("valid_only", "1")
	pg = c.post("/nhap/ghi", again)
	wantStatus(t, pg, 200)
	wantIn(t, pg, "Đã nhập 1 dòng", "1 dòng lỗi không được nhập")
	if !imported(t, e, "066094000777") || imported(t, e, "066095000778") {
		t.Error("valid only did not import exactly the valid row")
	}
	if n := pendingRows(t, e); n != 0 {
		t.Errorf("%d kept files after the import", n)
	}

	// The choice made at the check is carried to the confirm form, and a
	// one-step import refused for a wrong row keeps the file too.
	data = importBook(t, []string{"Mai Văn Sáu", "06/06/1996", "Nam", "Kinh", "066096000779", "Tiểu học", "kp-a"}, other)
	pg = c.upload("/nhap", "ds2.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"check"}, "valid_only": {"1"}})
	if f := confirmForm(t, pg); f.Get("valid_only") != "1" {
		t.Errorf("valid_only not carried: %v", f)
	}
	pg = c.upload("/nhap", "ds2.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"import"}})
	wantIn(t, pg, "Không nhập dòng nào vì có 1 lỗi")
	f := confirmForm(t, pg)
	f.Set("valid_only", "1")
	pg = c.post("/nhap/ghi", f)
	wantIn(t, pg, "Đã nhập 1 dòng")
	if !imported(t, e, "066096000779") {
		t.Error("the kept file of a refused one-step import was not imported")
	}
}

// TestImportKeptFileCheckedAgain: the confirm checks the rows again, so a
// change made between the check and the confirm is caught.
func TestImportKeptFileCheckedAgain(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	data := importBook(t, []string{"Phạm Văn Tư", "04/04/1994", "Nam", "Kinh", "066094000777", "Tiểu học", "kp-a"})
	form := confirmForm(t, c.upload("/nhap", "ds.xlsx", data, url.Values{"kind": {"candidates"}, "action": {"check"}}))

	// Meanwhile someone records the same person (by CCCD).
	e.must(e.svc.CreatePerson(e.sys, service.PersonInput{FullName: "Phạm Văn Tư", BirthDate: domain.Day(1994, 4, 4),
		Sex: domain.Male, Ethnicity: "01", Religion: "none", CCCD: "066094000777", Education: "primary",
		OrgCode: "kp-a", Stage: domain.StageSource}))
	pg := c.post("/nhap/ghi", form)
	wantStatus(t, pg, 200)
	wantIn(t, pg, "Đã nhập 0 dòng; 1 dòng đã có từ trước, giữ nguyên")
	var n int
	if err := e.st.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM people WHERE cccd = '066094000777'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d people with the CCCD (%v), want 1", n, err)
	}
}

// The organizations and targets of the user's subtree download in the
// import's format and read back unchanged.
func TestImportExportsRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.tree()
	tochuc, err := e.svc.CreateUser(e.sys, service.NewUser{Username: "tochuc", Role: domain.RoleOrganizer, OrgCode: "kp", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("tochuc")
	wantIn(t, c.get("/nhap"), `id="export-orgs"`, `href="/nhap/xuat/targets.xlsx?year=`)
	for _, path := range []string{"/nhap/xuat/orgs.xlsx", "/nhap/xuat/targets.xlsx?year=2024"} {
		pg := c.get(path)
		if pg.status != 200 || !strings.HasPrefix(pg.body, "PK") {
			t.Fatalf("%s: %d", path, pg.status)
		}
		f, err := excelize.OpenReader(strings.NewReader(pg.body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Dữ liệu")
		f.Close()
		all := fmt.Sprint(rows)
		if strings.Contains(path, "orgs") && (len(rows) != 5 || rows[1][0] != "kp" || !strings.Contains(all, "kp-c")) {
			t.Errorf("orgs of kp: %v", rows) // kp and its three chapters, under the header
		}
		if strings.Contains(path, "targets") && (len(rows) != 5 || !strings.Contains(all, "Kế hoạch")) {
			t.Errorf("targets of kp: %v", rows)
		}
		kind := "orgs"
		if strings.Contains(path, "targets") {
			kind = "targets"
		}
		res, err := importer.Import(service.WithUser(context.Background(), tochuc), e.svc, kind, []byte(pg.body), importer.Options{DryRun: true})
		if err != nil || !res.OK() || res.Unchanged != len(rows)-1 || res.Valid != 0 {
			t.Errorf("%s reads back as %+v %v", path, res, err)
		}
	}
	if pg := c.get("/nhap/xuat/people.xlsx"); pg.status != 404 {
		t.Errorf("unknown export: %d", pg.status)
	}
	if pg := c.get("/nhap/xuat/orgs.xlsx?org=dl"); pg.status != 403 {
		t.Errorf("the province, outside the organizer's scope: %d", pg.status)
	}
	s := e.client()
	s.login("bithu-a")
	if strings.Contains(s.get("/nhap").body, `id="export-orgs"`) {
		t.Error("a secretary, who cannot import organizations, is offered their export")
	}
}
