package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// Bulk loading (issue 15: the synthetic country). A loader that writes
// hundreds of thousands of rows cannot afford one INSERT and one round
// trip per row: these methods write many rows per statement, inside the
// caller's transaction (call them on the store Tx gives). The caller
// assigns the ids (from BulkNextIDs), so that rows can point at each other
// before they are written and nothing is read back; BulkFinish then moves
// PostgreSQL's sequences past them. The rows are the ones the per-row
// methods write (the folded names, the sort keys, the first tree link), so
// every read works on them as on data entered through the service.

// Bound parameters per statement: modernc's SQLite allows 32,766
// (SQLITE_MAX_VARIABLE_NUMBER), PostgreSQL 65,535. Rows per statement stop
// at bulkMaxRows even when more would fit: past a few hundred rows a longer
// statement gains nothing and costs memory.
const (
	bulkParamsSQLite   = 32_766
	bulkParamsPostgres = 65_535
	bulkMaxRows        = 1_000
)

// bulkRows is the number of rows of cols columns one statement carries.
func (s *Store) bulkRows(cols int) int {
	limit := bulkParamsSQLite
	if s.engine == Postgres {
		limit = bulkParamsPostgres
	}
	return max(1, min(bulkMaxRows, limit/cols))
}

// insertRows writes n rows into table with multi-row INSERTs: row(i)
// returns the values of row i in the order of cols.
func (s *Store) insertRows(ctx context.Context, table string, cols []string, n int, row func(i int) []any) error {
	return s.insertRowsAs(ctx, "INSERT INTO ", table, cols, n, row)
}

// loadRows is insertRows for the bulk loaders (Bulk…), whose transaction
// is undone whole on any error: on SQLite a multi-row INSERT that may
// fail halfway keeps a statement journal (a copy of every page it
// changes) to undo itself alone, and OR ROLLBACK spares it (a tenth of
// the country's load). Never inside a savepoint meant to undo one row.
func (s *Store) loadRows(ctx context.Context, table string, cols []string, n int, row func(i int) []any) error {
	if s.engine == SQLite {
		return s.insertRowsAs(ctx, "INSERT OR ROLLBACK INTO ", table, cols, n, row)
	}
	return s.insertRows(ctx, table, cols, n, row)
}

func (s *Store) insertRowsAs(ctx context.Context, verb, table string, cols []string, n int, row func(i int) []any) error {
	per := s.bulkRows(len(cols))
	head := verb + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	args := make([]any, 0, per*len(cols))
	for start := 0; start < n; start += per {
		end := min(n, start+per)
		args = args[:0]
		for i := start; i < end; i++ {
			vals := row(i)
			if len(vals) != len(cols) {
				return fmt.Errorf("store: bulk %s: row %d has %d values for %d columns", table, i, len(vals), len(cols))
			}
			args = append(args, vals...)
		}
		if _, err := s.q.ExecContext(ctx, head+s.rowPlaceholders(end-start, len(cols)), args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// rowPlaceholders returns "($1, $2), ($3, $4)" for rows × cols values;
// on SQLite "(?, ?), (?, ?)": SQLite looks each $N up in the list of the
// names seen so far, which made parsing a statement of 30,000 parameters
// quadratic (half the load's time), while anonymous ? are numbered as they
// come. The values are the same, in the same order.
func (s *Store) rowPlaceholders(rows, cols int) string {
	anon := s.engine == SQLite
	var b strings.Builder
	b.Grow(rows * cols * 7)
	k := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			if anon {
				b.WriteByte('?')
				continue
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(k))
			k++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// bulkTables are the tables whose ids a bulk loader assigns.
var bulkTables = []string{"orgs", "residential_units", "schools", "people", "memberships", "cases", "case_votes",
	"case_documents", "case_introducers", "case_verifications", "classes", "class_sessions", "class_learners", "certificates"}

// BulkIDs are the next free id of each table a bulk loader writes.
type BulkIDs map[string]int64

// BulkNextIDs returns, for each table a bulk loader writes, one past its
// highest id.
func (s *Store) BulkNextIDs(ctx context.Context) (_ BulkIDs, err error) {
	defer wrap(&err, "store.BulkNextIDs")
	ids := BulkIDs{}
	for _, t := range bulkTables {
		var n int64
		if err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+t).Scan(&n); err != nil {
			return nil, mapErr(err)
		}
		ids[t] = n + 1
	}
	return ids, nil
}

// BulkFinish moves PostgreSQL's id sequences past the ids a bulk loader
// assigned, so that rows written later get fresh ones. SQLite's INTEGER
// PRIMARY KEY needs nothing.
func (s *Store) BulkFinish(ctx context.Context) (err error) {
	defer wrap(&err, "store.BulkFinish")
	if s.engine != Postgres {
		return nil
	}
	for _, t := range bulkTables {
		_, err := s.q.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), GREATEST(COALESCE(MAX(id), 0), 1), COALESCE(MAX(id), 0) > 0) FROM `+t)
		if err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// BulkOrgs writes organizations whose ID and Path the caller set (the
// path of the parent plus the id, parents first), each with its first
// place in the tree (org_links), as CreateOrg writes them.
func (s *Store) BulkOrgs(ctx context.Context, orgs []domain.Org) (err error) {
	defer wrap(&err, "store.BulkOrgs(%d)", len(orgs))
	cols := []string{"id", "code", "name", "name_fold", "kind", "sector", "parent_id", "path", "valid_from", "valid_to",
		"successor_id", "youth_union"}
	err = s.loadRows(ctx, "orgs", cols, len(orgs), func(i int) []any {
		o := &orgs[i]
		return []any{o.ID, o.Code, o.Name, vn.Fold(o.Name), o.Kind, o.Sector, nullInt(o.ParentID), o.Path,
			dateArg(o.ValidFrom), dateArgPtr(o.ValidTo), nullInt(o.SuccessorID), o.YouthUnion}
	})
	if err != nil {
		return err
	}
	return s.loadRows(ctx, "org_links", []string{"org_id", "parent_id", "path", "valid_from"}, len(orgs), func(i int) []any {
		o := &orgs[i]
		return []any{o.ID, nullInt(o.ParentID), o.Path, dateArg(firstLinkDate)}
	})
}

// BulkAuthorities writes admission authority records.
func (s *Store) BulkAuthorities(ctx context.Context, list []domain.Authority) (err error) {
	defer wrap(&err, "store.BulkAuthorities(%d)", len(list))
	cols := []string{"org_id", "valid_from", "decider_id", "authorised", "subcommittee", "grassroots_level"}
	return s.loadRows(ctx, "org_authority", cols, len(list), func(i int) []any {
		a := &list[i]
		return []any{a.OrgID, dateArg(a.ValidFrom), a.DeciderID, a.Authorised, a.SubCommittee, a.GrassrootsLevel}
	})
}

// BulkResidentialUnits writes villages and residential groups with their ids.
func (s *Store) BulkResidentialUnits(ctx context.Context, units []domain.ResidentialUnit) (err error) {
	defer wrap(&err, "store.BulkResidentialUnits(%d)", len(units))
	cols := []string{"id", "code", "name", "kind", "commune_id", "chapter_id"}
	return s.loadRows(ctx, "residential_units", cols, len(units), func(i int) []any {
		u := &units[i]
		return []any{u.ID, u.Code, u.Name, u.Kind, u.CommuneID, nullInt(u.ChapterID)}
	})
}

// BulkSchools writes schools with their ids and their enrolments.
func (s *Store) BulkSchools(ctx context.Context, schools []domain.School, enrolment []domain.Enrolment) (err error) {
	defer wrap(&err, "store.BulkSchools(%d)", len(schools))
	err = s.loadRows(ctx, "schools", []string{"id", "code", "name", "level", "org_id", "commune_id"}, len(schools), func(i int) []any {
		sc := &schools[i]
		return []any{sc.ID, sc.Code, sc.Name, sc.Level, nullInt(sc.OrgID), nullInt(sc.CommuneID)}
	})
	if err != nil {
		return err
	}
	return s.loadRows(ctx, "school_enrolment", []string{"school_id", "school_year", "students"}, len(enrolment), func(i int) []any {
		e := &enrolment[i]
		return []any{e.SchoolID, e.SchoolYear, e.Students}
	})
}

// BulkPeople writes people with their ids; the folded name and the sort
// key are derived here, as CreatePerson derives them.
func (s *Store) BulkPeople(ctx context.Context, people []domain.Person, now time.Time) (err error) {
	defer wrap(&err, "store.BulkPeople(%d)", len(people))
	cols := []string{"id", "full_name", "name_fold", "name_key", "birth_date", "sex", "ethnicity", "religion", "cccd",
		"education", "occupation", "residence_id", "workplace", "youth_union", "trade_union", "org_id", "stage",
		"created_at", "updated_at"}
	at := now.UTC()
	if err := s.loadRows(ctx, "people", cols, len(people), func(i int) []any {
		p := &people[i]
		p.NameFold, p.NameKey, p.Version = vn.Fold(p.FullName), nameKey(p.FullName), 1
		return []any{p.ID, p.FullName, p.NameFold, p.NameKey, dateArg(p.BirthDate), p.Sex, p.Ethnicity, p.Religion,
			nullStr(p.CCCD), p.Education, p.Occupation, nullInt(p.ResidenceID), p.Workplace, p.YouthUnion, p.TradeUnion,
			p.OrgID, p.Stage, at, at}
	}); err != nil {
		return err
	}
	// the name search's words, as CreatePerson writes them
	paths := map[int64]string{}
	for i := range people {
		paths[people[i].OrgID] = ""
	}
	ids := make([]any, 0, len(paths))
	for id := range paths {
		ids = append(ids, id)
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		ph := make([]string, len(part))
		for i := range part {
			ph[i] = "$" + strconv.Itoa(i+1)
		}
		rows, err := s.q.QueryContext(ctx, `SELECT id, path FROM orgs WHERE id IN (`+strings.Join(ph, ", ")+`)`, part...)
		if err != nil {
			return mapErr(err)
		}
		for rows.Next() {
			var id int64
			var path string
			if err := rows.Scan(&id, &path); err != nil {
				rows.Close()
				return err
			}
			paths[id] = path
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
	}
	var words []wordEntry
	for i := range people {
		p := &people[i]
		words = append(words, personWordEntries(p.ID, p.NameFold, p.NameKey, paths[p.OrgID])...)
	}
	if err := s.loadWordEntries(ctx, words); err != nil {
		return err
	}
	added := make([]int64, len(people))
	var homes []int64 // of the members: the others count nowhere until a decision
	for i := range people {
		added[i] = people[i].ID
		if isMember(people[i].Stage) {
			homes = append(homes, people[i].ResidenceID)
		}
	}
	if err := s.refreshResidences(ctx, homes); err != nil { // nothing while deferred (DeferFunnel)
		return err
	}
	return s.refreshPeopleFunnel(ctx, added) // nothing while deferred (DeferFunnel)
}

// BulkMemberships writes admission decisions with their ids, and counts
// them (admission_counts) at the places their units hold.
func (s *Store) BulkMemberships(ctx context.Context, list []domain.Membership) (err error) {
	defer wrap(&err, "store.BulkMemberships(%d)", len(list))
	cols := []string{"id", "person_id", "decision_no", "decision_date", "decided_by_id", "admitted_org_id", "ceremony_date",
		"recognition_date", "status", "end_date", "origin"}
	err = s.loadRows(ctx, "memberships", cols, len(list), func(i int) []any {
		m := &list[i]
		origin := m.Origin
		if origin == "" {
			origin = domain.OriginPaper
		}
		return []any{m.ID, m.PersonID, m.DecisionNo, dateArg(m.DecisionDate), nullInt(m.DecidedByID), m.AdmittedOrgID,
			dateArgPtr(m.CeremonyDate), dateArgPtr(m.RecognitionDate), m.Status, dateArgPtr(m.EndDate), origin}
	})
	if err != nil {
		return err
	}
	members := make([]int64, len(list))
	for i := range list {
		members[i] = list[i].PersonID
	}
	if err := s.refreshResidents(ctx, members); err != nil { // nothing while deferred (DeferFunnel)
		return err
	}
	seen := map[int64]bool{}
	var ids []int64
	for i := range list {
		if id := list[i].AdmittedOrgID; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	links, err := s.countLinks(ctx, ids)
	if err != nil {
		return err
	}
	d := countDelta{}
	for i := range list {
		m := &list[i]
		origin := m.Origin
		if origin == "" {
			origin = domain.OriginPaper
		}
		for _, l := range links[m.AdmittedOrgID] {
			d.add(l, m.DecisionDate, 1, recordedOrigin(origin))
		}
	}
	return s.writeCounts(ctx, d)
}

// BulkTargets writes targets (quotas and plans).
func (s *Store) BulkTargets(ctx context.Context, list []domain.Target) (err error) {
	defer wrap(&err, "store.BulkTargets(%d)", len(list))
	cols := []string{"org_id", "year", "kind", "value", "deadline", "breakdown"}
	return s.loadRows(ctx, "targets", cols, len(list), func(i int) []any {
		t := &list[i]
		var breakdown any
		if len(t.Breakdown) > 0 {
			b, _ := json.Marshal(t.Breakdown)
			breakdown = string(b)
		}
		return []any{t.OrgID, t.Year, t.Kind, t.Value, dateArgPtr(t.Deadline), breakdown}
	})
}

// BulkCases writes cases with their ids (version 1), and their time in
// the pipeline (refreshPipeline). Their next action and deadlines are the
// service's to compute (service.RefreshCases).
func (s *Store) BulkCases(ctx context.Context, list []domain.Case, now time.Time) (err error) {
	defer wrap(&err, "store.BulkCases(%d)", len(list))
	cols := append([]string{"id"}, strings.Fields(strings.ReplaceAll(caseWriteCols, ",", " "))...)
	cols = append(cols, "created_at", "updated_at")
	at := now.UTC()
	err = s.loadRows(ctx, "cases", cols, len(list), func(i int) []any {
		c := &list[i]
		c.Version = 1
		return append(append([]any{c.ID}, caseArgs(c)...), at, at)
	})
	if err != nil {
		return err
	}
	// a case has a time in the pipeline only from a passed chapter vote:
	// cases written before their votes get theirs with the votes
	ids := make([]int64, 0, len(list))
	for i := range list {
		ids = append(ids, list[i].ID)
	}
	return s.refreshPipeline(ctx, ids)
}

// BulkVotes writes votes and decisions of cases with their ids, and the
// cases' time in the pipeline that follows (refreshPipeline).
func (s *Store) BulkVotes(ctx context.Context, list []domain.CaseVote) (err error) {
	defer wrap(&err, "store.BulkVotes(%d)", len(list))
	cols := []string{"id", "case_id", "purpose", "level", "date", "number", "members", "excluded", "present", "yes_count",
		"no_count", "passed", "authorised", "rules_id"}
	err = s.loadRows(ctx, "case_votes", cols, len(list), func(i int) []any {
		v := &list[i]
		return []any{v.ID, v.CaseID, v.Purpose, v.Level, dateArg(v.Date), v.Number, v.Members, v.Excluded, v.Present,
			v.Yes, v.No, v.Passed, v.Authorised, v.RulesID}
	})
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(list))
	for i := range list {
		if list[i].Purpose == domain.PurposeAdmission {
			ids = append(ids, list[i].CaseID)
		}
	}
	return s.refreshPipeline(ctx, ids)
}

// BulkDocuments writes dossier documents of cases with their ids.
func (s *Store) BulkDocuments(ctx context.Context, list []domain.CaseDocument) (err error) {
	defer wrap(&err, "store.BulkDocuments(%d)", len(list))
	return s.loadRows(ctx, "case_documents", []string{"id", "case_id", "kind", "number", "date", "note"}, len(list), func(i int) []any {
		d := &list[i]
		return []any{d.ID, d.CaseID, d.Kind, d.Number, dateArg(d.Date), d.Note}
	})
}

// BulkIntroducers writes the introducers of cases with their ids.
func (s *Store) BulkIntroducers(ctx context.Context, list []domain.CaseIntroducer) (err error) {
	defer wrap(&err, "store.BulkIntroducers(%d)", len(list))
	cols := []string{"id", "case_id", "person_id", "months_together", "letter_date", "waived", "waiver_reason"}
	return s.loadRows(ctx, "case_introducers", cols, len(list), func(i int) []any {
		in := &list[i]
		return []any{in.ID, in.CaseID, in.PersonID, in.MonthsTogether, dateArgPtr(in.LetterDate), in.Waived, in.WaiverReason}
	})
}

// BulkVerifications writes verification requests of cases with their ids
// and the due dates the caller computed (as service's verificationDue does).
func (s *Store) BulkVerifications(ctx context.Context, list []domain.CaseVerification) (err error) {
	defer wrap(&err, "store.BulkVerifications(%d)", len(list))
	cols := []string{"id", "case_id", "subject", "addressee", "sent_on", "received_on", "abroad", "due", "replied_on", "result"}
	err = s.loadRows(ctx, "case_verifications", cols, len(list), func(i int) []any {
		v := &list[i]
		return []any{v.ID, v.CaseID, v.Subject, v.Addressee, dateArg(v.SentOn), dateArgPtr(v.ReceivedOn), v.Abroad,
			dateArg(v.Due), dateArgPtr(v.RepliedOn), v.Result}
	})
	if err != nil {
		return err
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].CaseID
	}
	return s.refreshFunnel(ctx, ids) // nothing while deferred (DeferFunnel)
}

// BulkSourcePool writes the days sources entered the pool (person → day).
func (s *Store) BulkSourcePool(ctx context.Context, ids []int64, since []time.Time) (err error) {
	defer wrap(&err, "store.BulkSourcePool(%d)", len(ids))
	if len(ids) != len(since) {
		return fmt.Errorf("store: bulk source pool: %d people for %d days", len(ids), len(since))
	}
	err = s.loadRows(ctx, "source_pool", []string{"person_id", "since"}, len(ids), func(i int) []any {
		return []any{ids[i], dateArg(since[i])}
	})
	if err != nil {
		return err
	}
	return s.refreshPeopleFunnel(ctx, slices.Clone(ids)) // nothing while deferred (DeferFunnel)
}
