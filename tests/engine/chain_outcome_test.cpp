// tests/engine/chain_outcome_test.cpp - an offline chain's typed outcome when an effect ends the
// output (silence after its last BELOW period, sox's SOX_EOF): where in the input it ended,
// whatever the block size, what flush() still gives, and the pieces sox's ': newfile : restart'
// is made of: split_effect_chain's cut and numbered_output's names.
#include "engine/dsp/chain_parser.hpp"
#include "engine/dsp/effect_chain.hpp"
#include "engine/dsp/time_effects.hpp"
#include "engine/offline/process_job.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

using namespace rc;

namespace {

constexpr int channels = 2;
constexpr double rate = 1000;

/// Returns: (frames, loud) runs: 0.5 (and -0.5 in channel 2) or zeros.
std::vector<float> signal(const std::vector<std::pair<std::size_t, bool>>& runs) {
  std::vector<float> out;
  for (const auto& [frames, loud] : runs)
    for (std::size_t i = 0; i < frames; ++i) {
      out.push_back(loud ? 0.5f : 0.0f);
      out.push_back(loud ? -0.5f : 0.0f);
    }
  return out;
}

/// What running a chain on an input in blocks until it ended came to.
struct Ended {
  bool ended = false;          ///< The chain ended its output.
  std::size_t position = 0;    ///< Input frames taken when it ended (all of them if not).
  std::size_t out_frames = 0;  ///< Frames given before the end.
  std::size_t flushed = 0;     ///< Frames flush() gave after it.
  std::size_t after_taken = 0; ///< Frames a process() after the end took.
};

Ended run_until_end(const std::vector<std::string>& words, const std::vector<float>& input,
                    std::size_t block) {
  EffectChain chain = parse_effect_chain(words);
  const std::size_t frames = input.size() / channels;
  chain.set_input_length(frames, rate);
  chain.configure({channels, rate, block});
  Ended r;
  std::size_t* counter = &r.out_frames;
  const auto sink = [&counter](AudioBlock b) { *counter += b.frames; };
  std::vector<float> scratch(block * channels);
  for (std::size_t at = 0; at < frames; at += block) {
    const std::size_t n = std::min(block, frames - at);
    std::copy(input.begin() + static_cast<std::ptrdiff_t>(at * channels),
              input.begin() + static_cast<std::ptrdiff_t>((at + n) * channels), scratch.begin());
    const ChainOutcome o = chain.process({scratch.data(), n, channels}, sink);
    if (!o.ended) {
      REQUIRE(o.frames_used == n);
      continue;
    }
    r.ended = true;
    r.position = at + o.frames_used;
    CHECK(chain.ended());
    r.after_taken = chain.process({scratch.data(), n, channels}, sink).frames_used;
    break;
  }
  if (!r.ended) r.position = frames;
  counter = &r.flushed;
  chain.flush(sink);
  return r;
}

const std::vector<std::string> split_words{"silence", "1", "0.01", "1%", "1", "0.05", "1%"};

} // namespace

TEST_CASE("a chain says where silence ended its output, the same for every block size") {
  // 200 loud, 300 silent (the output ends 50 frames into it), 200 loud.
  const std::vector<float> input = signal({{200, true}, {300, false}, {200, true}});
  std::vector<std::size_t> positions;
  for (const std::size_t block :
       {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{4096}}) {
    CAPTURE(block);
    const Ended r = run_until_end(split_words, input, block);
    REQUIRE(r.ended);
    // Every frame up to the end went out or into the held silence of 50 frames (dropped).
    CHECK(r.position == r.out_frames + 50);
    CHECK(r.position > 200);
    CHECK(r.position < 300);
    CHECK(r.flushed == 0);
    CHECK(r.after_taken == 0); // an ended chain takes nothing more
    positions.push_back(r.position);
  }
  CHECK(std::all_of(positions.begin(), positions.end(),
                    [&](std::size_t p) { return p == positions.front(); }));
}

TEST_CASE("a filter before the ending silence keeps the end's frame exact") {
  const std::vector<float> input = signal({{200, true}, {300, false}, {200, true}});
  std::vector<std::string> words{"gain", "-1", "highpass", "-1", "5"};
  words.insert(words.end(), split_words.begin(), split_words.end());
  const Ended r = run_until_end(words, input, 64);
  REQUIRE(r.ended);
  CHECK(r.position == r.out_frames + 50);
}

TEST_CASE("an effect after the ending one still gives what it holds on flush") {
  const std::vector<float> input = signal({{200, true}, {300, false}, {200, true}});
  std::vector<std::string> words = split_words;
  words.push_back("reverse"); // holds everything until the input ends
  const Ended r = run_until_end(words, input, 64);
  REQUIRE(r.ended);
  CHECK(r.out_frames == 0);
  CHECK(r.flushed + 50 == r.position);
}

TEST_CASE("an effect that changes the length before the ending one gives the whole block") {
  const std::vector<float> input = signal({{200, true}, {3000, false}, {200, true}});
  std::vector<std::string> words{"rate", "2000"}; // twice the frames
  words.insert(words.end(), split_words.begin(), split_words.end());
  const Ended r = run_until_end(words, input, 64);
  REQUIRE(r.ended);
  CHECK(r.position % 64 == 0); // the rest of the block is dropped, as sox drops its buffers
}

TEST_CASE("trim ends the chain at the end of its last window, for every block size") {
  // sox's trim returns SOX_EOF once its last position is passed: `trim 0.1 0.2` ends at frame
  // 300 (0.1 + 0.2 s at 1000 Hz), having given 200 frames; an odd count keeps to the end.
  const std::vector<float> input = signal({{700, true}});
  for (const std::size_t block :
       {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{4096}}) {
    CAPTURE(block);
    const Ended r = run_until_end({"trim", "0.1", "0.2"}, input, block);
    REQUIRE(r.ended);
    CHECK(r.position == 300);
    CHECK(r.out_frames == 200);
    CHECK(r.after_taken == 0);
    const Ended two = run_until_end({"trim", "0", "0.1", "0.1", "0.1"}, input, block);
    REQUIRE(two.ended);
    CHECK(two.position == 300);
    CHECK(two.out_frames == 200);
    CHECK_FALSE(run_until_end({"trim", "0.1"}, input, block).ended);
  }
}

TEST_CASE("a trim that starts the chain can start at its first kept frame") {
  // What process_job does after seeking the input (sox's optimize_trim): the trim counts from
  // the frame it is told, and gives the same frames as it would from the start.
  EffectChain chain = parse_effect_chain({"trim", "0.25", "0.1"});
  chain.set_input_length(1000, rate);
  chain.configure({channels, rate, 64});
  auto* trim = dynamic_cast<TrimEffect*>(chain.effects().front().get());
  REQUIRE(trim != nullptr);
  REQUIRE(trim->frames_before_output() == 250);
  trim->start_at(250);
  std::vector<float> ramp(1000 * channels);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<float>(i / channels);
  std::vector<float> out;
  const auto sink = [&out](AudioBlock b) { out.insert(out.end(), b.data, b.data + b.frames * 2); };
  ChainOutcome o{};
  for (std::size_t at = 250; at < 1000 && !o.ended; at += 64) {
    const std::size_t n = std::min<std::size_t>(64, 1000 - at);
    o = chain.process({ramp.data() + at * channels, n, channels}, sink);
  }
  CHECK(o.ended);
  REQUIRE(out.size() == 100 * channels);
  CHECK(out.front() == 250.0f);
  CHECK(out.back() == 349.0f);
}

TEST_CASE("a trim says where it takes no more input: its last window's end, or none when open") {
  // process_job stops reading there (PassInput::stop_at) instead of a few blocks later.
  const auto wanted = [](std::vector<std::string> words) {
    EffectChain chain = parse_effect_chain(words);
    chain.set_input_length(1000, rate);
    chain.configure({channels, rate, 64});
    return chain.effects().front()->frames_wanted();
  };
  CHECK(wanted({"trim", "0.25", "0.1"}) == 350);
  CHECK(wanted({"trim", "0", "0.1", "0.1", "0.1"}) == 300);
  CHECK(wanted({"trim", "0", "-0.1"}) == 900);   // from the end
  CHECK(wanted({"trim", "0.1", "=0.5"}) == 500); // from the start
  CHECK(wanted({"trim", "0.25"}) == UINT64_MAX); // to the end
  CHECK(wanted({"trim", "0", "0.1", "0.2"}) == UINT64_MAX);
  CHECK(wanted({"gain", "-3"}) == UINT64_MAX); // an effect that takes all of its input
}

TEST_CASE("silence without a positive below period never ends the chain") {
  const std::vector<float> input = signal({{200, true}, {300, false}, {200, true}});
  const Ended r = run_until_end({"silence", "1", "0.01", "1%", "-1", "0.05", "1%"}, input, 64);
  CHECK_FALSE(r.ended);
  CHECK(r.position == 700);
}

TEST_CASE("a reset chain takes input again after it ended") {
  EffectChain chain = parse_effect_chain(split_words);
  chain.configure({channels, rate, 4096});
  std::vector<float> input = signal({{200, true}, {300, false}});
  const auto sink = [](AudioBlock) {};
  REQUIRE(chain.process({input.data(), 500, channels}, sink).ended);
  chain.reset();
  CHECK_FALSE(chain.ended());
  CHECK(chain.process({input.data(), 100, channels}, sink).frames_used == 100);
}

TEST_CASE("split_effect_chain cuts the words where sox does") {
  using Kind = ChainSegment::Kind;
  const auto kinds = [](const std::vector<ChainSegment>& s) {
    std::string out;
    for (const ChainSegment& c : s)
      out += c.kind == Kind::newfile   ? "N"
             : c.kind == Kind::restart ? "R"
             : c.words.empty()         ? "0"
                                       : "E";
    return out;
  };
  CHECK(kinds(split_effect_chain({})) == "0");
  CHECK(kinds(split_effect_chain({"gain", "-3"})) == "E");
  CHECK(kinds(split_effect_chain({"gain", "-3", ":"})) == "E0");
  CHECK(kinds(split_effect_chain({"gain", "-3", ":", ":", "gain", "1"})) == "EE");
  const std::vector<std::string> recipe{"silence", "1", "0.5",     "1%", "1",      "0.5",
                                        "1%",      ":", "newfile", ":",  "restart"};
  const auto segments = split_effect_chain(recipe);
  CHECK(kinds(segments) == "ENR0");
  CHECK(segments.front().words == std::vector<std::string>(recipe.begin(), recipe.begin() + 7));
  CHECK(splits_output(segments));
  CHECK(kinds(split_effect_chain(
            {"silence", "1", "0.1", "1%", "1", "0.1", "1%", "newfile", "restart"})) == "ENR0");
  CHECK(kinds(split_effect_chain({"silence", "1", "0.1", "1%", "1", "0.1", "1%", ":", "newfile",
                                  ":", "trim", "0", "1"})) == "ENE");
  CHECK_FALSE(splits_output(split_effect_chain({"gain", "-3", ":", "gain", "1"})));
}

TEST_CASE("split_effect_chain refuses with ChainSyntaxError only") {
  for (const std::vector<std::string>& words : std::vector<std::vector<std::string>>{
           {":"},
           {"newfile"},
           {"restart"},
           {":", "gain", "1"},
           {"gain", "1", ":", "restart"},
           {"gain", "1", ":", "newfile", "x"},
           {"gain", "1", ":", "newfile", ":", "restart", "gain", "1"},
           {"gain", "1", ":", "newfile", ":", "restart", ":", "restart"},
           {"gain", "1", ":", "newfile", ":", "gain", "x"},
           {"gain", "1", ":", "bogus"}}) {
    CAPTURE(words.size());
    CHECK_THROWS_AS((void)split_effect_chain(words), ChainSyntaxError);
  }
  CHECK_THROWS_AS((void)parse_effect_chain({"gain", "1", ":", "newfile"}), ChainSyntaxError);
}

TEST_CASE("numbered_output names the parts as sox does") {
  CHECK(numbered_output("out.wav", 1) == "out001.wav");
  CHECK(numbered_output("out.wav", 12) == "out012.wav");
  CHECK(numbered_output("out.wav", 1234) == "out1234.wav");
  CHECK(numbered_output("dir/out", 2) == "dir/out002");
  CHECK(numbered_output("dir.v1/out", 2) == "dir.v1/out002"); // sox: dir001.v1/out
  CHECK(numbered_output("a.b.flac", 3) == "a.b003.flac");
  CHECK(numbered_output("part%n.wav", 3) == "part03.wav");
  CHECK(numbered_output("part%1n.wav", 3) == "part3.wav");
  CHECK(numbered_output("%4n-take.wav", 3) == "0003-take.wav");
  CHECK(numbered_output("50%x.wav", 1) == "50x001.wav"); // sox drops a '%' not before n
}

TEST_CASE("a chain's span runs only the effects in it, and configure() restores all of them") {
  // gain 6 (x2) then gain -6 (x1/2): the first alone doubles, the second alone halves.
  EffectChain chain = parse_effect_chain({"gain", "6.0206", "gain", "-6.0206"});
  chain.configure({1, rate, 8});
  std::vector<float> out;
  const auto sink = [&out](AudioBlock b) { out.assign(b.data, b.data + b.frames); };
  const auto run = [&](float x) {
    std::vector<float> in(4, x);
    chain.process({in.data(), in.size(), 1}, sink);
    return out.at(0);
  };
  CHECK(run(0.25f) == doctest::Approx(0.25f).epsilon(1e-4));
  chain.set_span(0, 1);
  CHECK(run(0.25f) == doctest::Approx(0.5f).epsilon(1e-4));
  chain.set_span(1, 2);
  CHECK(run(0.25f) == doctest::Approx(0.125f).epsilon(1e-4));
  chain.configure({1, rate, 8});
  CHECK(run(0.25f) == doctest::Approx(0.25f).epsilon(1e-4));
}
