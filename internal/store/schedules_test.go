package store

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"ketnap/internal/domain"
)

func TestHolidaySchedules(t *testing.T) {
	st, ctx := openTest(t)
	if list, err := st.HolidaySchedules(ctx); err != nil || len(list) != 0 {
		t.Fatalf("empty store: %v %v", list, err)
	}
	_, err := st.HolidaySchedule(ctx, 2027)
	wantCode(t, err, domain.ENotFound)

	at := time.Date(2026, 11, 20, 3, 4, 5, 0, time.UTC)
	h := &domain.HolidaySchedule{Year: 2027, Official: true, Source: "Thông báo số 1/TB-BNV", RecordedAt: at, RecordedBy: "admin",
		Days: []domain.HolidayDay{
			{Date: d(2027, 1, 1), Kind: "holiday", Name: "Tết Dương lịch"},
			{Date: d(2027, 2, 5), Kind: "holiday", Name: "Tết Nguyên đán"},
			{Date: d(2027, 2, 20), Kind: "makeup_workday", Name: "Làm bù cho ngày 05/02"},
		}}
	if err := st.PutHolidaySchedule(ctx, h); err != nil {
		t.Fatal(err)
	}
	got, err := st.HolidaySchedule(ctx, 2027)
	if err != nil {
		t.Fatal(err)
	}
	if !got.RecordedAt.Equal(at) {
		t.Errorf("recorded_at %v; want %v", got.RecordedAt, at)
	}
	got.RecordedAt = at
	if !reflect.DeepEqual(got, h) {
		t.Errorf("read back %+v\nwant %+v", got, h)
	}

	// Recording the year again replaces it; another year is kept apart.
	h2 := &domain.HolidaySchedule{Year: 2027, Official: false, Source: "", RecordedAt: at.Add(time.Hour), RecordedBy: "system",
		Days: []domain.HolidayDay{{Date: d(2027, 1, 1), Kind: "holiday", Name: "Tết Dương lịch"}}}
	h3 := &domain.HolidaySchedule{Year: 2028, Source: "x", RecordedAt: at, Days: []domain.HolidayDay{}}
	for _, x := range []*domain.HolidaySchedule{h2, h3} {
		if err := st.PutHolidaySchedule(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	list, err := st.HolidaySchedules(ctx)
	if err != nil || len(list) != 2 || list[0].Year != 2027 || list[1].Year != 2028 {
		t.Fatalf("list: %+v %v", list, err)
	}
	if list[0].Official || len(list[0].Days) != 1 || list[0].RecordedBy != "system" {
		t.Errorf("2027 not replaced: %+v", list[0])
	}

	// A rolled-back transaction leaves nothing.
	boom := errors.New("boom")
	err = st.Tx(ctx, func(tx *Store) error {
		if _, err := tx.DeleteHolidaySchedule(ctx, 2027); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, err := st.HolidaySchedule(ctx, 2027); err != nil {
		t.Errorf("delete survived the rollback: %v", err)
	}

	if ok, err := st.DeleteHolidaySchedule(ctx, 2027); !ok || err != nil {
		t.Errorf("delete 2027: %v %v", ok, err)
	}
	if ok, err := st.DeleteHolidaySchedule(ctx, 2027); ok || err != nil {
		t.Errorf("delete 2027 twice: %v %v", ok, err)
	}
	_, err = st.HolidaySchedule(ctx, 2027)
	wantCode(t, err, domain.ENotFound)
}
