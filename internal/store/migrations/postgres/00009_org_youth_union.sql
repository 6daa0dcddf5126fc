-- +goose Up
-- A unit records whether it has a Youth Union organisation (tổ chức Đoàn
-- TNCS Hồ Chí Minh): where it has one, a candidate of youth age who is a
-- Youth Union member is introduced by the Youth Union's resolution and one
-- official member (Điều lệ Đ.4 k.2; QĐ294 §3.1). Units of communes,
-- agencies and schools have one unless recorded otherwise
-- (domain.DefaultYouthUnion).
ALTER TABLE orgs ADD COLUMN youth_union BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE orgs SET youth_union = TRUE WHERE sector IN ('commune', 'agency', 'school') OR kind = 'commune';

-- +goose Down
ALTER TABLE orgs DROP COLUMN youth_union;
