-- Auto-assignment (PRODUCT.md §13): a profile whose new cases go to an available agent on their
-- own. Off by default. The New cases it waits to hand out are found by `cases_by_profile_status`.
ALTER TABLE profiles ADD COLUMN auto_assign BOOLEAN NOT NULL DEFAULT FALSE;
