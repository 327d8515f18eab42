// tests/tools/counter_signal.hpp - the test signal that makes lost or repeated frames visible.
//
// Frame n carries left = ((n mod 2^24) - 2^23) / 2^23 (exact in float and in 24-bit PCM) and
// right = 0.5, a marker: a frame a recorder wrote as silence has right == 0.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace rc::test {

inline constexpr std::uint32_t counter_period = 1u << 24;
inline constexpr float counter_marker = 0.5f;

/// Returns: the left sample of frame n.
inline float counter_left(std::uint64_t n) {
  return float(std::int64_t(n % counter_period) - std::int64_t(counter_period / 2)) /
         float(counter_period / 2);
}

/// Returns: n mod 2^24 recovered from a left sample; 0 for NaN or a sample outside [-1, 1],
/// which no counter frame carries (damaged frames must be reported, not undefined behaviour).
inline std::uint32_t counter_value(float left) {
  if (!(left >= -1.0f && left <= 1.0f)) return 0;
  const auto k = static_cast<std::int64_t>(left * float(counter_period / 2)) + counter_period / 2;
  return static_cast<std::uint32_t>(k) % counter_period;
}

/// A run of silent frames inside the counter, in file positions.
struct Gap {
  std::uint64_t frame = 0;  ///< First silent frame.
  std::uint64_t frames = 0; ///< Length.
  std::uint32_t after = 0;  ///< The counter (mod 2^24) of the last counter frame before it.
};

/// A place where the counter jumps: frames the audio host never delivered (a host xrun), as
/// opposed to frames the recorder dropped (those become silence, a Gap).
struct Jump {
  std::uint64_t frame = 0; ///< File position of the first frame after the jump.
  std::int64_t shift = 0;  ///< Counter found minus counter expected there.
  std::uint32_t after = 0; ///< The counter (mod 2^24) of the last counter frame before it.
};

/// How a recording compares with the counter signal.
struct CounterCheck {
  std::uint64_t frames = 0;           ///< Frames in the file.
  std::uint64_t lead_in = 0;          ///< Frames before the counter starts (right == 0).
  std::uint64_t counter_frames = 0;   ///< Frames that continue the counter exactly.
  std::uint64_t first_counter = 0;    ///< The counter (mod 2^24) at the first counter frame.
  std::vector<Gap> gaps;              ///< Silence inside the recording (dropped frames).
  std::uint64_t tail_silence = 0;     ///< Silence at the very end.
  std::uint64_t errors = 0;           ///< Frames that are neither counter nor silence.
  std::int64_t first_error = -1;      ///< Position of the first such frame.
  std::int64_t first_error_shift = 0; ///< There, the counter found minus the one expected.
  std::vector<Gap> error_runs;        ///< Runs of consecutive error frames (`after` as a gap's).
  std::vector<Jump> jumps;            ///< Resynchronisations, only when `resync` was asked for.
};

/// Effects: counts frame `at` as an error in `runs`: it lengthens the last run when it follows
/// it, else opens a run after counter value `last`.
inline void note_error_run(std::vector<Gap>& runs, std::uint64_t at, std::uint32_t last) {
  if (!runs.empty() && runs.back().frame + runs.back().frames == at)
    ++runs.back().frames;
  else
    runs.push_back({at, 1, last});
}

/// Returns: the check of interleaved stereo `samples` (left, right, left, right, ...).
/// After the lead-in the counter must continue at the value matching each frame's position: a
/// recorder that replaces dropped frames with the same amount of silence keeps that true.
/// With `resync`, a frame that carries the marker but the wrong count starts a Jump and the
/// check continues from its value (so one host xrun is one jump, not errors to the end); frames
/// that are neither counter nor silence stay errors.
inline CounterCheck check_counter(std::span<const float> samples, bool resync = false) {
  CounterCheck r;
  r.frames = samples.size() / 2;
  std::uint64_t i = 0;
  while (i < r.frames && samples[2 * i + 1] == 0.0f) ++i;
  r.lead_in = i;
  if (i == r.frames) return r;
  std::uint64_t base = counter_value(samples[2 * i]);
  r.first_counter = base;
  // The counter of the last counter frame: where a gap or jump sits in the signal's own
  // timeline, the same in every recording of one source (tests compare recorders by it).
  std::uint32_t last = static_cast<std::uint32_t>((base + counter_period - 1) % counter_period);
  Gap open{};
  bool in_gap = false;
  for (; i < r.frames; ++i) {
    const float l = samples[2 * i], rr = samples[2 * i + 1];
    const std::uint64_t expected = base + (i - r.lead_in);
    if (l == 0.0f && rr == 0.0f) {
      if (!in_gap) open = {i, 0, last}, in_gap = true;
      ++open.frames;
      continue;
    }
    if (in_gap) r.gaps.push_back(open), in_gap = false;
    if (rr == counter_marker && l == counter_left(expected)) {
      ++r.counter_frames;
      last = counter_value(l);
    } else if (resync && rr == counter_marker) {
      const std::int64_t shift =
          std::int64_t(counter_value(l)) - std::int64_t(expected % counter_period);
      r.jumps.push_back({i, shift, last});
      base = std::uint64_t(std::int64_t(base) + shift);
      ++r.counter_frames;
      last = counter_value(l);
    } else {
      if (r.first_error < 0) {
        r.first_error = static_cast<std::int64_t>(i);
        r.first_error_shift =
            std::int64_t(counter_value(l)) - std::int64_t(expected % counter_period);
      }
      ++r.errors;
      note_error_run(r.error_runs, i, last);
    }
  }
  if (in_gap) r.tail_silence = open.frames;
  return r;
}

/// A multichannel counter: channel k carries the counter `k * counter_channel_offset` frames
/// ahead, so every channel of every frame is told apart (up to 64 channels). No marker channel:
/// a frame a recorder wrote as silence is 0 in every channel.
inline constexpr std::uint32_t counter_channel_offset = counter_period / 64;

/// Returns: channel `channel` of frame n of the multichannel counter.
inline float counter_sample(std::uint64_t n, int channel) {
  return counter_left(n + std::uint64_t(channel) * counter_channel_offset);
}

/// How a recording of `channels` channels compares with the multichannel counter.
struct MultiCounterCheck {
  std::uint64_t frames = 0;         ///< Frames in the file.
  std::uint64_t lead_in = 0;        ///< Silent frames before the counter starts.
  std::uint64_t counter_frames = 0; ///< Frames that continue the counter exactly, every channel.
  std::uint64_t first_counter = 0;  ///< Channel 0's counter (mod 2^24) at the first counter frame.
  std::vector<Gap> gaps;            ///< Silence inside the recording (dropped frames).
  std::uint64_t tail_silence = 0;   ///< Silence at the very end.
  std::uint64_t errors = 0;         ///< Frames with a channel that is neither counter nor silence.
  std::int64_t first_error = -1;    ///< Position of the first such frame.
  int first_error_channel = -1;     ///< Its first wrong channel.
  std::vector<Gap> error_runs;      ///< Runs of consecutive error frames (`after` as a gap's).
  /// For each of error_runs: whether every frame in it is torn, its channels from two frames of
  /// the counter (each channel exactly the counter of its frame): what a host gives a client that
  /// reads a source's ports while a cycle refills them, as opposed to damaged samples.
  std::vector<bool> torn_runs;
  std::vector<Jump> jumps; ///< Resynchronisations, only when `resync` was asked for.
};

/// In the `sources` of check_counter_multi: a file channel that must be silent throughout (a
/// device channel the source left silent, e.g. every channel but one for a level trigger).
inline constexpr int silent_source = -1;

/// Returns: the check of interleaved `samples` of `channels` channels against the multichannel
/// counter: after the lead-in (the frames before the first one carrying the counter in every
/// channel), frame i must carry counter_sample(first + i, source(k)) in channel k, or be silent
/// in every channel (a gap). `sources` says which counter channel each file channel recorded
/// (empty: channel k recorded counter channel k; silent_source: a channel that must stay 0). A
/// counter frame whose every sample happens to be 0 (the expected value decides) is still a
/// counter frame. With `resync`, a frame that is whole (every channel the counter of one frame)
/// but at the wrong count starts a Jump and the check continues from it, as check_counter does:
/// a host xrun is one jump, not errors to the end.
inline MultiCounterCheck check_counter_multi(std::span<const float> samples, int channels,
                                             std::span<const int> sources = {},
                                             bool resync = false) {
  const auto source = [&](std::size_t k) { return sources.empty() ? int(k) : sources[k]; };
  MultiCounterCheck r;
  const auto stride = static_cast<std::size_t>(channels);
  r.frames = samples.size() / stride;
  // The channel whose counter gives a frame's count: the first that is not silent_source.
  std::size_t reference = 0;
  while (reference < stride && source(reference) == silent_source) ++reference;
  const auto expected_sample = [&](std::uint64_t n, std::size_t k) {
    return source(k) == silent_source ? 0.0f : counter_sample(n, source(k));
  };
  const auto silent = [&](std::uint64_t i) {
    for (std::size_t k = 0; k < stride; ++k)
      if (samples[i * stride + k] != 0.0f) return false;
    return true;
  };
  // The frame number n whose counter frame i carries, from the reference channel.
  const auto base_of = [&](std::uint64_t i) {
    return (counter_value(samples[i * stride + reference]) + counter_period -
            std::uint64_t(source(reference)) * counter_channel_offset % counter_period) %
           counter_period;
  };
  const auto complete = [&](std::uint64_t i) {
    if (reference == stride) return false; // every channel silent: no frame carries a count
    const std::uint64_t b = base_of(i);
    for (std::size_t k = 0; k < stride; ++k)
      if (samples[i * stride + k] != expected_sample(b, k)) return false;
    return true;
  };
  // The lead-in: until the first frame that carries the counter in every channel. A source's
  // ports connect one after another, a cycle or so apart, so the first frames may carry it in
  // some channels only: there each channel is silent or already the counter. After the first
  // complete frame, every frame must be whole. Without one, every frame that is not silent is
  // an error (a channel that never carries its counter: the wrong channel recorded).
  std::uint64_t i = 0;
  while (i < r.frames && (silent(i) || !complete(i))) ++i;
  std::uint32_t last = 0; // the counter of the last counter frame (0 in the lead-in)
  // Whether frame i holds two frames of the counter across its channels, each channel exactly.
  const auto torn = [&](std::uint64_t i) {
    std::uint64_t frames[2];
    int distinct = 0;
    for (std::size_t k = 0; k < stride; ++k) {
      if (source(k) == silent_source) continue;
      const float v = samples[i * stride + k];
      const std::uint64_t n = (counter_value(v) + counter_period -
                               std::uint64_t(source(k)) * counter_channel_offset % counter_period) %
                              counter_period;
      if (v != counter_sample(n, source(k))) return false;
      int d = 0;
      while (d < distinct && frames[d] != n) ++d;
      if (d == distinct) {
        if (distinct == 2) return false;
        frames[distinct++] = n;
      }
    }
    return distinct == 2;
  };
  const auto note_error = [&](std::uint64_t at, int channel) {
    if (r.first_error < 0) r.first_error = std::int64_t(at), r.first_error_channel = channel;
    ++r.errors;
    const std::size_t runs = r.error_runs.size();
    note_error_run(r.error_runs, at, last);
    if (r.error_runs.size() != runs)
      r.torn_runs.push_back(torn(at));
    else
      r.torn_runs.back() = r.torn_runs.back() && torn(at);
  };
  if (i == r.frames) {
    for (std::uint64_t j = 0; j < r.frames; ++j)
      if (!silent(j)) note_error(j, 0);
    return r;
  }
  r.lead_in = i;
  std::uint64_t base = base_of(i);
  for (std::uint64_t j = 0; j < i; ++j) {
    const std::uint64_t expected = base + counter_period * 2 - (i - j); // never below zero
    for (std::size_t k = 0; k < stride; ++k) {
      const float v = samples[j * stride + k];
      if (v != 0.0f && v != expected_sample(expected, k)) {
        note_error(j, int(k));
        break;
      }
    }
  }
  r.first_counter = base;
  last = static_cast<std::uint32_t>((base + counter_period - 1) % counter_period);
  Gap open{};
  bool in_gap = false;
  for (; i < r.frames; ++i) {
    const std::uint64_t expected = base + (i - r.lead_in);
    int wrong = -1;
    for (std::size_t k = 0; k < stride && wrong < 0; ++k)
      if (samples[i * stride + k] != expected_sample(expected, k)) wrong = int(k);
    if (wrong < 0) {
      if (in_gap) r.gaps.push_back(open), in_gap = false;
      ++r.counter_frames;
      last = static_cast<std::uint32_t>(expected % counter_period);
    } else if (silent(i)) {
      if (!in_gap) open = {i, 0, last}, in_gap = true;
      ++open.frames;
    } else if (resync && complete(i)) {
      if (in_gap) r.gaps.push_back(open), in_gap = false;
      const std::int64_t shift = std::int64_t(base_of(i)) - std::int64_t(expected % counter_period);
      r.jumps.push_back({i, shift, last});
      base = std::uint64_t(std::int64_t(base) + shift);
      ++r.counter_frames;
      last = static_cast<std::uint32_t>(base_of(i));
    } else {
      if (in_gap) r.gaps.push_back(open), in_gap = false;
      note_error(i, wrong);
    }
  }
  if (in_gap) r.tail_silence = open.frames;
  return r;
}

} // namespace rc::test
