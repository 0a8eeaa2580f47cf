-- The conversation store (same tables and meaning as the SQLite store) and the agent hub's tables.
CREATE TABLE conversations (
  key text NOT NULL PRIMARY KEY,
  conversation_id text NOT NULL,
  channel_id text NOT NULL,
  scenario_id text NOT NULL,
  scenario_version text NOT NULL,
  user_id text,
  state bytea NOT NULL,
  version bigint NOT NULL,
  last_seq bigint NOT NULL,
  started boolean NOT NULL,
  with_agent boolean NOT NULL,
  created_utc timestamptz NOT NULL,
  updated_utc timestamptz NOT NULL
);
CREATE INDEX conversations_by_update ON conversations (updated_utc);

CREATE TABLE activities (
  key text NOT NULL,
  seq bigint NOT NULL,
  type text NOT NULL,
  json bytea NOT NULL,
  PRIMARY KEY (key, seq)
);

CREATE TABLE turns (
  key text NOT NULL,
  turn bigint NOT NULL,
  at_utc timestamptz NOT NULL,
  scenario_id text NOT NULL,
  scenario_version text NOT NULL,
  json bytea NOT NULL,
  PRIMARY KEY (key, turn)
);
CREATE INDEX turns_by_time ON turns (at_utc);

CREATE TABLE packages (
  scenario_id text NOT NULL,
  version text NOT NULL,
  content_hash text NOT NULL,
  package bytea NOT NULL,
  PRIMARY KEY (scenario_id, version)
);

CREATE TABLE hub_agents (
  login text NOT NULL PRIMARY KEY,
  display_name text NOT NULL,
  role text NOT NULL,
  queues text NOT NULL,
  max_chats integer NOT NULL,
  disabled boolean NOT NULL,
  security_stamp text NOT NULL,
  password_hash text NOT NULL,
  failed_logins integer NOT NULL,
  locked_until timestamptz,
  created_utc timestamptz NOT NULL
);

CREATE TABLE hub_entries (
  id text NOT NULL PRIMARY KEY,
  conversation_key text NOT NULL,
  conversation_id text NOT NULL,
  channel_id text NOT NULL,
  scenario_id text NOT NULL,
  scenario_version text NOT NULL,
  user_id text,
  queue text NOT NULL,
  rule_id text NOT NULL,
  rule_location text,
  reason text NOT NULL,
  priority integer NOT NULL,
  customer_name text,
  locale text,
  context bytea NOT NULL,
  waiting_since timestamptz NOT NULL,
  status text NOT NULL,
  agent text,
  offered_utc timestamptz,
  accepted_utc timestamptz,
  ended_utc timestamptz,
  last_customer_utc timestamptz NOT NULL,
  outcome text,
  version bigint NOT NULL
);
CREATE INDEX hub_entries_open ON hub_entries (status) WHERE status IN ('Waiting', 'Offered', 'Assigned');
CREATE INDEX hub_entries_user ON hub_entries (scenario_id, user_id);

CREATE TABLE hub_notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entry_id text NOT NULL,
  author text NOT NULL,
  text text NOT NULL,
  whisper boolean NOT NULL,
  at_utc timestamptz NOT NULL
);
CREATE INDEX hub_notes_entry ON hub_notes (entry_id);

CREATE TABLE hub_tickets (
  number text NOT NULL PRIMARY KEY,
  conversation_key text NOT NULL,
  scenario_id text NOT NULL,
  kind text NOT NULL,
  contact text,
  preferred_time text,
  note text,
  queue text,
  context bytea NOT NULL,
  created_utc timestamptz NOT NULL,
  closed boolean NOT NULL,
  closed_by text,
  closed_utc timestamptz,
  resolution text
);

CREATE TABLE hub_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at_utc timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  conversation_key text,
  entry_id text,
  detail text
);
CREATE INDEX hub_audit_actor ON hub_audit (actor, id);
