package importer_test

import (
	"compress/flate"
	"fmt"
	"os"
	"testing"

	"ketnap/internal/importer"
)

// fullHeaders are every column of a candidates file but the residence
// (the world has no residential unit) and the stage facts.
var fullHeaders = []string{importer.ColName, importer.ColBirth, importer.ColSex, importer.ColEthnicity, importer.ColReligion,
	importer.ColCCCD, importer.ColEducation, importer.ColOccupation, importer.ColWorkplace, importer.ColYouth,
	importer.ColTradeUnion, importer.ColOrg, importer.ColStage, "Địa chỉ", "Thư điện tử", "Số điện thoại", "Ghi chú", "Mã hồ sơ",
	"Điểm 1", "Điểm 2", "Điểm 3", "Điểm 4", "Ngày cập nhật", "Số thẻ đoàn viên", "Số sổ bảo hiểm xã hội", "Mã số thuế", "Mã bưu chính"}

// legitBook writes n valid candidates with every column filled as Excel
// writes them (text in the shared-strings table, dates as numbers): a
// name, a citizen ID and a workplace of its own on each row.
func legitBook(tb testing.TB, n int) string {
	tb.Helper()
	given := []string{"An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Minh", "Nga", "Phúc", "Thảo", "Hằng", "Khánh"}
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"}
	ethnic := []string{"Kinh", "Ê Đê", "Tày", "Nùng", "Mông", "Gia Rai"}
	schools := []string{"Trường Trung học phổ thông Nguyễn Bỉnh Khiêm", "Trường Trung học cơ sở Lê Quý Đôn", "Hợp tác xã nông nghiệp Ea Phê",
		"Công ty TNHH cà phê Thắng Lợi", "Ủy ban nhân dân xã Ea Kly"}
	return writeBook(tb, fmt.Sprintf("legit-%d.xlsx", n), flate.DefaultCompression, func(emit func(n int, cells ...rawCell)) {
		head := make([]rawCell, len(fullHeaders))
		for i, h := range fullHeaders {
			head[i] = txt(h)
		}
		emit(1, head...)
		for i := range n {
			org, sex, digit := "eaphe-t1", "Nam", 0
			if i%2 == 1 {
				org = "eakly-t2"
			}
			if i%3 == 0 {
				sex, digit = "Nữ", 1
			}
			year := 1980 + i%20
			emit(0, txt(fmt.Sprintf("%s Văn %s %d", family[i%len(family)], given[i%len(given)], i)),
				num(fmt.Sprint(29221+(year-1980)*365+i%300)), txt(sex), txt(ethnic[i%len(ethnic)]), txt("Không"),
				txt(fmt.Sprintf("066%d%02d%06d", digit, year%100, i)), txt("Trung học phổ thông"), txt("Nông dân"),
				txt(fmt.Sprintf("%s, tổ %d, thôn %d, xã Ea Phê, huyện Krông Pắc", schools[i%len(schools)], i%97, i%31)),
				txt("Có"), txt("Không"), txt(org), txt("Quần chúng ưu tú"),
				txt(fmt.Sprintf("Số %d đường %s, tổ dân phố %d, phường %d, tỉnh Đắk Lắk", 1+i%613, family[(i/7)%len(family)]+" "+given[(i/3)%len(given)], i%89, i%23)),
				txt(fmt.Sprintf("%s.%s.%d@%s.edu.vn", family[i%len(family)], given[i%len(given)], i*7919%1000003, []string{"krongpac", "eaphe", "eakly"}[i%3])),
				num(fmt.Sprint(912000000+i*7919%87000000)), txt(schools[(i/5)%len(schools)]+": đã xác minh lý lịch"), num(fmt.Sprint(i*104729%9999991)),
				num(fmt.Sprintf("%.2f", float64(i*37%1000)/100)), num(fmt.Sprintf("%.2f", float64(i*53%1000)/100)),
				num(fmt.Sprintf("%.2f", float64(i*71%1000)/100)), num(fmt.Sprintf("%.2f", float64(i*97%1000)/100)),
				num(fmt.Sprint(44927+i%500)), num(fmt.Sprint(100000000+i*15485863%899999999)),
				num(fmt.Sprint(6600000000+i*32452843%999999937)), num(fmt.Sprint(8000000000+i*49979687%1999999973)),
				num(fmt.Sprint(630000+i*7919%9999)))
		}
	})
}

// BenchmarkImportPeak checks, then imports, a legitimate file of about
// 20 MB (200,000 candidates, the most a file may have, with 27 columns)
// in a child process and reports its peak memory (issue 13, item 1). Run
// with go test -run='^$' -bench=ImportPeak -benchtime=1x ./internal/importer
func BenchmarkImportPeak(b *testing.B) {
	file := legitBook(b, importer.MaxRows)
	fi, err := os.Stat(file)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %.1f MB", file, float64(fi.Size())/(1<<20))
	for _, write := range []bool{false, true} {
		name := "check"
		if write {
			name = "import"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				res, rss := importInChild(b, file, importer.KindCandidates, write)
				if !res.OK() || res.Rows != importer.MaxRows || res.Valid != importer.MaxRows {
					b.Fatalf("%d rows, %d valid, %d problems: %+v", res.Rows, res.Valid, res.ErrorCount(), res.Errors[:min(3, len(res.Errors))])
				}
				b.ReportMetric(float64(rss)/(1<<20), "peak-MB")
			}
		})
	}
}
