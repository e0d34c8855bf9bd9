// The on-disk layout of dtwin.db (tables and schema version) and the connection settings
// every store connection uses. Stateless functions; call them on the connection's thread.
#pragma once

#include "common/status.h"
#include "storage/sqlite_connection.h"

namespace dtwin::storage {

// PRAGMA user_version of the layout below. Bump it (and migrate older files in
// PrepareSchema) whenever the layout changes. Values are JSON texts.
// - models(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, value): seq keeps first-written order
//   (an explicit column, so VACUUM cannot renumber it).
// - twins(id TEXT PRIMARY KEY, value), routes(id TEXT PRIMARY KEY, value).
// - relationships(source_id, relationship_id, value), keyed by both ids.
// - outbox(seq INTEGER PRIMARY KEY, endpoint, value): committed notifications waiting for
//   delivery, one row per event; seq is the service's sequence number (commit order), endpoint
//   the names of the endpoints still waiting for it, separated by commas.
// - dead_letters(seq INTEGER PRIMARY KEY, endpoint, value): notifications given up on, one row
//   per event and endpoint.
// Version 1 had outbox(seq, event) and no dead_letters; nothing ever wrote to that outbox,
// so the migration replaces it. Version 2 had a row per event and endpoint, which version 3
// reads as is (a list of one); the bump keeps older dtwins from misreading lists.
inline constexpr int kSchemaVersion = 3;

// Sets WAL journaling and synchronous=FULL (so COMMIT is durable), then creates the tables
// of a new file. kServiceUnavailable for a file written by a newer dtwin (user_version
// above kSchemaVersion) or one SQLite cannot read.
Status PrepareSchema(SqliteConnection& connection);

}  // namespace dtwin::storage
