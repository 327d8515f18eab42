// The shared-memory tap: TapPublisher (the capture worker's side) and TapReader (another
// process's side) through a real POSIX shared-memory object, in one process (two mappings of the
// same object) and across fork(): exact accounting of what a reader missed, a finished capture
// told from a dead or silent one, names refused while a live capture holds them.
#include "engine/capture/capture_consumer.hpp"
#include "engine/capture/capture_producer.hpp"
#include "engine/tap/tap_publisher.hpp"
#include "engine/tap/tap_reader.hpp"
#include "engine/util/monotonic_clock.hpp"
#include "tests/engine/memory_sink.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace rc;

namespace {

// A name no other test run uses.
std::string unique_name(const char* what) {
  static int counter = 0;
  return std::string("test-") + what + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(++counter);
}

// Stereo frames, interleaved, that convert to the engine's view.
struct StereoBlock {
  std::vector<float> samples;
  operator ConstFrames() const noexcept { return {samples.data(), samples.size() / 2, 2}; }
  [[nodiscard]] const float* data() const noexcept { return samples.data(); }
};

// Frames whose left channel is their timeline position + 1 (never 0), right channel -0.5.
StereoBlock counter(std::uint64_t first, std::size_t n) {
  StereoBlock out;
  for (std::size_t i = 0; i < n; ++i) {
    out.samples.push_back(float(first + i + 1));
    out.samples.push_back(-0.5f);
  }
  return out;
}

// Reads until `until` says stop or nothing is left; returns the last event.
struct Drain {
  test::RecordedFrames frames; // with silence for missed frames: the copy `tap -o` makes
  std::uint64_t blocks = 0, missed_blocks = 0, missed_frames = 0;
  TapEvent last = TapEvent::idle;

  TapEvent step(TapReader& reader) {
    TapBlock b;
    last = reader.next(b);
    if (last == TapEvent::block) {
      ++blocks;
      missed_blocks += b.missed_blocks;
      missed_frames += b.missed_frames;
      frames.samples.insert(frames.samples.end(),
                            b.missed_frames * static_cast<std::size_t>(b.frames.channels), 0.0f);
      frames.append(b.frames);
    }
    return last;
  }
  void until_idle(TapReader& reader) {
    while (step(reader) == TapEvent::block) {
    }
  }
};

// Creates the object of tap `name` as a ring whose writer is `pid`, with heartbeat `beat_ns`.
void forge_tap(const std::string& name, std::int64_t pid, std::int64_t beat_ns) {
  const ringbuf::ShmRingParams params{4, 64, 8, 48000, 2};
  const std::size_t bytes = ringbuf::ShmSlotWriter::region_bytes(params);
  const int fd = ::shm_open(tap_object_name(name).c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, static_cast<off_t>(bytes)) == 0);
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);
  REQUIRE(p != MAP_FAILED);
  ringbuf::ShmSlotWriter writer(p, bytes, params, pid, beat_ns);
  const auto block = counter(0, 8);
  writer.publish(0, block.data(), 8, beat_ns);
  ::munmap(p, bytes);
}

// A process id that is certainly dead: a child that has exited and been reaped.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

bool object_exists(const std::string& name) {
  const int fd = ::shm_open(tap_object_name(name).c_str(), O_RDONLY, 0);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

} // namespace

TEST_CASE("tap names: letters, digits, '.', '_', '-' - one object per name") {
  CHECK(tap_name_problem("ringcorder").empty());
  CHECK(tap_name_problem("take_2.left-1").empty());
  CHECK_FALSE(tap_name_problem("").empty());
  CHECK_FALSE(tap_name_problem("a/b").empty());
  CHECK_FALSE(tap_name_problem("..").empty());
  CHECK_FALSE(tap_name_problem("space name").empty());
  CHECK_FALSE(tap_name_problem(std::string(201, 'x')).empty());
  CHECK(tap_object_name("ringcorder") == "/ringcorder-tap-ringcorder");
  CHECK_THROWS_AS(TapPublisher("a/b", 48000, {}, 2), std::invalid_argument);
  CHECK_THROWS_AS(TapPublisher(unique_name("geometry"), 48000, {1, 1024}, 2),
                  std::invalid_argument);
}

TEST_CASE("a reader of a live tap gets every block and gap at its timeline position") {
  const std::string name = unique_name("live");
  std::optional<TapPublisher> tap(std::in_place, name, 44100, TapGeometry{8, 256}, 2);
  TapReader reader(name);
  CHECK(reader.rate() == 44100);
  CHECK(reader.slot_count() == 8);
  CHECK(reader.slot_frames() == 256);
  CHECK(reader.writer_pid() == ::getpid());

  Drain d;
  CHECK(d.step(reader) == TapEvent::idle);
  const auto a = counter(0, 100);
  tap->on_frames(0, a);
  tap->on_silence(100, 600);        // 256 + 256 + 88: three slots
  const auto b = counter(700, 300); // 256 + 44
  tap->on_frames(700, b);
  CHECK(tap->blocks_published() == 6);
  d.until_idle(reader);
  CHECK(d.last == TapEvent::idle);
  CHECK(d.blocks == 6);
  CHECK(d.missed_blocks == 0);
  REQUIRE(d.frames.size() == 1000);
  for (std::size_t i = 0; i < 1000; ++i) {
    const bool silent = i >= 100 && i < 700;
    CHECK(d.frames[i].left == (silent ? 0.0f : float(i + 1)));
  }

  // The capture ends: what is left is read, then "finished"; the name is gone for new readers.
  tap->on_frames(1000, counter(1000, 10));
  tap.reset();
  CHECK_FALSE(object_exists(name));
  CHECK(d.step(reader) == TapEvent::block);
  CHECK(d.step(reader) == TapEvent::finished);
  CHECK(reader.frames() == 1010); // audio and published silence alike
  CHECK_THROWS_WITH_AS(TapReader{name}, doctest::Contains("no tap"), std::runtime_error);
}

TEST_CASE("a lapped reader counts exactly the blocks and frames it missed") {
  const std::string name = unique_name("lapped");
  TapPublisher tap(name, 48000, {4, 64}, 2);
  TapReader reader(name);
  Drain d;
  std::uint64_t position = 0;
  for (int i = 0; i < 3; ++i, position += 64) tap.on_frames(position, counter(position, 64));
  d.until_idle(reader); // 3 read
  for (int i = 0; i < 10; ++i, position += 64) tap.on_frames(position, counter(position, 64));
  d.until_idle(reader); // 6 missed, 4 read
  CHECK(d.blocks == 7);
  CHECK(d.missed_blocks == 6);
  CHECK(d.missed_frames == 6 * 64);
  CHECK(d.blocks + d.missed_blocks == tap.blocks_published());
  CHECK(reader.missed_blocks() == 6);
  CHECK(reader.missed_frames() == 6 * 64);
  // The copy keeps the timeline: the missed frames are silence at their own place.
  REQUIRE(d.frames.size() == position);
  for (std::size_t i = 0; i < d.frames.size(); ++i) {
    const bool missed = i >= 3 * 64 && i < 9 * 64;
    CHECK(d.frames[i].left == (missed ? 0.0f : float(i + 1)));
  }
}

TEST_CASE(
    "a reader lapped before its first copy counts the frames it missed from where it attached") {
  // Attached before anything was published; the capture's timeline starts at 1000.
  const std::string name = unique_name("lapped-first");
  TapPublisher tap(name, 48000, {4, 64}, 2);
  TapReader empty(name);
  std::uint64_t position = 1000;
  for (int i = 0; i < 3; ++i, position += 64) tap.on_frames(position, counter(position, 64));
  // Attached when three slots were held: it starts at the oldest, 1000 as well.
  TapReader held(name);
  for (int i = 0; i < 7; ++i, position += 64) tap.on_frames(position, counter(position, 64));
  // Ten slots published, 6..9 held: both readers missed 6 slots of 64 frames before their first.
  for (TapReader* reader : {&empty, &held}) {
    Drain d;
    d.until_idle(*reader);
    CHECK(d.blocks == 4);
    CHECK(d.missed_blocks == 6);
    CHECK(d.missed_frames == 6 * 64);
    CHECK(reader->missed_frames() == 6 * 64);
    CHECK(reader->first_frame() == 1000);
    // The copy covers the timeline from where the reader attached: silence, then slots 6..9.
    REQUIRE(d.frames.size() == position - 1000);
    for (std::size_t i = 0; i < d.frames.size(); ++i)
      CHECK(d.frames[i].left == (i < 6 * 64 ? 0.0f : float(1000 + i + 1)));
  }
}

TEST_CASE("a name a live capture publishes is refused - a dead or finished capture's is reused") {
  const std::string name = unique_name("refuse");
  // Another live process's capture, its heartbeat fresh (this process's own would count as a
  // leftover: one process runs one capture).
  forge_tap(name, ::getppid(), monotonic_ns());
  CHECK_THROWS_WITH_AS(TapPublisher(name, 48000, {}, 2), doctest::Contains("already published"),
                       std::runtime_error);
  CHECK(object_exists(name)); // the refusal leaves the live tap alone
  ::shm_unlink(tap_object_name(name).c_str());
  {
    TapPublisher first(name, 48000, {4, 64}, 2);
    TapReader still(name);
  }
  CHECK_FALSE(object_exists(name)); // a publisher removes its own name

  forge_tap(name, dead_pid(), monotonic_ns()); // the leftover of a capture that died
  TapPublisher reused(name, 48000, {4, 64}, 2);
  TapReader reader(name);
  CHECK(reader.writer_pid() == ::getpid());
  CHECK(reader.published() == 0);
}

// Creates the object of tap `name` sized but not formatted (a capture between its shm_open and
// its ring's first word), last modified `age_s` seconds ago.
void forge_unformatted(const std::string& name, int age_s) {
  const int fd = ::shm_open(tap_object_name(name).c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, 4096) == 0);
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const timespec times[2] = {{now.tv_sec - age_s, 0}, {now.tv_sec - age_s, 0}};
  REQUIRE(::futimens(fd, times) == 0);
  ::close(fd);
}

TEST_CASE("a tap being set up is in use - a stale or our own is a leftover - we remove only ours") {
  const std::string name = unique_name("race");
  SUBCASE("not formatted yet and new: another capture is setting it up") {
    forge_unformatted(name, 0);
    CHECK_THROWS_WITH_AS(TapPublisher(name, 48000, {4, 64}, 2), doctest::Contains("set up"),
                         std::runtime_error);
    CHECK(object_exists(name));
  }
  SUBCASE("not formatted and a minute old: its capture died setting it up") {
    forge_unformatted(name, 60);
    TapPublisher reused(name, 48000, {4, 64}, 2);
    CHECK(TapReader(name).writer_pid() == ::getpid());
  }
  SUBCASE("its writer lives but its heartbeat stopped: stopped or hung, a leftover") {
    forge_tap(name, ::getppid(),
              monotonic_ns() - std::chrono::nanoseconds(tap_heartbeat_timeout).count() -
                  3'000'000'000);
    TapPublisher reused(name, 48000, {4, 64}, 2);
    CHECK(TapReader(name).writer_pid() == ::getpid());
  }
  SUBCASE("its writer is this process (an earlier run in it that did not finish): a leftover") {
    forge_tap(name, ::getpid(), monotonic_ns());
    TapPublisher reused(name, 48000, {4, 64}, 2);
    CHECK(TapReader(name).published() == 0);
  }
  SUBCASE("a publisher whose name now holds another capture's object leaves that one alone") {
    {
      TapPublisher ours(name, 48000, {4, 64}, 2);
      ::shm_unlink(tap_object_name(name).c_str()); // as another capture replacing a leftover
      forge_tap(name, dead_pid(), monotonic_ns());
    }
    CHECK(object_exists(name));
  }
  ::shm_unlink(tap_object_name(name).c_str());
}

TEST_CASE(
    "a reader says the capture is gone: dead, unreaped or silent, after reading what is left") {
  SUBCASE("the writer process is dead") {
    const std::string name = unique_name("dead");
    forge_tap(name, dead_pid(), monotonic_ns());
    TapReader reader(name);
    Drain d;
    CHECK(d.step(reader) == TapEvent::block); // what it published is still read
    CHECK(d.step(reader) == TapEvent::writer_gone);
    CHECK(reader.gone_reason().find("crashed or killed") != std::string::npos);
    ::shm_unlink(tap_object_name(name).c_str());
  }
  SUBCASE("the writer died and its parent has not reaped it (a zombie)") {
    const std::string name = unique_name("zombie");
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    // Wait until it is a zombie (without reaping it).
    siginfo_t info{};
    REQUIRE(::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT) == 0);
    CHECK_FALSE(process_alive(child));
    forge_tap(name, child, monotonic_ns());
    TapReader reader(name);
    Drain d;
    d.until_idle(reader);
    CHECK(d.last == TapEvent::writer_gone);
    ::waitpid(child, nullptr, 0);
    ::shm_unlink(tap_object_name(name).c_str());
  }
  SUBCASE("the writer lives but its heartbeat stopped too long ago (stopped or hung)") {
    const std::string name = unique_name("silent");
    constexpr std::int64_t too_long_ns =
        std::chrono::nanoseconds(tap_heartbeat_timeout).count() + 500'000'000;
    forge_tap(name, ::getpid(), monotonic_ns() - too_long_ns);
    TapReader reader(name);
    Drain d;
    d.until_idle(reader);
    CHECK(d.last == TapEvent::writer_gone);
    CHECK(reader.gone_reason().find("no heartbeat") != std::string::npos);
    ::shm_unlink(tap_object_name(name).c_str());
  }
  CHECK(process_alive(::getpid()));
}

TEST_CASE("a live publisher keeps its heartbeat fresh without publishing") {
  const std::string name = unique_name("beat");
  TapPublisher tap(name, 48000, {4, 64}, 2);
  TapReader reader(name);
  Drain d;
  // Longer than the timeout: without its beats the reader would call the writer gone.
  const auto until =
      std::chrono::steady_clock::now() + tap_heartbeat_timeout + std::chrono::milliseconds(300);
  while (std::chrono::steady_clock::now() < until) {
    REQUIRE(d.step(reader) == TapEvent::idle);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TEST_CASE("across processes: a slow reader misses blocks, counted exactly - a killed writer is "
          "noticed") {
  const std::string name = unique_name("fork");
  constexpr std::uint64_t blocks = 2000;
  constexpr std::size_t frames = 128;
  // ready: the writer's tap exists; attached: the reader has attached, so it starts at the
  // first block however late a loaded machine runs either process (a reader attached after 17
  // blocks would start at the oldest one held, and count from there).
  int ready[2], attached[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(attached) == 0);
  const pid_t child = ::fork();
  if (child == 0) {
    // The capture's side: publish `blocks` blocks about 10 us apart, then finish.
    int status = 0;
    try {
      TapPublisher tap(name, 48000, {16, frames}, 2);
      char go = 1;
      if (::write(ready[1], &go, 1) != 1) ::_exit(3);
      if (::read(attached[0], &go, 1) != 1) ::_exit(4);
      for (std::uint64_t b = 0; b < blocks; ++b) {
        const auto block = counter(b * frames, frames);
        tap.on_frames(b * frames, block);
        std::this_thread::sleep_for(std::chrono::microseconds(10));
      }
    } catch (...) {
      status = 2;
    }
    ::_exit(status);
  }
  char go = 0;
  REQUIRE(::read(ready[0], &go, 1) == 1);
  TapReader reader(name);
  REQUIRE(::write(attached[1], &go, 1) == 1);
  CHECK(reader.start_sequence() == 0);
  Drain d;
  while (d.step(reader) != TapEvent::finished) {
    REQUIRE(d.last != TapEvent::writer_gone);
    // A slow reader: 200 us a block, while the writer publishes one every ~10-60 us.
    std::this_thread::sleep_for(std::chrono::microseconds(d.last == TapEvent::block ? 200 : 50));
  }
  int status = -1;
  ::waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(reader.published() == blocks);
  CHECK(d.missed_blocks > 0);
  CHECK(d.blocks + d.missed_blocks == blocks);
  CHECK(d.frames.size() == blocks * frames);
  CHECK(d.missed_frames == d.missed_blocks * frames);
  // Silence only where whole blocks were missed, as many as were counted; the counter elsewhere.
  std::uint64_t wrong = 0, silent_blocks = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    const bool silent = d.frames[b * frames].left == 0.0f;
    silent_blocks += silent ? 1 : 0;
    for (std::size_t i = b * frames; i < (b + 1) * frames; ++i)
      if (d.frames[i].left != (silent ? 0.0f : float(i + 1))) ++wrong;
  }
  CHECK(wrong == 0);
  CHECK(silent_blocks == d.missed_blocks);
  MESSAGE("read " << d.blocks << ", missed " << d.missed_blocks << " of " << blocks);

  // A writer killed mid-run: the reader says so, well within the heartbeat's timeout.
  const std::string killed = unique_name("killed");
  const pid_t victim = ::fork();
  if (victim == 0) {
    TapPublisher tap(killed, 48000, {16, frames}, 2);
    char ok = 1;
    if (::write(ready[1], &ok, 1) != 1) ::_exit(3);
    if (::read(attached[0], &ok, 1) != 1) ::_exit(4);
    for (std::uint64_t b = 0;; ++b) {
      tap.on_frames(b * frames, counter(b * frames, frames));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  REQUIRE(::read(ready[0], &go, 1) == 1);
  TapReader victim_reader(killed);
  REQUIRE(::write(attached[1], &go, 1) == 1);
  for (int fd : {ready[0], ready[1], attached[0], attached[1]}) ::close(fd);
  CHECK(victim_reader.start_sequence() == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ::kill(victim, SIGKILL);
  ::waitpid(victim, nullptr, 0);
  const std::int64_t killed_at = monotonic_ns();
  Drain v;
  while (v.step(victim_reader) != TapEvent::writer_gone) {
    REQUIRE(v.last != TapEvent::finished);
    REQUIRE(monotonic_ns() - killed_at < 3'000'000'000);
    if (v.last == TapEvent::idle) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  CHECK(v.blocks > 0);
  CHECK(v.blocks + v.missed_blocks == victim_reader.published());
  // Known from the pid (checked every 100 ms), not from the heartbeat's timeout (2 s in a
  // release build, which the bound above also lets through).
  CHECK(victim_reader.gone_reason().find("crashed or killed") != std::string::npos);
  ::shm_unlink(tap_object_name(killed).c_str());
}

TEST_CASE("the capture consumer publishes what it writes, gap silence included") {
  ringbuf::FrameRing frames(2, 512);
  ringbuf::SpscRing<BlockHeader> headers(64);
  CaptureCounters counters;
  test::MemorySink sink;
  CaptureProducer producer({frames, headers, counters}, 2, ChannelMap::pair(0, 1), ~0ull);
  CaptureConsumer consumer({frames, headers, counters}, sink, 512);
  const std::string name = unique_name("consumer");
  TapPublisher tap(name, 48000, {64, 128}, 2);
  consumer.set_observer(&tap);
  TapReader reader(name);

  std::uint64_t position = 0;
  auto callback = [&](std::uint32_t n) {
    std::vector<float> input;
    for (std::uint32_t i = 0; i < n; ++i) {
      input.push_back(float(position + i + 1));
      input.push_back(0.5f);
    }
    position += n;
    producer.on_input(input.data(), n, 0, 0);
  };
  callback(256);
  callback(200);
  callback(256); // 56 fit, 200 dropped
  CHECK(consumer.drain());
  callback(100); // its header carries the gap
  CHECK(consumer.drain());
  CHECK(consumer.finish(producer.unreported_gap()));

  Drain d;
  d.until_idle(reader);
  CHECK(d.missed_blocks == 0);
  REQUIRE(d.frames.size() == sink.frames.size());
  std::uint64_t differ = 0;
  for (std::size_t i = 0; i < d.frames.size(); ++i)
    if (d.frames[i].left != sink.frames[i].left || d.frames[i].right != sink.frames[i].right)
      ++differ;
  CHECK(differ == 0);
  CHECK(sink.frames.size() == 812); // 256 + 200 + 56, 200 of silence, 100
}

TEST_CASE("a tap of 8 channels carries every channel, and a reader sees the count") {
  const std::string name = unique_name("eight");
  TapPublisher tap(name, 48000, {8, 100}, 8);
  TapReader reader(name);
  CHECK(reader.channels() == 8);
  CHECK(reader.slot_frames() == 100);
  std::vector<float> block;
  for (std::size_t n = 0; n < 250; ++n)
    for (int c = 0; c < 8; ++c) block.push_back(float(n + 1) + 1000.0f * float(c));
  tap.on_frames(0, ConstFrames{block.data(), 250, 8}); // 100 + 100 + 50
  tap.on_silence(250, 30);
  Drain d;
  d.until_idle(reader);
  CHECK(d.blocks == 4);
  REQUIRE(d.frames.channels == 8);
  REQUIRE(d.frames.size() == 280);
  std::size_t wrong = 0;
  for (std::size_t n = 0; n < 280; ++n)
    for (int c = 0; c < 8; ++c)
      wrong += d.frames.at(n, c) != (n < 250 ? float(n + 1) + 1000.0f * float(c) : 0.0f);
  CHECK(wrong == 0);
}
