#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite_schema.h"
#include "storage/store.h"

namespace dtwin::storage {
namespace {

namespace fs = std::filesystem;
using Kind = Mutation::Kind;

// A fresh directory path under the system temp dir (not created), removed afterwards.
class TempDataDir {
 public:
  TempDataDir() {
    static std::atomic<int> counter{0};
    const testing::TestInfo* test = testing::UnitTest::GetInstance()->current_test_info();
    path_ =
        (fs::temp_directory_path() / ("dtwin_storage_" + std::string(test->name()) + "_" +
                                      std::to_string(getpid()) + "_" + std::to_string(counter++)))
            .string();
    fs::remove_all(path_);
  }
  ~TempDataDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string db() const { return path_ + "/dtwin.db"; }

 private:
  std::string path_;
};

std::unique_ptr<Store> OpenOrDie(const std::string& dir) {
  Result<std::unique_ptr<Store>> store = OpenSqliteStore({.data_dir = dir});
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

Status CommitAndWait(Store& store, WriteBatch batch) {
  std::promise<Status> done;
  store.Commit(std::move(batch), [&](Status status) { done.set_value(std::move(status)); });
  return done.get_future().get();
}

Mutation Put(Kind kind, std::string key, std::string value) {
  return Mutation{kind, std::move(key), "", std::move(value)};
}
Mutation Delete(Kind kind, std::string key) { return Mutation{kind, std::move(key), "", ""}; }
Mutation PutRelationship(std::string source, std::string id, std::string value) {
  return Mutation{Kind::kPutRelationship, std::move(source), std::move(id), std::move(value)};
}
Mutation DeleteRelationship(std::string source, std::string id) {
  return Mutation{Kind::kDeleteRelationship, std::move(source), std::move(id), ""};
}

Mutation PutOutboxEvent(uint64_t seq, std::string endpoint, std::string value) {
  return Mutation{Kind::kPutOutboxEvent, std::to_string(seq), std::move(endpoint),
                  std::move(value)};
}

// Everything Load delivered: models in load order; the rest as sets ("key=value",
// relationships "source/id=value"), whose order the contract leaves open.
struct Loaded {
  std::vector<std::string> models;
  std::set<std::string> twins, relationships, routes;
  // "seq endpoint=value", in load order (which the contract fixes: by sequence number).
  std::vector<std::string> outbox, dead_letters;
  std::vector<char> sections;  // 'm', 't', 'r', 'o', 'e', 'd' per row, to check the order
};

Loaded LoadAll(Store& store) {
  Loaded loaded;
  LoadVisitor visitor{
      .model =
          [&](const std::string& id, const std::string& value) {
            loaded.models.push_back(id + "=" + value);
            loaded.sections.push_back('m');
            return Status::Ok();
          },
      .twin =
          [&](const std::string& id, const std::string& value) {
            loaded.twins.insert(id + "=" + value);
            loaded.sections.push_back('t');
            return Status::Ok();
          },
      .relationship =
          [&](const std::string& source, const std::string& id, const std::string& value) {
            loaded.relationships.insert(source + "/" + id + "=" + value);
            loaded.sections.push_back('r');
            return Status::Ok();
          },
      .route =
          [&](const std::string& id, const std::string& value) {
            loaded.routes.insert(id + "=" + value);
            loaded.sections.push_back('o');
            return Status::Ok();
          },
      .outbox_event =
          [&](uint64_t seq, const std::string& endpoint, const std::string& value) {
            loaded.outbox.push_back(std::to_string(seq) + " " + endpoint + "=" + value);
            loaded.sections.push_back('e');
            return Status::Ok();
          },
      .dead_letter =
          [&](uint64_t seq, const std::string& endpoint, const std::string& value) {
            loaded.dead_letters.push_back(std::to_string(seq) + " " + endpoint + "=" + value);
            loaded.sections.push_back('d');
            return Status::Ok();
          },
  };
  Status status = store.Load(visitor);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return loaded;
}

// Direct access to the database file, for what the Store interface does not expose.
void ExecSql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

std::vector<std::string> QueryColumn(const std::string& db_path, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

TEST(SqliteStoreTest, RoundTripsEveryMutationKind) {
  TempDataDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      CommitAndWait(
          *store,
          {{Put(Kind::kPutModel, "dtmi:a;1", R"({"m":1})"),
            Put(Kind::kPutModel, "dtmi:b;1", R"({"m":2})"), Put(Kind::kPutTwin, "t1", R"({"v":1})"),
            Put(Kind::kPutTwin, "t2", R"({"v":2})"), PutRelationship("t1", "r1", R"({"r":1})"),
            PutRelationship("t1", "r2", R"({"r":2})"), Put(Kind::kPutRoute, "x", R"({"f":1})"),
            Put(Kind::kPutRoute, "y", R"({"f":2})")}})
          .ok());
  ASSERT_TRUE(
      CommitAndWait(*store,
                    {{Put(Kind::kPutTwin, "t1", R"({"v":"new"})"), Delete(Kind::kDeleteTwin, "t2"),
                      PutRelationship("t1", "r1", R"({"r":"new"})"), DeleteRelationship("t1", "r2"),
                      Put(Kind::kPutRoute, "x", R"({"f":"new"})"), Delete(Kind::kDeleteRoute, "y"),
                      Delete(Kind::kDeleteModel, "dtmi:b;1")}})
          .ok());
  // Within a batch, later mutations win; deleting what does not exist is fine.
  ASSERT_TRUE(
      CommitAndWait(*store, {{Put(Kind::kPutTwin, "gone", "{}"), Delete(Kind::kDeleteTwin, "gone"),
                              Delete(Kind::kDeleteTwin, "never-existed"),
                              Delete(Kind::kDeleteTwin, "t3"), Put(Kind::kPutTwin, "t3", "{}"),
                              Put(Kind::kPutTwin, "ünï \"q\"", R"({"s":"ß\n"})")}})
          .ok());

  Loaded loaded = LoadAll(*store);
  EXPECT_EQ(loaded.models, std::vector<std::string>{R"(dtmi:a;1={"m":1})"});
  EXPECT_EQ(loaded.twins,
            (std::set<std::string>{R"(t1={"v":"new"})", "t3={}", R"(ünï "q"={"s":"ß\n"})"}));
  EXPECT_EQ(loaded.relationships, std::set<std::string>{R"(t1/r1={"r":"new"})"});
  EXPECT_EQ(loaded.routes, std::set<std::string>{R"(x={"f":"new"})"});
  EXPECT_TRUE(store->health().ok());
}

TEST(SqliteStoreTest, LoadsTablesInTheDocumentedOrder) {
  TempDataDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  // Written in the reverse of the load order.
  ASSERT_TRUE(
      CommitAndWait(*store, {{Put(Kind::kPutRoute, "x", "{}"), PutRelationship("t", "r", "{}"),
                              Put(Kind::kPutTwin, "t", "{}"), Put(Kind::kPutModel, "m", "{}")}})
          .ok());
  EXPECT_EQ(LoadAll(*store).sections, (std::vector<char>{'m', 't', 'r', 'o'}));
}

TEST(SqliteStoreTest, ModelsKeepTheOrderInWhichTheyWereFirstWritten) {
  TempDataDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  for (const char* id : {"c", "a", "b"}) {
    ASSERT_TRUE(CommitAndWait(*store, {{Put(Kind::kPutModel, id, "v1")}}).ok());
  }
  ASSERT_TRUE(CommitAndWait(*store, {{Put(Kind::kPutModel, "c", "v2")}}).ok());
  EXPECT_EQ(LoadAll(*store).models, (std::vector<std::string>{"c=v2", "a=v1", "b=v1"}));

  // Deleted and added again: a new model, so it goes last.
  ASSERT_TRUE(
      CommitAndWait(*store, {{Delete(Kind::kDeleteModel, "c"), Put(Kind::kPutModel, "c", "v3")}})
          .ok());
  store.reset();
  store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(LoadAll(*store).models, (std::vector<std::string>{"a=v1", "b=v1", "c=v3"}));
}

TEST(SqliteStoreTest, ReopenLoadsEverythingWritten) {
  TempDataDir dir;
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(
        CommitAndWait(*store, {{Put(Kind::kPutModel, "m", "{}"), Put(Kind::kPutTwin, "t1", "1"),
                                Put(Kind::kPutTwin, "t2", "2"), PutRelationship("t1", "r", "{}"),
                                Put(Kind::kPutRoute, "x", "{}")}})
            .ok());
  }
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(CommitAndWait(*store, {{Delete(Kind::kDeleteTwin, "t2")}}).ok());
  }
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  Loaded loaded = LoadAll(*store);
  EXPECT_EQ(loaded.models, std::vector<std::string>{"m={}"});
  EXPECT_EQ(loaded.twins, std::set<std::string>{"t1=1"});
  EXPECT_EQ(loaded.relationships, std::set<std::string>{"t1/r={}"});
  EXPECT_EQ(loaded.routes, std::set<std::string>{"x={}"});
}

TEST(SqliteStoreTest, UsesWalAndRecordsTheSchemaVersion) {
  TempDataDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryColumn(dir.db(), "PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  EXPECT_EQ(QueryColumn(dir.db(), "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(kSchemaVersion)});
}

TEST(SqliteStoreTest, OutboxAndDeadLettersLoadBySequenceNumber) {
  TempDataDir dir;
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(
        CommitAndWait(*store, {{Put(Kind::kPutTwin, "t", "{}"), PutOutboxEvent(12, "a,b", "e12"),
                                PutOutboxEvent(3, "b", "e3")}})
            .ok());
    // Row 12 stops waiting for a; setting the endpoints of a deleted row brings nothing back.
    ASSERT_TRUE(CommitAndWait(
                    *store, {{PutOutboxEvent(20, "a", "e20"), Delete(Kind::kDeleteOutboxEvent, "3"),
                              Mutation{Kind::kPutDeadLetter, "3", "b", "dead e3"},
                              Mutation{Kind::kSetOutboxEndpoints, "12", "b", ""},
                              Mutation{Kind::kSetOutboxEndpoints, "3", "a", ""}}})
                    .ok());
    ASSERT_TRUE(
        CommitAndWait(*store, {{Mutation{Kind::kPutDeadLetter, "1", "a", "dead e1"}}}).ok());
    ASSERT_TRUE(CommitAndWait(*store, {{Delete(Kind::kDeleteDeadLetter, "1")}}).ok());
  }
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  Loaded loaded = LoadAll(*store);
  EXPECT_EQ(loaded.outbox, (std::vector<std::string>{"12 b=e12", "20 a=e20"}));
  EXPECT_EQ(loaded.dead_letters, std::vector<std::string>{"3 b=dead e3"});
  EXPECT_EQ(loaded.sections, (std::vector<char>{'t', 'e', 'e', 'd'}));
}

TEST(SqliteStoreTest, AVersionTwoFileKeepsItsOutboxRowsAsListsOfOneEndpoint) {
  TempDataDir dir;
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_NE(store, nullptr);
    // Version 2 wrote a row per event and endpoint.
    ASSERT_TRUE(
        CommitAndWait(*store, {{PutOutboxEvent(1, "a", "e1"), PutOutboxEvent(2, "b", "e1")}}).ok());
  }
  ExecSql(dir.db(), "PRAGMA user_version = 2");
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryColumn(dir.db(), "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(kSchemaVersion)});
  EXPECT_EQ(LoadAll(*store).outbox, (std::vector<std::string>{"1 a=e1", "2 b=e1"}));
}

TEST(SqliteStoreTest, AVersionOneFileGetsTheNewOutboxAndDeadLetters) {
  TempDataDir dir;
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(CommitAndWait(*store, {{Put(Kind::kPutTwin, "kept", "{}")}}).ok());
  }
  ExecSql(dir.db(),
          "DROP TABLE outbox; DROP TABLE dead_letters; "
          "CREATE TABLE outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL); "
          "PRAGMA user_version = 1");
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryColumn(dir.db(), "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(kSchemaVersion)});
  ASSERT_TRUE(CommitAndWait(*store, {{PutOutboxEvent(1, "a", "e1"),
                                      Mutation{Kind::kPutDeadLetter, "2", "a", "e2"}}})
                  .ok());
  Loaded loaded = LoadAll(*store);
  EXPECT_EQ(loaded.twins, std::set<std::string>{"kept={}"});
  EXPECT_EQ(loaded.outbox, std::vector<std::string>{"1 a=e1"});
  EXPECT_EQ(loaded.dead_letters, std::vector<std::string>{"2 a=e2"});
}

TEST(SqliteStoreTest, ConcurrentCommitsAreAllDurableAndEachCalledBackOnce) {
  constexpr int kThreads = 16;
  constexpr int kBatchesPerThread = 200;
  TempDataDir dir;
  std::vector<std::atomic<int>> calls(kThreads * kBatchesPerThread);
  std::atomic<int> failures{0};
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_NE(store, nullptr);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int b = 0; b < kBatchesPerThread; ++b) {
          int n = t * kBatchesPerThread + b;
          store->Commit({{Put(Kind::kPutTwin, "twin" + std::to_string(n), "{}"),
                          PutOutboxEvent(n + 1, "e", "event" + std::to_string(n))}},
                        [&, n](Status status) {
                          ++calls[n];
                          if (!status.ok()) ++failures;
                        });
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    store->Flush();
    for (int n = 0; n < kThreads * kBatchesPerThread; ++n) {
      ASSERT_EQ(calls[n], 1) << "batch " << n;
    }
    EXPECT_EQ(failures, 0);
  }
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(LoadAll(*store).twins.size(), static_cast<size_t>(kThreads * kBatchesPerThread));
  EXPECT_EQ(QueryColumn(dir.db(), "SELECT count(*) FROM outbox"),
            std::vector<std::string>{std::to_string(kThreads * kBatchesPerThread)});
  for (std::atomic<int>& count : calls) EXPECT_EQ(count, 1);  // none called again
}

TEST(SqliteStoreTest, DestroyingTheStoreCommitsWhatIsQueued) {
  TempDataDir dir;
  std::atomic<int> ok_calls{0};
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < 100; ++i) {
      store->Commit({{Put(Kind::kPutTwin, std::to_string(i), "{}")}},
                    [&](Status status) { ok_calls += status.ok(); });
    }
  }
  EXPECT_EQ(ok_calls, 100);
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(LoadAll(*store).twins.size(), 100u);
}

// Failure injection: a trigger makes SQLite itself reject the twin "poison" mid-batch.
constexpr char kPoisonTrigger[] =
    "CREATE TRIGGER poison BEFORE INSERT ON twins WHEN NEW.id = 'poison' "
    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END";

TEST(SqliteStoreTest, FailedBatchLeavesNoTraceAndLatchesTheFailure) {
  TempDataDir dir;
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(
        CommitAndWait(*store, {{Put(Kind::kPutTwin, "kept", "{}"), PutOutboxEvent(1, "e", "e0")}})
            .ok());
  }
  ExecSql(dir.db(), kPoisonTrigger);
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_NE(store, nullptr);
    Status failed = CommitAndWait(
        *store, {{Put(Kind::kPutModel, "m", "{}"), Put(Kind::kPutTwin, "a", "{}"),
                  Put(Kind::kPutTwin, "kept", "changed"), PutRelationship("a", "r", "{}"),
                  Put(Kind::kPutRoute, "x", "{}"), Put(Kind::kPutTwin, "poison", "{}"),
                  Put(Kind::kPutTwin, "b", "{}"), PutOutboxEvent(2, "e", "e1")}});
    EXPECT_EQ(failed.code(), ErrorCode::kServiceUnavailable);
    EXPECT_NE(failed.message().find("injected failure"), std::string::npos) << failed.message();
    EXPECT_NE(failed.message().find(dir.path()), std::string::npos) << failed.message();
    EXPECT_EQ(store->health().message(), failed.message());

    // Latched: a later, valid batch fails with the same error and is not written.
    Status later = CommitAndWait(*store, {{Put(Kind::kPutTwin, "later", "{}")}});
    EXPECT_EQ(later.code(), ErrorCode::kServiceUnavailable);
    EXPECT_EQ(later.message(), failed.message());
    EXPECT_EQ(store->health().message(), failed.message());
  }
  ExecSql(dir.db(), "DROP TRIGGER poison");
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->health().ok());  // the latch lasts for one store's lifetime
  Loaded loaded = LoadAll(*store);
  EXPECT_TRUE(loaded.models.empty());
  EXPECT_EQ(loaded.twins, std::set<std::string>{"kept={}"});
  EXPECT_TRUE(loaded.relationships.empty());
  EXPECT_TRUE(loaded.routes.empty());
  EXPECT_EQ(loaded.outbox, std::vector<std::string>{"1 e=e0"});
}

TEST(SqliteStoreTest, LoadStopsAtTheFirstVisitorError) {
  TempDataDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      CommitAndWait(*store, {{Put(Kind::kPutTwin, "t1", "{}"), Put(Kind::kPutTwin, "t2", "{}"),
                              Put(Kind::kPutTwin, "t3", "{}"), PutRelationship("t1", "r", "{}"),
                              Put(Kind::kPutRoute, "x", "{}")}})
          .ok());
  int twins = 0;
  int later_rows = 0;
  auto count_later = [&](const std::string&, const std::string&) {
    ++later_rows;
    return Status::Ok();
  };
  LoadVisitor visitor{
      .model = count_later,
      .twin =
          [&](const std::string& id, const std::string&) {
            return ++twins == 2 ? Status(ErrorCode::kValidationFailed, "bad twin " + id)
                                : Status::Ok();
          },
      .relationship =
          [&](const std::string&, const std::string&, const std::string&) {
            ++later_rows;
            return Status::Ok();
          },
      .route = count_later,
      .outbox_event =
          [&](uint64_t, const std::string&, const std::string&) {
            ++later_rows;
            return Status::Ok();
          },
      .dead_letter =
          [&](uint64_t, const std::string&, const std::string&) {
            ++later_rows;
            return Status::Ok();
          },
  };
  Status status = store->Load(visitor);
  EXPECT_EQ(status.code(), ErrorCode::kValidationFailed);
  EXPECT_EQ(status.message(), "bad twin t2");
  EXPECT_EQ(twins, 2);
  EXPECT_EQ(later_rows, 0);
}

TEST(SqliteStoreTest, SecondOpenOfTheSameDirectoryIsRefused) {
  TempDataDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_NE(store, nullptr);
  Result<std::unique_ptr<Store>> second = OpenSqliteStore({.data_dir = dir.path()});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kServiceUnavailable);
  EXPECT_EQ(second.status().message(), "data directory " + dir.path() +
                                           " is in use by another dtwin server (pid " +
                                           std::to_string(getpid()) + ")");
  // The first store is unaffected, and the directory is free once it is closed.
  EXPECT_TRUE(CommitAndWait(*store, {{Put(Kind::kPutTwin, "t", "{}")}}).ok());
  store.reset();
  EXPECT_NE(OpenOrDie(dir.path()), nullptr);
}

TEST(SqliteStoreTest, DirectoryHeldByAnotherProcessNamesItsPid) {
  TempDataDir dir;
  int ready[2];
  int finish[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(finish), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child holds the directory until the parent closes its end of `finish`.
    close(ready[0]);
    close(finish[1]);
    Result<std::unique_ptr<Store>> store = OpenSqliteStore({.data_dir = dir.path()});
    char byte = store.ok() ? 'y' : 'n';
    (void)!write(ready[1], &byte, 1);
    (void)!read(finish[0], &byte, 1);
    _exit(0);
  }
  close(ready[1]);
  close(finish[0]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  EXPECT_EQ(byte, 'y');
  Result<std::unique_ptr<Store>> store = OpenSqliteStore({.data_dir = dir.path()});
  close(finish[1]);
  int wait_status = 0;
  waitpid(child, &wait_status, 0);
  close(ready[0]);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kServiceUnavailable);
  EXPECT_EQ(store.status().message(), "data directory " + dir.path() +
                                          " is in use by another dtwin server (pid " +
                                          std::to_string(child) + ")");
}

TEST(SqliteStoreTest, NewerSchemaVersionIsRefused) {
  TempDataDir dir;
  fs::create_directories(dir.path());
  int newer = kSchemaVersion + 1;
  ExecSql(dir.db(), "PRAGMA user_version = " + std::to_string(newer));
  Result<std::unique_ptr<Store>> store = OpenSqliteStore({.data_dir = dir.path()});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kServiceUnavailable);
  const std::string& message = store.status().message();
  EXPECT_NE(message.find(dir.db()), std::string::npos) << message;
  EXPECT_NE(message.find("schema version " + std::to_string(newer) + ", written by a newer dtwin"),
            std::string::npos)
      << message;
  // The file is left as it was.
  EXPECT_EQ(QueryColumn(dir.db(), "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(newer)});
  EXPECT_TRUE(QueryColumn(dir.db(), "SELECT name FROM sqlite_master").empty());
}

TEST(SqliteStoreTest, FileThatIsNotADatabaseIsRefused) {
  TempDataDir dir;
  fs::create_directories(dir.path());
  std::ofstream(dir.db())
      << "this is not an SQLite database, but it is long enough to look like one";
  Result<std::unique_ptr<Store>> store = OpenSqliteStore({.data_dir = dir.path()});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kServiceUnavailable);
  EXPECT_NE(store.status().message().find(dir.db()), std::string::npos) << store.status().message();
  EXPECT_NE(store.status().message().find("not a database"), std::string::npos)
      << store.status().message();
}

TEST(SqliteStoreTest, DataDirectoryThatCannotBeCreatedIsNamed) {
  TempDataDir dir;
  fs::create_directories(dir.path());
  std::string file = dir.path() + "/a-file";
  std::ofstream(file) << "x";
  std::string data_dir = file + "/data";
  Result<std::unique_ptr<Store>> store = OpenSqliteStore({.data_dir = data_dir});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kServiceUnavailable);
  EXPECT_NE(store.status().message().find("cannot create data directory " + data_dir),
            std::string::npos)
      << store.status().message();
}

TEST(SqliteStoreTest, DataDirectoryIsCreatedWithItsParents) {
  TempDataDir dir;
  std::string nested = dir.path() + "/a/b";
  auto store = OpenOrDie(nested);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(fs::exists(nested + "/dtwin.db"));
  EXPECT_TRUE(fs::exists(nested + "/LOCK"));
}

}  // namespace
}  // namespace dtwin::storage
