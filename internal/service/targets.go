package service

import "ketnap/internal/domain"

// quotaFromAbove refuses a quota that a user sets on their own unit: the
// quota is assigned from above, a unit sets its own plan (DOMAIN §4). The
// target form and the import share it.
func quotaFromAbove(me *domain.User, o *domain.Org, kind string) error {
	if kind == domain.TargetQuota && o.ID == me.OrgID {
		return domain.Errorf(domain.EForbidden, "Chỉ tiêu của %s do cấp trên giao; đơn vị tự đặt kế hoạch của mình", o.Name)
	}
	return nil
}
