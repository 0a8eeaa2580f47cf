-- Several nodes share one agent hub (docs/deploy.md, "Several nodes"): the console's sign-in keys, so a cookie issued
-- by one node is accepted by every other, and the bodies of hub messages too large for a NOTIFY payload.
CREATE TABLE data_protection_keys (
  friendly_name text NOT NULL PRIMARY KEY,
  xml text NOT NULL,
  created_utc timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hub_messages (
  id bigserial PRIMARY KEY,
  payload text NOT NULL,
  created_utc timestamptz NOT NULL DEFAULT now()
);
