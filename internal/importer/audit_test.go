package importer_test

import (
	"testing"

	"ketnap/internal/importer"
	"ketnap/internal/service"
)

// auditPeople counts the audit records of people with the action, one
// each, in the import's transaction.
func auditPeople(t *testing.T, svc *service.Service, action string) map[int64]int {
	t.Helper()
	rows, err := storeOf(t, svc).DB().QueryContext(t.Context(), `SELECT entity_id FROM audit_log WHERE entity = 'person' AND action = $1 AND entity_id IS NOT NULL`, action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id]++
	}
	return out
}

// Issue 13, item 4: an import records each person it creates, and each
// person whose case gains steps, one record each, with the import's own
// record, in the import's transaction; the chain stays whole.
func TestImportRecordsEachPerson(t *testing.T) {
	svc, ctx := world(t)
	officials(t, svc, ctx) // a members import: three people
	members := auditPeople(t, svc, "create")
	if n := count(t, svc, "people"); len(members) != n || n == 0 {
		t.Fatalf("members import: %d people recorded (%v); want %d, one record each", len(members), members, n)
	}
	data := book(t, candHeaders,
		cand("Nguyễn Văn An", "15/03/1990", cccd(1), "eaphe-t1"),
		cand("Trần Văn Bình", "07/05/1990", cccd(2), "eakly-t2"))
	if res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{}); !res.OK() || res.Imported != 2 {
		t.Fatalf("candidates: %+v", res)
	}
	created := auditPeople(t, svc, "create")
	if len(created) != len(members)+2 {
		t.Errorf("after the candidates: %d people recorded; want %d", len(created), len(members)+2)
	}
	for id, n := range created {
		if n != 1 {
			t.Errorf("person %d recorded %d times", id, n)
		}
	}
	// a dry run and a refused file record nothing
	before := count(t, svc, "audit_log")
	run(t, svc, ctx, importer.KindCandidates, book(t, candHeaders, cand("Lê Văn Cường", "15/03/1991", cccd(7), "eaphe-t1")), importer.Options{DryRun: true})
	run(t, svc, ctx, importer.KindCandidates, book(t, candHeaders, cand("Lê Văn Dũng", "15/03/1991", cccd(8), "khong-co")), importer.Options{})
	if n := count(t, svc, "audit_log"); n != before {
		t.Errorf("a dry run and a refused file wrote %d audit records", n-before)
	}
	// a re-import with stage facts: the person whose case gains steps is
	// recorded as updated
	if res := run(t, svc, ctx, importer.KindCandidates, book(t, factHeaders, an()), importer.Options{}); !res.OK() {
		t.Fatalf("stage facts: %+v", res)
	}
	sys := service.WithUser(t.Context(), service.System)
	v, err := svc.VerifyAudit(sys)
	if err != nil || !v.OK {
		t.Errorf("the chain after the imports: %+v, %v", v, err)
	}
	if up := auditPeople(t, svc, "update"); len(up) != 1 {
		t.Errorf("people recorded as updated: %v; want An", up)
	}
}
