"""What a team's PostgreSQL server enforces itself, whatever a client does.

Each hotline user signs in to the database with a login role of their own (`<team>_u<hex>`),
a member of one group role per hotline role (`<team>_analyst`, `<team>_supervisor`,
`<team>_admin`); `<team>` is random per workspace, so one cluster may hold several. Grants and
row-level security then hold on the server:

- an assessment is written in one's own name only, round 1 by anyone who may assess, later
  rounds by supervisors only; it is taken back by its author only;
- nobody reads another person's assessment of an item whose review is open, until they have
  given their own in that cycle (or adjudicate, as a supervisor, a disputed item): the same
  rule the Desk applies (`app.review.workflow.blind`);
- users, roles, settings and data keys are written by admins only (a user may change their
  own key and slot, a password change);
- the audit log is appended to, never changed: no role but the owner may update or delete
  its rows, and its head follows each new entry by a trigger;
- hash lists, partners, notices and providers are kept by supervisors.

The database owner (who ran `hotline init --server`) is not bound by these: PostgreSQL's
owners and superusers pass row-level security. That account is the database administrator's,
not a hotline user's.
"""

import secrets

from app.workspace.db import Database, transaction
from app.workspace.users import Role

GROUPS = tuple(role.value for role in Role)
CHANNEL = "hotline_queue"  # NOTIFY'd when items arrive or change state, or claims change
SETTLED = "('final', 'confirmed')"

# tables everyone who signs in may add rows to (intake, review, viewing)
_EVERYONE_INSERTS = ("reports", "items", "item_frames", "sightings", "matches", "blobs",
                     "blob_chunks", "exposures", "audit", "quarantines", "claims")
# tables supervisors keep (lists, partners, the workspace's list key pair, takedown)
_SUPERVISORS_KEEP = ("lists", "list_files", "partners", "keyring", "notices", "notice_urls",
                     "providers", "quarantines")
_ADMINS_KEEP = ("users", "settings", "secrets", "logins")


def new_team() -> str:
    return "hl" + secrets.token_hex(4)


def group(team: str, role: Role | str) -> str:
    return f"{team}_{Role(role).value}"


def install(db: Database, team: str) -> None:
    """Group roles, grants, policies and the audit head's trigger, on a new team schema."""
    analyst, supervisor, admin = (group(team, r) for r in Role)
    everyone = f"{analyst}, {supervisor}, {admin}"
    statements = [
        "CREATE TABLE team (id INTEGER PRIMARY KEY CHECK (id = 1), prefix TEXT NOT NULL)",
        "CREATE TABLE logins (user_id BIGINT PRIMARY KEY REFERENCES users (id), "
        "role TEXT NOT NULL UNIQUE)",
        *[f"CREATE ROLE {g} NOLOGIN" for g in (analyst, supervisor, admin)],
        # who is signed in, which groups they are in, whether they may see an item's verdicts
        f"""CREATE FUNCTION hotline_me() RETURNS BIGINT LANGUAGE sql STABLE SECURITY DEFINER
            SET search_path = {schema(db)} AS
            $$ SELECT user_id FROM logins WHERE role = session_user $$""",
        """CREATE FUNCTION hotline_in(g TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE
            AS $$ SELECT pg_has_role(session_user, g, 'MEMBER') $$""",
        f"""CREATE FUNCTION hotline_may_see(item BIGINT, cyc INTEGER) RETURNS BOOLEAN
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema(db)} AS $$
            SELECT EXISTS (SELECT 1 FROM items i WHERE i.id = item AND (
                i.state IN {SETTLED} OR cyc < i.cycle
                OR (i.state = 'disputed' AND hotline_in('{supervisor}'))))
              OR EXISTS (SELECT 1 FROM assessments a WHERE a.item_id = item
                         AND a.cycle = cyc AND a.user_id = hotline_me()) $$""",
        f"""CREATE FUNCTION hotline_may_see_item(item BIGINT) RETURNS BOOLEAN
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema(db)} AS $$
            SELECT EXISTS (SELECT 1 FROM items i WHERE i.id = item AND (
                i.state IN {SETTLED}
                OR (i.state = 'disputed' AND hotline_in('{supervisor}'))
                OR EXISTS (SELECT 1 FROM assessments a WHERE a.item_id = i.id
                           AND a.cycle = i.cycle AND a.user_id = hotline_me()))) $$""",
        # whether an entry is there, for a reader who may not see it (a gap in what they
        # see is then an entry kept from them, not one removed)
        f"""CREATE FUNCTION hotline_audit_exists(entry BIGINT) RETURNS BOOLEAN LANGUAGE sql
            STABLE SECURITY DEFINER SET search_path = {schema(db)} AS
            $$ SELECT EXISTS (SELECT 1 FROM audit WHERE seq = entry) $$""",
        # the audit log's head and index follow each new entry; nobody writes them directly
        f"""CREATE FUNCTION hotline_audit_head() RETURNS trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = {schema(db)} AS $$
            BEGIN
                INSERT INTO audit_head (id, seq, mac) VALUES (1, NEW.seq, NEW.mac)
                ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac;
                INSERT INTO audit_index (seq, mac) VALUES (NEW.seq, NEW.mac)
                ON CONFLICT (seq) DO UPDATE SET mac = excluded.mac;
                RETURN NEW;
            END $$""",
        "CREATE TRIGGER audit_head_follows AFTER INSERT ON audit FOR EACH ROW "
        "EXECUTE FUNCTION hotline_audit_head()",
        # other workstations' queues hear of new items, verdicts and claims at once
        f"""CREATE FUNCTION hotline_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$""",
        "CREATE TRIGGER items_notify AFTER INSERT OR DELETE OR UPDATE OF state ON items "
        "FOR EACH STATEMENT EXECUTE FUNCTION hotline_notify()",
        "CREATE TRIGGER claims_notify AFTER INSERT OR UPDATE OR DELETE ON claims "
        "FOR EACH STATEMENT EXECUTE FUNCTION hotline_notify()",
        f"GRANT USAGE ON SCHEMA {schema(db)} TO {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema(db)} TO {everyone}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema(db)} TO {everyone}",
        f"GRANT INSERT ON {', '.join(_EVERYONE_INSERTS)} TO {everyone}",
        f"GRANT UPDATE (state, cycle, final_verdict, final_at, confirmed_by, blob, purged_at)"
        f" ON items TO {everyone}",
        f"GRANT DELETE ON blobs, blob_chunks TO {everyone}",
        f"GRANT UPDATE, DELETE ON claims TO {everyone}",
        f"GRANT INSERT, UPDATE ON key_file TO {everyone}",  # one's own password change
        f"GRANT UPDATE (public_key, slot, password_changed) ON users TO {everyone}",
        f"GRANT INSERT, DELETE ON assessments TO {analyst}, {supervisor}",
        f"GRANT INSERT, UPDATE, DELETE ON {', '.join(_SUPERVISORS_KEEP)} TO {supervisor}",
        f"GRANT INSERT, UPDATE, DELETE ON {', '.join(_ADMINS_KEEP)} TO {admin}",
        f"GRANT UPDATE ON users TO {admin}",
        # rows: assessments
        "ALTER TABLE assessments ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY assessments_read ON assessments FOR SELECT USING "
        "(user_id = hotline_me() OR hotline_may_see(item_id, cycle))",
        "CREATE POLICY assessments_write ON assessments FOR INSERT WITH CHECK "
        f"(user_id = hotline_me() AND (round = 1 OR hotline_in('{supervisor}')))",
        "CREATE POLICY assessments_undo ON assessments FOR DELETE USING "
        "(user_id = hotline_me())",
        # rows: the audit log (an entry that carries someone's verdict on an open item is
        # blind like the verdict; admins, who assess nothing, verify the whole log)
        "ALTER TABLE audit ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY audit_read ON audit FOR SELECT USING (item_id IS NULL OR "
        f"actor_id = hotline_me() OR hotline_in('{admin}') OR hotline_may_see_item(item_id))",
        "CREATE POLICY audit_append ON audit FOR INSERT WITH CHECK (actor_id = hotline_me())",
        # rows: claims (one's own; a claim that ran out is anyone's to take)
        "ALTER TABLE claims ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY claims_read ON claims FOR SELECT USING (true)",
        "CREATE POLICY claims_take ON claims FOR INSERT WITH CHECK (user_id = hotline_me())",
        "CREATE POLICY claims_renew ON claims FOR UPDATE USING (true) "
        "WITH CHECK (user_id = hotline_me())",
        "CREATE POLICY claims_give_back ON claims FOR DELETE USING (user_id = hotline_me())",
        # rows: users (one's own key and slot; admins any)
        "ALTER TABLE users ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY users_read ON users FOR SELECT USING (true)",
        "CREATE POLICY users_own_key ON users FOR UPDATE USING "
        f"(id = hotline_me() OR hotline_in('{admin}'))",
        f"CREATE POLICY users_added ON users FOR INSERT WITH CHECK (hotline_in('{admin}'))",
    ]
    with transaction(db):
        for sql in statements:
            db.execute(sql)
        db.execute("INSERT INTO team (id, prefix) VALUES (1, ?)", [team])


def schema(db: Database) -> str:
    return str(db.execute("SELECT current_schema()").fetchone()[0])


def team_of(db: Database) -> str:
    return str(db.execute("SELECT prefix FROM team WHERE id = 1").fetchone()[0])
