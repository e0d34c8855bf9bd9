// The outbox and dead-letter records: what is stored comes back the same, and a record that
// does not decode is reported as a corrupt store naming the event and what is wrong.
#include "service/outbox_records.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace dtwin::service {
namespace {

events::OutboxEntry Entry() {
  events::OutboxEntry entry;
  entry.seq = 42;
  entry.endpoint = "hook";
  entry.partition_key = "room \"1\"";
  entry.committed_at = *ParseAdtTime("2024-05-01T10:00:00.1234567Z");
  entry.event.id = "e-1";
  entry.event.source = "dt.example.test";
  entry.event.type = "Microsoft.DigitalTwins.Twin.Update";
  entry.event.subject = "room \"1\"";
  entry.event.time = "2024-05-01T10:00:00.1234567Z";
  entry.event.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  entry.event.data =
      R"({"modelId":"dtmi:a:B;1","patch":[{"value":2.5e1,"path":"/t","op":"replace"}]})";
  return entry;
}

void ExpectSameEntry(const events::OutboxEntry& got, const events::OutboxEntry& want) {
  EXPECT_EQ(got.seq, want.seq);
  EXPECT_EQ(got.endpoint, want.endpoint);
  EXPECT_EQ(got.partition_key, want.partition_key);
  EXPECT_EQ(got.committed_at, want.committed_at);
  EXPECT_EQ(got.event.id, want.event.id);
  EXPECT_EQ(got.event.source, want.event.source);
  EXPECT_EQ(got.event.type, want.event.type);
  EXPECT_EQ(got.event.subject, want.event.subject);
  EXPECT_EQ(got.event.time, want.event.time);
  EXPECT_EQ(got.event.traceparent, want.event.traceparent);
  EXPECT_EQ(got.event.data, want.event.data);  // byte for byte: numbers keep their spelling
}

TEST(OutboxRecordsTest, AnOutboxRecordComesBackAsStored) {
  const events::OutboxEntry entry = Entry();
  Result<events::OutboxEntry> decoded = DecodeOutboxRecord(42, "hook", EncodeOutboxRecord(entry));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameEntry(*decoded, entry);
}

TEST(OutboxRecordsTest, ADeadLetterRecordComesBackAsStored) {
  const DeadLetterRecord record{Entry(), "delivery: HTTP 400 \"bad\"",
                                *ParseAdtTime("2024-05-02T00:00:00.0000001Z"), 17};
  Result<DeadLetterRecord> decoded =
      DecodeDeadLetterRecord(42, "hook", EncodeDeadLetterRecord(record));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameEntry(decoded->entry, record.entry);
  EXPECT_EQ(decoded->reason, record.reason);
  EXPECT_EQ(decoded->dead_lettered_at, record.dead_lettered_at);
  EXPECT_EQ(decoded->event_seq, 17u);
}

TEST(OutboxRecordsTest, ADeadLetterWithoutEventSeqTakesItsIdAndABadOneIsCorrupt) {
  // Records written before eventSeq existed: the id was the event's sequence number.
  std::string old = EncodeOutboxRecord(Entry());
  old = old.substr(0, old.size() - 1) + R"(,"reason":"r","deadLetteredAt":"2024-05-02T00:00:00Z"})";
  Result<DeadLetterRecord> decoded = DecodeDeadLetterRecord(42, "hook", old);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->event_seq, 42u);
  for (const char* bad : {R"("x")", "-3", "0", "1.5"}) {
    std::string text = old.substr(0, old.size() - 1) + R"(,"eventSeq":)" + bad + "}";
    Result<DeadLetterRecord> corrupt = DecodeDeadLetterRecord(42, "hook", text);
    ASSERT_FALSE(corrupt.ok()) << bad;
    EXPECT_NE(corrupt.status().message().find("outbox event 42 has a bad \"eventSeq\""),
              std::string::npos)
        << corrupt.status().message();
  }
}

TEST(OutboxRecordsTest, CorruptRecordsSayWhichEventAndWhat) {
  const std::string good = EncodeOutboxRecord(Entry());
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"not json", "outbox event 7 is not a JSON object"},
      {"[1]", "outbox event 7 is not a JSON object"},
      {R"({"committedAt":"2024-05-01T10:00:00Z","event":{}})", "outbox event 7 has no \"key\""},
      {R"({"key":"k","committedAt":"yesterday","event":{}})",
       "outbox event 7 has no valid \"committedAt\""},
      {R"({"key":"k","committedAt":"2024-05-01T10:00:00Z"})", "outbox event 7 has no \"event\""},
      {R"({"key":"k","committedAt":"2024-05-01T10:00:00Z","event":{"specversion":"1.0"}})",
       "outbox event 7 has no \"event\""},
      {R"({"key":"k","committedAt":"2024-05-01T10:00:00Z","event":"{\"specversion\":\"1.0\"}"})",
       "outbox event 7 has a bad event: "},
  };
  for (const Case& c : cases) {
    Result<events::OutboxEntry> decoded = DecodeOutboxRecord(7, "hook", c.text);
    ASSERT_FALSE(decoded.ok()) << c.text;
    EXPECT_EQ(decoded.status().code(), ErrorCode::kInternal) << c.text;
    EXPECT_NE(decoded.status().message().find(c.message), std::string::npos)
        << c.text << " -> " << decoded.status().message();
  }
  // A dead letter needs its reason and time too.
  Result<DeadLetterRecord> no_reason = DecodeDeadLetterRecord(7, "hook", good);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_NE(no_reason.status().message().find("has no \"reason\""), std::string::npos);
  std::string no_time = good.substr(0, good.size() - 1) + R"(,"reason":"r"})";
  Result<DeadLetterRecord> timeless = DecodeDeadLetterRecord(7, "hook", no_time);
  ASSERT_FALSE(timeless.ok());
  EXPECT_NE(timeless.status().message().find("\"deadLetteredAt\""), std::string::npos);
}

}  // namespace
}  // namespace dtwin::service
