-- 005: the platform-admin role (reference-app/API.md "Roles"): the operators of the
-- whole platform, who may see the cross-business overview and the SQL text in
-- /api/performance. Such an account still belongs to one business (its home
-- tenant); the role gives no access to other businesses' data.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('owner', 'admin', 'viewer', 'platform_admin'));
