// Tests of LaneSchedule: arrival order up to the batch size; a key requeued for a retry held
// back with its later arrivals until its retry time while other keys go on; due held entries
// placed after the others and ahead of their key's arrivals; leftovers of a due key that did
// not fit staying ahead of its later arrivals; a pause of the whole lane; the next wake time.
#include "events/lane_schedule.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace dtwin::events {
namespace {

using std::chrono::milliseconds;
using Clock = LaneSchedule::Clock;

PendingEntry Entry(uint64_t seq, const std::string& key) {
  PendingEntry pending;
  pending.entry.seq = seq;
  pending.entry.partition_key = key;
  return pending;
}

std::vector<uint64_t> Seqs(const std::vector<PendingEntry>& batch) {
  std::vector<uint64_t> seqs;
  for (const PendingEntry& pending : batch) seqs.push_back(pending.entry.seq);
  return seqs;
}

TEST(LaneScheduleTest, BatchesComeInArrivalOrderUpToTheSize) {
  LaneSchedule schedule;
  const Clock::time_point now = Clock::now();
  EXPECT_FALSE(schedule.Ready(now));
  for (uint64_t seq = 1; seq <= 5; ++seq) schedule.Add(Entry(seq, seq % 2 ? "a" : "b"));
  EXPECT_TRUE(schedule.Ready(now));
  EXPECT_EQ(Seqs(schedule.TakeBatch(3, now)), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(Seqs(schedule.TakeBatch(3, now)), (std::vector<uint64_t>{4, 5}));
  EXPECT_FALSE(schedule.Ready(now));
  EXPECT_FALSE(schedule.NextWake());
}

TEST(LaneScheduleTest, AKeyBeingRetriedIsHeldWithItsLaterEntriesWhileOthersGoOn) {
  LaneSchedule schedule;
  const Clock::time_point now = Clock::now();
  const Clock::time_point retry_at = now + milliseconds(100);
  std::vector<PendingEntry> again;
  again.push_back(Entry(1, "a"));
  again.push_back(Entry(3, "a"));
  schedule.Requeue("a", std::move(again), retry_at);
  schedule.Add(Entry(4, "b"));
  schedule.Add(Entry(5, "a"));
  schedule.Add(Entry(6, "b"));
  // Before the retry time: b's entries only; a's arrival 5 waits behind 1 and 3.
  EXPECT_EQ(Seqs(schedule.TakeBatch(10, now)), (std::vector<uint64_t>{4, 6}));
  EXPECT_FALSE(schedule.Ready(now));
  ASSERT_TRUE(schedule.NextWake());
  EXPECT_EQ(*schedule.NextWake(), retry_at);
  // At the retry time: a's entries in order, its later arrival 7 behind them, and the other
  // keys' entries ahead of them all (a sink that stops at a failure still delivers those).
  schedule.Add(Entry(7, "a"));
  schedule.Add(Entry(8, "c"));
  EXPECT_TRUE(schedule.Ready(retry_at));
  EXPECT_EQ(Seqs(schedule.TakeBatch(10, retry_at)), (std::vector<uint64_t>{8, 1, 3, 5, 7}));
  EXPECT_FALSE(schedule.NextWake());
}

TEST(LaneScheduleTest, WhatOfADueKeyDoesNotFitStaysAheadOfItsLaterEntries) {
  LaneSchedule schedule;
  const Clock::time_point now = Clock::now();
  std::vector<PendingEntry> again;
  for (uint64_t seq = 1; seq <= 3; ++seq) again.push_back(Entry(seq, "a"));
  schedule.Requeue("a", std::move(again), now);
  schedule.Add(Entry(4, "a"));
  schedule.Add(Entry(5, "b"));
  EXPECT_EQ(Seqs(schedule.TakeBatch(2, now)), (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(schedule.Ready(now));
  // 3 is released, and a's later arrival 4 goes behind it in the same batch; b after.
  EXPECT_EQ(Seqs(schedule.TakeBatch(2, now)), (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(Seqs(schedule.TakeBatch(2, now)), (std::vector<uint64_t>{5}));
}

TEST(LaneScheduleTest, RequeuedEntriesGoAheadOfTheKeysHeldOnesAndTakeTheNewTime) {
  LaneSchedule schedule;
  const Clock::time_point now = Clock::now();
  std::vector<PendingEntry> held;
  held.push_back(Entry(5, "a"));
  schedule.Requeue("a", std::move(held), now + milliseconds(10));
  std::vector<PendingEntry> older;
  older.push_back(Entry(2, "a"));
  older.push_back(Entry(3, "a"));
  schedule.Requeue("a", std::move(older), now + milliseconds(50));
  EXPECT_TRUE(schedule.TakeBatch(10, now + milliseconds(10)).empty());
  EXPECT_EQ(*schedule.NextWake(), now + milliseconds(50));
  EXPECT_EQ(Seqs(schedule.TakeBatch(10, now + milliseconds(50))), (std::vector<uint64_t>{2, 3, 5}));
}

TEST(LaneScheduleTest, APausedLaneGivesNothingUntilThePauseEnds) {
  LaneSchedule schedule;
  const Clock::time_point now = Clock::now();
  std::vector<PendingEntry> again;
  again.push_back(Entry(1, "a"));
  schedule.Requeue("a", std::move(again), now);
  schedule.Add(Entry(2, "b"));
  schedule.PauseUntil(now + milliseconds(30));
  EXPECT_FALSE(schedule.Ready(now + milliseconds(29)));
  EXPECT_TRUE(schedule.TakeBatch(10, now + milliseconds(29)).empty());
  EXPECT_EQ(*schedule.NextWake(), now + milliseconds(30));
  EXPECT_TRUE(schedule.Ready(now + milliseconds(30)));
  EXPECT_EQ(Seqs(schedule.TakeBatch(10, now + milliseconds(30))), (std::vector<uint64_t>{2, 1}));
  EXPECT_FALSE(schedule.NextWake());  // the pause is over, nothing is held
}

}  // namespace
}  // namespace dtwin::events
