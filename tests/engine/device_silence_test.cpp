// tests/engine/device_silence_test.cpp - when a device that stopped calling back counts as lost,
// and why a stopped process (SIGSTOP, Ctrl-Z) does not.
#include "engine/live/capture_rig.hpp"

#include <doctest/doctest.h>

#include <cstdint>

namespace {

constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t limit = 1000 * ms;

} // namespace

TEST_CASE("a device silent for longer than the limit, watched throughout, is lost") {
  rc::DeviceSilenceWatch watch(limit, 0);
  std::uint64_t callbacks = 0;
  std::int64_t now = 0;
  for (int i = 0; i < 10; ++i) CHECK_FALSE(watch.lost(now += 100 * ms, ++callbacks));
  // Silence from 1000 ms on: lost only once more than the limit has passed since the last
  // callback was seen.
  for (int i = 0; i < 10; ++i) CHECK_FALSE(watch.lost(now += 100 * ms, callbacks));
  CHECK(now == 2000 * ms);
  CHECK(watch.lost(now += 100 * ms, callbacks));
}

TEST_CASE("a device that never calls back at all is lost after the limit") {
  rc::DeviceSilenceWatch watch(limit, 0);
  std::int64_t now = 0;
  for (int i = 0; i < 10; ++i) CHECK_FALSE(watch.lost(now += 100 * ms, 0));
  CHECK(watch.lost(now += 100 * ms, 0));
}

TEST_CASE("a callback seen resets the window") {
  rc::DeviceSilenceWatch watch(limit, 0);
  std::int64_t now = 0;
  for (int i = 0; i < 9; ++i) CHECK_FALSE(watch.lost(now += 100 * ms, 0));
  CHECK_FALSE(watch.lost(now += 100 * ms, 1));
  for (int i = 0; i < 10; ++i) CHECK_FALSE(watch.lost(now += 100 * ms, 1));
  CHECK(watch.lost(now += 100 * ms, 1));
}

TEST_CASE("a watcher stopped with its process restarts the window on waking") {
  rc::DeviceSilenceWatch watch(limit, 0);
  std::int64_t now = 0;
  CHECK_FALSE(watch.lost(now += 100 * ms, 5));
  // The process is stopped for 3 s: the first tick after it sees no new callback, since the
  // callback thread was stopped too, and that is no evidence about the device.
  CHECK_FALSE(watch.lost(now += 3000 * ms, 5));
  // The device now has the whole limit again ...
  for (int i = 0; i < 10; ++i) CHECK_FALSE(watch.lost(now += 100 * ms, 5));
  // ... and if it stays silent throughout, it is lost.
  CHECK(watch.lost(now += 100 * ms, 5));
}

TEST_CASE("late ticks shorter than the stop threshold still count as watched") {
  rc::DeviceSilenceWatch watch(limit, 0);
  std::int64_t now = 0;
  CHECK_FALSE(watch.lost(now += 100 * ms, 1));
  CHECK_FALSE(watch.lost(now += rc::DeviceSilenceWatch::late_tick_ns, 1));
  CHECK_FALSE(watch.lost(now += rc::DeviceSilenceWatch::late_tick_ns, 1));
  CHECK(watch.lost(now += 100 * ms, 1));
}
