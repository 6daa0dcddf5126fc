package store

import (
	"cmp"
	"context"
	"slices"

	"ketnap/internal/domain"
)

// The members of each residential unit counted per day (migration 00026):
// residence_members holds, for each village, buôn or residential group,
// the step function of its party members (memberOn over the people who
// live there): n from day until its next row. Every write of a person
// (CreatePerson, UpdatePerson, SetStage, BulkPeople) and of a membership
// (CreateMembership, UpdateMembership, BulkMemberships) recomputes the
// units of the people it touches in its own transaction; rebuildFunnel
// (FillFunnel, RebuildAdmissionCounts) recomputes them all. While the
// funnel's counts are deferred (DeferFunnel) nothing is kept and
// ResidenceMembers counts from the people.

// metaResidenceMembers names the meta row that says residence_members has
// been filled for the people already there.
const metaResidenceMembers = "residence_members"

// isMember reports whether the stage is a party member's (memberOn).
func isMember(stage string) bool {
	return stage == domain.StageProbationary || stage == domain.StageOfficial
}

// memberSpan is a person's time as a party member: [from, to), to =
// openTreeTo while still one.
type memberSpan struct{ from, to int }

// residentFacts are what memberOn reads of a person.
type residentFacts struct {
	member      bool // probationary or official now
	lastDecided int  // the latest decision date, 0 without one
	spans       []memberSpan
}

// memberSpans is the person's time as a member, as memberOn judges each
// day: a member now from their latest decision (always without one), and
// within every membership that ended after its decision.
func (f *residentFacts) memberSpans() []memberSpan {
	var out []memberSpan
	if f.member {
		from := firstDay
		if f.lastDecided != 0 {
			from = f.lastDecided
		}
		out = append(out, memberSpan{from, openTreeTo})
	}
	for _, s := range f.spans {
		if s.to > s.from {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b memberSpan) int { return cmp.Compare(a.from, b.from) })
	// union: a day counts the person once
	merged := out[:0]
	for _, s := range out {
		if k := len(merged) - 1; k >= 0 && s.from <= merged[k].to {
			merged[k].to = max(merged[k].to, s.to)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// residenceStep is one row of residence_members.
type residenceStep struct {
	residence int64
	day, n    int
}

// residenceSteps computes the rows of residence_members of the units the
// condition on p (with its arguments) selects.
func (s *Store) residenceSteps(ctx context.Context, where string, args []any) ([]residenceStep, error) {
	people := map[int64]*residentFacts{}
	home := map[int64]int64{}
	var pid, res int64
	var stage string
	var dec, end dateCol
	if err := s.eachRow(ctx, `SELECT p.id, p.residence_id, p.stage FROM people p WHERE `+where, args, func(r scanner) error {
		if err := r.Scan(&pid, &res, &stage); err != nil {
			return err
		}
		people[pid] = &residentFacts{member: isMember(stage)}
		home[pid] = res
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.eachRow(ctx, `SELECT m.person_id, m.decision_date, m.end_date FROM memberships m JOIN people p ON p.id = m.person_id
		WHERE `+where, args, func(r scanner) error {
		if err := r.Scan(&pid, &dec, &end); err != nil {
			return err
		}
		f := people[pid]
		if f == nil {
			return nil
		}
		d := ymdOf(dec)
		f.lastDecided = max(f.lastDecided, d)
		if end.Valid {
			f.spans = append(f.spans, memberSpan{d, ymdOf(end)})
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// the entries and exits of each unit, then its running count
	type event struct {
		residence int64
		day, n    int
	}
	var events []event
	for id, f := range people {
		for _, sp := range f.memberSpans() {
			events = append(events, event{home[id], sp.from, 1})
			if sp.to < openTreeTo {
				events = append(events, event{home[id], sp.to, -1})
			}
		}
	}
	slices.SortFunc(events, func(a, b event) int {
		return cmp.Or(cmp.Compare(a.residence, b.residence), cmp.Compare(a.day, b.day))
	})
	var out []residenceStep
	n := 0
	for i, e := range events {
		if i == 0 || e.residence != events[i-1].residence {
			n = 0
		}
		n += e.n
		if i+1 < len(events) && events[i+1].residence == e.residence && events[i+1].day == e.day {
			continue // the day's last event gives its count
		}
		if k := len(out) - 1; k >= 0 && out[k].residence == e.residence && out[k].n == n {
			continue // no change
		}
		out = append(out, residenceStep{e.residence, e.day, n})
	}
	return out, nil
}

// writeResidenceSteps inserts rows of residence_members.
func (s *Store) writeResidenceSteps(ctx context.Context, steps []residenceStep) error {
	return s.insertRows(ctx, "residence_members", []string{"residence_id", "day", "n"}, len(steps), func(i int) []any {
		return []any{steps[i].residence, steps[i].day, steps[i].n}
	})
}

// refreshResidences recomputes the members of the residential units
// (nothing while the funnel's counts are deferred).
func (s *Store) refreshResidences(ctx context.Context, ids []int64) error {
	ids = slices.DeleteFunc(ids, func(id int64) bool { return id == 0 })
	if v, err := s.GetMeta(ctx, metaFunnelCounts); err != nil || v != "1" || len(ids) == 0 {
		return err
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		in := placeholders(1, n)
		if _, err := s.q.ExecContext(ctx, `DELETE FROM residence_members WHERE residence_id IN (`+in+`)`, args...); err != nil {
			return mapErr(err)
		}
		steps, err := s.residenceSteps(ctx, `p.residence_id IN (`+in+`)`, args)
		if err != nil {
			return err
		}
		if err := s.writeResidenceSteps(ctx, steps); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// residencesOf returns the residential units the people live in.
func (s *Store) residencesOf(ctx context.Context, people []int64) ([]int64, error) {
	var out []int64
	for start := 0; start < len(people); start += 500 {
		batch := people[start:min(len(people), start+500)]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		ids, err := s.ids(ctx, `SELECT DISTINCT residence_id FROM people WHERE residence_id IS NOT NULL AND id IN (`+placeholders(1, len(batch))+`)`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	return out, nil
}

// refreshResidents recomputes the members of the units the people live
// in (and of those in before, when given).
func (s *Store) refreshResidents(ctx context.Context, people []int64, before ...int64) error {
	if v, err := s.GetMeta(ctx, metaFunnelCounts); err != nil || v != "1" || len(people) == 0 {
		return err
	}
	ids, err := s.residencesOf(ctx, people)
	if err != nil {
		return err
	}
	return s.refreshResidences(ctx, append(ids, before...))
}

// rebuildResidenceMembers recomputes residence_members from the people,
// a range of units at a time.
func (s *Store) rebuildResidenceMembers(ctx context.Context) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM residence_members`); err != nil {
		return mapErr(err)
	}
	var top int64
	if err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM residential_units`).Scan(&top); err != nil {
		return mapErr(err)
	}
	const per = 2000
	for lo := int64(0); lo <= top; lo += per {
		steps, err := s.residenceSteps(ctx, `p.residence_id >= $1 AND p.residence_id < $2`, []any{lo, lo + per})
		if err != nil {
			return err
		}
		if err := s.writeResidenceSteps(ctx, steps); err != nil {
			return err
		}
	}
	return s.SetMeta(ctx, metaResidenceMembers, "1")
}

// fillResidenceMembers fills residence_members once per database (one
// made before migration 00026).
func (s *Store) fillResidenceMembers(ctx context.Context) (err error) {
	defer wrap(&err, "store.fillResidenceMembers")
	if v, err := s.GetMeta(ctx, metaResidenceMembers); err != nil || v == "1" {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error { return tx.rebuildResidenceMembers(ctx) })
}

// residenceMembersCounted reports whether residence_members is kept.
func (s *Store) residenceMembersCounted(ctx context.Context) (bool, error) {
	for _, k := range []string{metaFunnelCounts, metaResidenceMembers} {
		if v, err := s.GetMeta(ctx, k); err != nil || v != "1" {
			return false, err
		}
	}
	return true, nil
}

// ResidenceMemberRows returns every row of residence_members, in key
// order, as text: to compare the maintained rows with a rebuild.
func (s *Store) ResidenceMemberRows(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "store.ResidenceMemberRows")
	return s.strings(ctx, `SELECT CAST(residence_id AS TEXT) || ' from ' || CAST(day AS TEXT) || ': ' || CAST(n AS TEXT)
		FROM residence_members ORDER BY residence_id, day`)
}

// residenceMembersOn is the members of the residential unit r on the day
// ($5, YYYYMMDD) read from residence_members.
const residenceMembersOn = `COALESCE((SELECT rm.n FROM residence_members rm WHERE rm.residence_id = r.id AND rm.day <= $5
	ORDER BY rm.day DESC LIMIT 1), 0)`
