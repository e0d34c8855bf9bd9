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
// - outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, event): committed notifications, in
//   commit order (AUTOINCREMENT: a drained seq is never reused).
inline constexpr int kSchemaVersion = 1;

// Sets WAL journaling and synchronous=FULL (so COMMIT is durable), then creates the tables
// of a new file. kServiceUnavailable for a file written by a newer dtwin (user_version
// above kSchemaVersion) or one SQLite cannot read.
Status PrepareSchema(SqliteConnection& connection);

}  // namespace dtwin::storage
