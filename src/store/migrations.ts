import type { Migration } from './migrate';

/** The proxy's schema, in order. Never edit a released migration: add the next one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'sealed secrets',
    sql: `
      -- Secrets the proxy holds (consumer secrets, keys), sealed with the key file's key.
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        sealed TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    id: 2,
    name: 'linking: organisations, token sets, devices, pairings, certificates, admin',
    sql: `
      -- One set of credentials at Xero. OAuth 1.0a: one per organisation; OAuth 2.0 grants may
      -- cover several organisations, hence the separate table. \`version\` is the compare-and-swap
      -- counter every renewal must match; the lease columns guard a renewal across processes.
      CREATE TABLE token_sets (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('oauth1')),
        sealed TEXT NOT NULL,
        expires_at TEXT,
        authorization_expires_at TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        lease_owner TEXT,
        lease_until TEXT,
        renewal_started_at TEXT,
        renewed_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        xero_organisation_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        short_code TEXT,
        country_code TEXT,
        base_currency TEXT,
        app_type TEXT NOT NULL CHECK (app_type IN ('private', 'public', 'partner')),
        token_set_id TEXT REFERENCES token_sets(id),
        link_state TEXT NOT NULL CHECK (link_state IN ('linked', 'needs_relink', 'disconnected')),
        relink_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- A till, practice or payroll app instance, known by its own id; its API key is stored
      -- only as a SHA-256 hash and found by its public prefix.
      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        organisation_id TEXT REFERENCES organisations(id),
        key_prefix TEXT UNIQUE,
        key_hash TEXT,
        can_write_passthrough INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_seen_at TEXT
      ) STRICT;

      -- A device asking to be linked (RFC 8628 style). The polling secret is stored hashed; the
      -- API key made at approval waits here sealed until the device collects it, once.
      CREATE TABLE pairings (
        id TEXT PRIMARY KEY,
        poll_hash TEXT NOT NULL UNIQUE,
        user_code TEXT NOT NULL UNIQUE,
        device_id TEXT NOT NULL,
        name TEXT NOT NULL,
        source_address TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'expired', 'collected')),
        organisation_id TEXT REFERENCES organisations(id),
        sealed_key TEXT,
        interval_seconds INTEGER NOT NULL,
        last_polled_at TEXT,
        decided_reason TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        decided_at TEXT
      ) STRICT;
      CREATE INDEX pairings_by_source ON pairings(source_address, created_at);

      -- An authorisation at Xero in progress (RequestToken issued, waiting for the callback).
      CREATE TABLE link_requests (
        id TEXT PRIMARY KEY,
        request_token TEXT NOT NULL UNIQUE,
        sealed_secret TEXT NOT NULL,
        pairing_id TEXT REFERENCES pairings(id),
        device_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'completed', 'denied', 'failed', 'expired')),
        organisation_id TEXT REFERENCES organisations(id),
        error TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        completed_at TEXT
      ) STRICT;

      -- RSA key pairs that sign for private and partner apps; at most one active and one pending.
      CREATE TABLE certificates (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('active', 'pending', 'retired')),
        subject TEXT NOT NULL,
        fingerprint_sha1 TEXT NOT NULL,
        fingerprint_sha256 TEXT NOT NULL UNIQUE,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        certificate_pem TEXT NOT NULL,
        sealed_private_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        activated_at TEXT,
        retired_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX one_active_certificate ON certificates(state) WHERE state = 'active';
      CREATE UNIQUE INDEX one_pending_certificate ON certificates(state) WHERE state = 'pending';

      CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Administrator sessions, keyed by the SHA-256 of the cookie value.
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    id: 3,
    name: 'delivery: submissions, jobs, mappings, reference cache',
    sql: `
      -- One accepted API request, with the answer it got, so a retried request with the same
      -- Idempotency-Key gets the same answer and creates nothing.
      CREATE TABLE submissions (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices(id),
        idempotency_key TEXT,
        request_hash TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (device_id, idempotency_key)
      ) STRICT;

      -- One document to deliver to Xero. \`document_key\` is the stable key written into a field
      -- Xero stores (the Reference), so an unknown outcome is settled by looking it up.
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        submission_id TEXT NOT NULL REFERENCES submissions(id),
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        device_id TEXT NOT NULL REFERENCES devices(id),
        kind TEXT NOT NULL CHECK (kind IN ('invoice', 'payment', 'timesheet')),
        document_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        depends_on TEXT REFERENCES jobs(id),
        status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'delivered', 'failed', 'held', 'dead', 'cancelled')),
        held_reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT NOT NULL,
        lease_until TEXT,
        outcome_unknown INTEGER NOT NULL DEFAULT 0,
        xero_id TEXT,
        xero_number TEXT,
        result TEXT,
        errors TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        delivered_at TEXT,
        UNIQUE (organisation_id, kind, document_key)
      ) STRICT;
      CREATE INDEX jobs_ready ON jobs(status, organisation_id, not_before);
      CREATE INDEX jobs_by_device ON jobs(device_id, created_at);
      CREATE INDEX jobs_by_submission ON jobs(submission_id);

      CREATE TABLE mappings (
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        kind TEXT NOT NULL CHECK (kind IN ('category', 'tender', 'staff', 'earnings', 'setting')),
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (organisation_id, kind, source)
      ) STRICT;

      CREATE TABLE reference_cache (
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (organisation_id, kind)
      ) STRICT;
    `,
  },
  {
    id: 4,
    name: 'OAuth 2.0: grants shared by organisations, tenants, app types',
    rebuildsTables: true,
    sql: `
      -- token_sets and organisations are rebuilt to widen their CHECKs (SQLite's only way); every
      -- row and every reference to them is kept.
      -- An OAuth 2.0 token set is one grant: the sealed refresh and access tokens (and the refresh
      -- token it replaced, usable until \`grace_until\` if Xero's answer was lost), shared by every
      -- organisation (tenant) the grant covers.
      CREATE TABLE token_sets_new (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('oauth1', 'oauth2')),
        sealed TEXT NOT NULL,
        expires_at TEXT,
        authorization_expires_at TEXT,
        grace_until TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        lease_owner TEXT,
        lease_until TEXT,
        renewal_started_at TEXT,
        renewed_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO token_sets_new (id, kind, sealed, expires_at, authorization_expires_at, version, lease_owner, lease_until, renewal_started_at, renewed_at, last_error, created_at, updated_at)
        SELECT id, kind, sealed, expires_at, authorization_expires_at, version, lease_owner, lease_until, renewal_started_at, renewed_at, last_error, created_at, updated_at FROM token_sets;
      DROP TABLE token_sets;
      ALTER TABLE token_sets_new RENAME TO token_sets;

      -- OAuth 2.0 organisations carry the tenant id every call sends (xero-tenant-id) and the id of
      -- their connection, which disconnecting deletes at Xero.
      CREATE TABLE organisations_new (
        id TEXT PRIMARY KEY,
        xero_organisation_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        short_code TEXT,
        country_code TEXT,
        base_currency TEXT,
        app_type TEXT NOT NULL CHECK (app_type IN ('private', 'public', 'partner', 'oauth2', 'oauth2_pkce', 'custom_connection')),
        token_set_id TEXT REFERENCES token_sets(id),
        tenant_id TEXT,
        connection_id TEXT,
        link_state TEXT NOT NULL CHECK (link_state IN ('linked', 'needs_relink', 'disconnected')),
        relink_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO organisations_new (id, xero_organisation_id, name, short_code, country_code, base_currency, app_type, token_set_id, link_state, relink_reason, created_at, updated_at)
        SELECT id, xero_organisation_id, name, short_code, country_code, base_currency, app_type, token_set_id, link_state, relink_reason, created_at, updated_at FROM organisations;
      DROP TABLE organisations;
      ALTER TABLE organisations_new RENAME TO organisations;
      CREATE INDEX organisations_by_token_set ON organisations(token_set_id);

      -- An OAuth 2.0 authorisation: request_token holds the state, sealed_secret the PKCE verifier.
      -- Once the code is exchanged the grant is known (token_set_id); with a device waiting, the
      -- person then picks its organisation on a page that proves itself with choice_hash.
      ALTER TABLE link_requests ADD COLUMN token_set_id TEXT REFERENCES token_sets(id);
      ALTER TABLE link_requests ADD COLUMN choice_hash TEXT;
    `,
  },
  {
    id: 5,
    name: 'device rights',
    rebuildsTables: true,
    sql: `
      -- What each device may do beyond sending documents: a set of rights, written space-separated
      -- and sorted so each set has one spelling (the CHECK lists every set of the four rights); a
      -- row written without them gets the least, reference. can_write_passthrough becomes the
      -- right "write": devices is rebuilt to drop it, keeping every row and every reference to it
      -- (submissions, jobs).
      CREATE TABLE devices_new (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        organisation_id TEXT REFERENCES organisations(id),
        key_prefix TEXT UNIQUE,
        key_hash TEXT,
        rights TEXT NOT NULL DEFAULT 'reference' CHECK (rights IN (
          '', 'accounting.read', 'payroll.read', 'reference', 'write',
          'accounting.read payroll.read', 'accounting.read reference', 'accounting.read write',
          'payroll.read reference', 'payroll.read write', 'reference write',
          'accounting.read payroll.read reference', 'accounting.read payroll.read write',
          'accounting.read reference write', 'payroll.read reference write',
          'accounting.read payroll.read reference write'
        )),
        status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_seen_at TEXT
      ) STRICT;
      -- Devices linked before rights existed could read everything; they keep exactly that, so an
      -- upgrade does not stop a working till.
      INSERT INTO devices_new (id, device_id, name, organisation_id, key_prefix, key_hash, rights, status, created_at, updated_at, last_seen_at)
        SELECT id, device_id, name, organisation_id, key_prefix, key_hash,
          CASE WHEN can_write_passthrough = 1 THEN 'accounting.read payroll.read reference write' ELSE 'accounting.read payroll.read reference' END,
          status, created_at, updated_at, last_seen_at
        FROM devices;
      DROP TABLE devices;
      ALTER TABLE devices_new RENAME TO devices;
    `,
  },
  {
    id: 6,
    name: 'sign-in attempts',
    sql: `
      -- Sign-in attempts counted in a sliding window, one row per attempt and key: the address it
      -- came from ('address:192.168.1.20') and the account it was for ('account:admin'). Kept here
      -- so a restart does not forget them; rows older than the window are deleted as it moves.
      CREATE TABLE login_attempts (
        key TEXT NOT NULL,
        attempted_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX login_attempts_by_key ON login_attempts(key, attempted_at);
      CREATE INDEX login_attempts_by_time ON login_attempts(attempted_at);
    `,
  },
  {
    id: 7,
    name: 'console: causes, document ids, attempts',
    sql: `
      -- Why a job waits for a person or ended without reaching Xero, as a stable cause code
      -- (src/domain/attention/causes.ts) and its particulars as JSON (the account code, the
      -- missing mapping names), so the console can group, count and explain without re-reading
      -- Xero's messages. NULL while nothing is wrong.
      ALTER TABLE jobs ADD COLUMN cause TEXT;
      ALTER TABLE jobs ADD COLUMN cause_detail TEXT;
      -- The app's own id for the document (DocumentId, shiftId) and a hash of what it sent, so a
      -- document sent again with other content is told apart from a plain resend.
      ALTER TABLE jobs ADD COLUMN document_id TEXT;
      ALTER TABLE jobs ADD COLUMN content_hash TEXT;
      ALTER TABLE jobs ADD COLUMN cancel_reason TEXT;
      CREATE INDEX jobs_by_cause ON jobs(cause, organisation_id) WHERE cause IS NOT NULL;
      CREATE INDEX jobs_by_document_id ON jobs(document_id) WHERE document_id IS NOT NULL;
      CREATE INDEX jobs_by_created ON jobs(created_at);
      CREATE INDEX jobs_by_organisation ON jobs(organisation_id, status, created_at);

      -- Every exchange with Xero about a job, for the document's history on the console.
      CREATE TABLE job_attempts (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs(id),
        attempted_at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'refused', 'retry', 'unknown', 'found', 'held', 'dead', 'cancelled', 'retried')),
        http_status INTEGER,
        messages TEXT,
        note TEXT
      ) STRICT;
      CREATE INDEX job_attempts_by_job ON job_attempts(job_id, id);

      -- Xero's calls per organisation per UTC day, and the day budget Xero last reported
      -- (X-DayLimit-Remaining), for the overview.
      CREATE TABLE organisation_usage (
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        day TEXT NOT NULL,
        calls INTEGER NOT NULL DEFAULT 0,
        day_limit_remaining INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (organisation_id, day)
      ) STRICT;

      -- Where a device last called from, and what Xero says about an organisation's plan.
      ALTER TABLE devices ADD COLUMN last_seen_address TEXT;
      ALTER TABLE organisations ADD COLUMN plan_class TEXT;
      ALTER TABLE organisations ADD COLUMN edition TEXT;

      -- One row per alert cause per organisation ('' for the whole proxy): when it was last sent
      -- and whether it has cleared, so a cause alerts once per repeat window and its recovery once.
      CREATE TABLE alerts (
        organisation_id TEXT NOT NULL,
        cause TEXT NOT NULL,
        summary TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        last_sent_at TEXT,
        cleared_at TEXT,
        PRIMARY KEY (organisation_id, cause)
      ) STRICT;
    `,
  },
  {
    id: 9,
    name: 'overview: Xero calls per hour, delivery times',
    sql: `
      -- Xero's calls per organisation per UTC hour ('2026-11-28T14'), beside the day's count in
      -- organisation_usage, for the overview's chart of calls against the limits.
      CREATE TABLE organisation_usage_hours (
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        hour TEXT NOT NULL,
        calls INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (hour, organisation_id)
      ) STRICT, WITHOUT ROWID;
      -- The overview counts deliveries per hour and day, and each organisation's last delivery.
      CREATE INDEX jobs_by_delivered ON jobs(delivered_at) WHERE delivered_at IS NOT NULL;
      CREATE INDEX jobs_by_organisation_delivered ON jobs(organisation_id, delivered_at) WHERE delivered_at IS NOT NULL;
      -- Failures per hour and day: jobs that ended failed or dead, by when they did.
      CREATE INDEX jobs_by_status_updated ON jobs(status, updated_at);
    `,
  },
  {
    id: 10,
    name: 'documents: what the app sent',
    sql: `
      -- The request body exactly as the app sent it (JSON or XML text) and its Content-Type, so
      -- the console can show what the app sent beside what went to Xero. It holds document
      -- content only: the device's key travels in a header and is never part of it.
      ALTER TABLE submissions ADD COLUMN request_body TEXT;
      ALTER TABLE submissions ADD COLUMN request_content_type TEXT;
    `,
  },
  {
    id: 12,
    name: 'documents waiting for mappings',
    sql: `
      -- What the app sent, for a document that waits for a mapping (cause mapping_missing): its
      -- Xero payload cannot be built without the mapping, so it is built from this when the
      -- mapping is saved. JSON: {"endpoint", "document", "part"}; kept after release, so the
      -- console can show what the app sent.
      ALTER TABLE jobs ADD COLUMN source TEXT;
    `,
  },
  {
    id: 13,
    name: 'console: causes for older refusals, indexes for the documents list and device look-ups',
    sql: `
      -- Jobs refused or given up on before causes were recorded: they need a person as much as
      -- any, and the attention page groups them under "unknown" with Xero's words.
      UPDATE jobs SET cause = 'unknown' WHERE cause IS NULL AND status IN ('failed', 'dead');
      -- The documents list filtered by status, newest first; a device asking for its documents by id.
      CREATE INDEX jobs_by_status_created ON jobs(status, created_at);
      CREATE INDEX jobs_by_device_document ON jobs(device_id, document_id) WHERE document_id IS NOT NULL;
    `,
  },
  {
    id: 14,
    name: 'named administrators, two-step sign-in, audit log',
    sql: `
      -- Each administrator signs in by name with an scrypt password and, once enrolled, a TOTP
      -- code (RFC 6238). The TOTP secret is sealed with the master key (bound to the row); the
      -- last time step a code was accepted for is kept, so a code cannot be used twice. A secret
      -- offered on the enrolment page waits in enrolment_sealed until a code from it is typed.
      CREATE TABLE administrators (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        totp_sealed TEXT,
        totp_last_step INTEGER,
        totp_enrolled_at TEXT,
        enrolment_sealed TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_sign_in_at TEXT
      ) STRICT;
      -- The one shared password of earlier versions becomes the administrator named "admin", so
      -- it keeps working; it is no longer a setting.
      INSERT INTO administrators (id, name, password_hash, created_at, updated_at)
        SELECT 'adm_' || lower(hex(randomblob(10))), 'admin', value, updated_at, updated_at FROM settings WHERE name = 'admin.password_hash';
      DELETE FROM settings WHERE name = 'admin.password_hash';

      -- Ten single-use recovery codes per enrolled administrator, stored as SHA-256 hashes (the
      -- codes carry 80 random bits, so a fast hash is enough).
      CREATE TABLE recovery_codes (
        administrator_id TEXT NOT NULL REFERENCES administrators(id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        used_at TEXT,
        PRIMARY KEY (administrator_id, code_hash)
      ) STRICT;

      -- Sessions now belong to an administrator and pass through stages: "code" (the password
      -- was right, a code is due), "enrol" (two-step sign-in is required and must be set up
      -- first), "signed_in". Sessions of the shared password end with this upgrade.
      DROP TABLE sessions;
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        administrator_id TEXT NOT NULL REFERENCES administrators(id) ON DELETE CASCADE,
        stage TEXT NOT NULL CHECK (stage IN ('code', 'enrol', 'signed_in')),
        csrf_token TEXT NOT NULL,
        address TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_administrator ON sessions(administrator_id);

      -- Who started a link at Xero (an administrator on the pages, or the CLI) and from where, as
      -- JSON: the callback that completes it has no session, and the audit log names them.
      ALTER TABLE link_requests ADD COLUMN started_by TEXT;

      -- Every change made from the pages or the CLI: who, when, from where, what changed (never a
      -- secret). Append-only: no code path updates or deletes a row, and these triggers refuse it.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        source TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        changes TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_by_at ON audit_log(at, id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  },
  {
    id: 15,
    name: 'https: the local CA and the server certificate',
    sql: `
      -- With server.tls = "auto": the proxy's own CA and the server certificate it issued, each
      -- with its private key sealed (associated data tls_certificates:<role>). The server
      -- certificate is replaced in place when it is renewed; the CA only by \`tls renew --new-ca\`.
      -- permitted: the CA's name constraints as JSON ({"dnsNames","excludedDnsNames","ipRanges"}).
      CREATE TABLE tls_certificates (
        role TEXT PRIMARY KEY CHECK (role IN ('ca', 'server')),
        certificate_pem TEXT NOT NULL,
        sealed_private_key TEXT NOT NULL,
        spki_sha256 TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        permitted TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    id: 16,
    name: 'key rotation, retention of delivered content',
    sql: `
      -- Which key of the key file seals new secrets, once \`xero-proxy key rotate\` has run (before
      -- that, the key file's last key does), and the keys a rotation retired: nothing sealed with
      -- them is left in the database. Read inside each transaction that seals, so a process that
      -- has not yet seen a rotation still seals with the new key (it re-reads the key file).
      CREATE TABLE key_states (
        key_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('active', 'retired')),
        changed_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX one_active_key ON key_states(state) WHERE state = 'active';

      -- When a delivered document's content (its payload, what the app sent, Xero's answer) was
      -- erased after storage.retention_days; its key, Xero's id and number, its content hash and
      -- its times stay, so a replay is still recognised and the console still shows what happened.
      ALTER TABLE jobs ADD COLUMN content_erased_at TEXT;
      ALTER TABLE submissions ADD COLUMN content_erased_at TEXT;
      CREATE INDEX jobs_content_to_erase ON jobs(delivered_at) WHERE status = 'delivered' AND content_erased_at IS NULL;
    `,
  },
  {
    id: 17,
    name: 'credit notes, allocations and attachments as jobs; third-party payers as mappings',
    rebuildsTables: true,
    sql: `
      -- SQLite changes a CHECK only by rebuilding the table: jobs gains the kinds credit_note,
      -- allocation and attachment, mappings the kind payer (a third-party payer such as Medicare
      -- or a health fund, mapped to its clearing account). Every column, row and index is kept.
      CREATE TABLE jobs_new (
        id TEXT PRIMARY KEY,
        submission_id TEXT NOT NULL REFERENCES submissions(id),
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        device_id TEXT NOT NULL REFERENCES devices(id),
        kind TEXT NOT NULL CHECK (kind IN ('invoice', 'payment', 'timesheet', 'credit_note', 'allocation', 'attachment')),
        document_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        depends_on TEXT REFERENCES jobs(id),
        status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'delivered', 'failed', 'held', 'dead', 'cancelled')),
        held_reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT NOT NULL,
        lease_until TEXT,
        outcome_unknown INTEGER NOT NULL DEFAULT 0,
        xero_id TEXT,
        xero_number TEXT,
        result TEXT,
        errors TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        delivered_at TEXT,
        cause TEXT,
        cause_detail TEXT,
        document_id TEXT,
        content_hash TEXT,
        cancel_reason TEXT,
        source TEXT,
        content_erased_at TEXT,
        UNIQUE (organisation_id, kind, document_key)
      ) STRICT;
      INSERT INTO jobs_new (id, submission_id, organisation_id, device_id, kind, document_key, payload, depends_on, status, held_reason, attempts, not_before, lease_until, outcome_unknown, xero_id, xero_number, result, errors, last_error, created_at, updated_at, delivered_at, cause, cause_detail, document_id, content_hash, cancel_reason, source, content_erased_at)
        SELECT id, submission_id, organisation_id, device_id, kind, document_key, payload, depends_on, status, held_reason, attempts, not_before, lease_until, outcome_unknown, xero_id, xero_number, result, errors, last_error, created_at, updated_at, delivered_at, cause, cause_detail, document_id, content_hash, cancel_reason, source, content_erased_at FROM jobs;
      DROP TABLE jobs;
      ALTER TABLE jobs_new RENAME TO jobs;
      CREATE INDEX jobs_ready ON jobs(status, organisation_id, not_before);
      CREATE INDEX jobs_by_device ON jobs(device_id, created_at);
      CREATE INDEX jobs_by_submission ON jobs(submission_id);
      CREATE INDEX jobs_by_cause ON jobs(cause, organisation_id) WHERE cause IS NOT NULL;
      CREATE INDEX jobs_by_document_id ON jobs(document_id) WHERE document_id IS NOT NULL;
      CREATE INDEX jobs_by_created ON jobs(created_at);
      CREATE INDEX jobs_by_organisation ON jobs(organisation_id, status, created_at);
      CREATE INDEX jobs_by_delivered ON jobs(delivered_at) WHERE delivered_at IS NOT NULL;
      CREATE INDEX jobs_by_organisation_delivered ON jobs(organisation_id, delivered_at) WHERE delivered_at IS NOT NULL;
      CREATE INDEX jobs_by_status_updated ON jobs(status, updated_at);
      CREATE INDEX jobs_by_status_created ON jobs(status, created_at);
      CREATE INDEX jobs_by_device_document ON jobs(device_id, document_id) WHERE document_id IS NOT NULL;
      CREATE INDEX jobs_content_to_erase ON jobs(delivered_at) WHERE status = 'delivered' AND content_erased_at IS NULL;

      CREATE TABLE mappings_new (
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        kind TEXT NOT NULL CHECK (kind IN ('category', 'tender', 'staff', 'earnings', 'setting', 'payer')),
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (organisation_id, kind, source)
      ) STRICT;
      INSERT INTO mappings_new (organisation_id, kind, source, target, updated_at)
        SELECT organisation_id, kind, source, target, updated_at FROM mappings;
      DROP TABLE mappings;
      ALTER TABLE mappings_new RENAME TO mappings;
    `,
  },
  {
    id: 18,
    name: 'payroll api per organisation',
    sql: `
      -- Which Xero payroll API an Australian organisation's timesheets go to: Payroll AU 1.0
      -- (the default, no row) or Payroll 2.0 once Xero moved its payroll there. British and
      -- New Zealand payrolls are always on 2.0, which their country says.
      CREATE TABLE organisation_payroll (
        organisation_id TEXT PRIMARY KEY REFERENCES organisations(id),
        payroll_api TEXT NOT NULL CHECK (payroll_api IN ('1.0', '2.0')),
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    id: 20,
    name: 'attachments',
    sql: `
      -- A file (a PDF or an image) for a document at Xero, one row per attachment job. target is
      -- 'job:<id>' for a document this proxy sends (the job waits for it), or '<Endpoint>/<id>'
      -- for a document already at Xero. The bytes are sealed (associated data
      -- attachments:<job_id>) as every secret is, since a practice attaches patient documents,
      -- and erased with the job's other content under storage.retention_days; the name, type,
      -- size and hash stay, as a delivered invoice keeps its number.
      CREATE TABLE attachments (
        job_id TEXT PRIMARY KEY REFERENCES jobs(id),
        target TEXT NOT NULL,
        file_name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        byte_length INTEGER NOT NULL CHECK (byte_length > 0),
        sha256 TEXT NOT NULL,
        include_online INTEGER NOT NULL DEFAULT 0 CHECK (include_online IN (0, 1)),
        sealed_content TEXT,
        created_at TEXT NOT NULL,
        content_erased_at TEXT
      ) STRICT;
      CREATE INDEX attachments_by_target ON attachments(target);
    `,
  },
  {
    id: 21,
    name: "organisation rules: lock dates, found contacts, mappings' targets checked",
    sql: `
      -- Xero's lock dates (YYYY-MM-DD; null: none) as last read, and when the organisation's
      -- facts (plan, edition, lock dates) were last read from Xero.
      ALTER TABLE organisations ADD COLUMN period_lock_date TEXT;
      ALTER TABLE organisations ADD COLUMN end_of_year_lock_date TEXT;
      ALTER TABLE organisations ADD COLUMN facts_read_at TEXT;

      -- Contacts found at Xero for documents' contacts, by ContactNumber, e-mail or name (trimmed,
      -- lower case). A null contact_id remembers briefly that Xero has none, so a batch of
      -- invoices to one new contact asks once.
      CREATE TABLE contact_cache (
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        key_kind TEXT NOT NULL CHECK (key_kind IN ('number', 'email', 'name')),
        key_value TEXT NOT NULL,
        contact_id TEXT,
        contact_name TEXT,
        found_at TEXT NOT NULL,
        PRIMARY KEY (organisation_id, key_kind, key_value)
      ) STRICT;
      CREATE INDEX contact_cache_by_contact ON contact_cache(organisation_id, contact_id);

      -- What the daily check of mappings found: a mapping whose account, tax rate, employee or
      -- earnings rate is archived or gone in Xero. Replaced whole by each check.
      CREATE TABLE mapping_problems (
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('account', 'tax rate', 'employee', 'earnings rate')),
        target TEXT NOT NULL,
        problem TEXT NOT NULL CHECK (problem IN ('archived', 'missing')),
        target_name TEXT,
        found_at TEXT NOT NULL,
        PRIMARY KEY (organisation_id, kind, source, target_kind)
      ) STRICT;
    `,
  },
  {
    id: 22,
    name: 'daily reconciliation: a run per organisation and day, and its findings',
    sql: `
      -- One run per organisation and UTC day of delivery: what the proxy delivered that day
      -- compared with what Xero holds. Running a day again replaces its run and findings.
      -- state: clean (nothing found), found (findings below), failed (Xero could not be read;
      -- error says why). calls: the Xero calls the run made (counted in organisation_usage too).
      -- Its findings are alerted until a person marks them dealt with, for a week at most.
      CREATE TABLE reconciliation_runs (
        id TEXT PRIMARY KEY,
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        day TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('clean', 'found', 'failed')),
        checked INTEGER NOT NULL,
        calls INTEGER NOT NULL,
        error TEXT,
        trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'console', 'cli')),
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        -- A person said its findings are dealt with (the console's button): its alert stops.
        reviewed_at TEXT,
        reviewed_by TEXT,
        UNIQUE (organisation_id, day)
      ) STRICT;
      CREATE INDEX reconciliation_runs_by_day ON reconciliation_runs(day);

      -- What a run found about one delivered document. finding: missing (not in Xero),
      -- voided, deleted (after delivery), total_changed. expected: what the proxy sent (its
      -- total or amount); actual: what Xero holds now.
      CREATE TABLE reconciliation_findings (
        run_id TEXT NOT NULL REFERENCES reconciliation_runs(id) ON DELETE CASCADE,
        job_id TEXT NOT NULL REFERENCES jobs(id),
        kind TEXT NOT NULL,
        finding TEXT NOT NULL CHECK (finding IN ('missing', 'voided', 'deleted', 'total_changed')),
        xero_id TEXT,
        xero_number TEXT,
        expected REAL,
        actual REAL,
        xero_updated_at TEXT,
        PRIMARY KEY (run_id, job_id)
      ) STRICT;
    `,
  },
  {
    id: 23,
    name: 'indexes for a thousand organisations',
    sql: `
      -- The delivery loop's claim reads one organisation's queued (or sending) jobs of a kind in
      -- the order they came; without it, every job the organisation ever sent (a growing history).
      CREATE INDEX jobs_due_by_kind ON jobs(organisation_id, kind, status, created_at);
      -- The documents list of one organisation, newest first, a page at a time, without sorting
      -- all of its documents first.
      CREATE INDEX jobs_by_organisation_created ON jobs(organisation_id, created_at);
      -- Changing or removing an organisation checks these tables' references to it.
      CREATE INDEX devices_by_organisation ON devices(organisation_id);
      CREATE INDEX pairings_by_organisation ON pairings(organisation_id);
      CREATE INDEX link_requests_by_organisation ON link_requests(organisation_id);
      CREATE INDEX organisation_usage_hours_by_organisation ON organisation_usage_hours(organisation_id);
      -- The devices page's pairings waiting for a person, and the sign-in's sweep of old sessions.
      CREATE INDEX pairings_by_state ON pairings(state, expires_at);
      CREATE INDEX sessions_by_expiry ON sessions(expires_at);
      -- The overview's calls per organisation over the last days.
      CREATE INDEX organisation_usage_by_day ON organisation_usage(day, organisation_id);
    `,
  },
  {
    id: 25,
    name: 'the delivery loop finds jobs to look up without reading delivered history',
    sql: `
      -- (Which kinds an organisation has ready is one seek per kind and status in
      -- jobs_due_by_kind, migration 23.)
      -- Jobs to look up before anything is sent: few at any time (a send whose answer was lost,
      -- a claim whose lease ran out), so this index stays small.
      CREATE INDEX jobs_to_look_up ON jobs(organisation_id, kind, created_at) WHERE outcome_unknown = 1 OR status = 'sending';
    `,
  },
];
