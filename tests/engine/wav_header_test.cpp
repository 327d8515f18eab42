// Specification of wav_header: the fields and sizes of every layout (plain PCM, extensible,
// float with cbSize and fact), a stream's sizes, and a file's JUNK that becomes ds64 past the
// RIFF limit without the header changing size.
#include "engine/files/wav_header.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

using namespace rc;

namespace {

std::uint32_t u16(const std::vector<std::uint8_t>& b, std::size_t at) {
  return b.at(at) | b.at(at + 1) << 8;
}
std::uint32_t u32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return u16(b, at) | u16(b, at + 2) << 16;
}
std::uint64_t u64(const std::vector<std::uint8_t>& b, std::size_t at) {
  return u32(b, at) | std::uint64_t{u32(b, at + 4)} << 32;
}
std::string tag(const std::vector<std::uint8_t>& b, std::size_t at) {
  return std::string(b.begin() + static_cast<std::ptrdiff_t>(at),
                     b.begin() + static_cast<std::ptrdiff_t>(at + 4));
}

} // namespace

TEST_CASE("stream header: 16-bit stereo is plain PCM with exact sizes") {
  const auto h = wav_header({48000, 2, 16, false}, WavTarget::stream, 1000);
  REQUIRE(h.size() == 44);
  CHECK(tag(h, 0) == "RIFF");
  CHECK(u32(h, 4) == 36 + 4000);
  CHECK(tag(h, 8) == "WAVE");
  CHECK(tag(h, 12) == "fmt ");
  CHECK(u32(h, 16) == 16);
  CHECK(u16(h, 20) == 1); // WAVE_FORMAT_PCM
  CHECK(u16(h, 22) == 2);
  CHECK(u32(h, 24) == 48000);
  CHECK(u32(h, 28) == 48000 * 4); // bytes per second
  CHECK(u16(h, 32) == 4);         // block align
  CHECK(u16(h, 34) == 16);
  CHECK(tag(h, 36) == "data");
  CHECK(u32(h, 40) == 4000);
}

TEST_CASE("stream header: more bits or channels are WAVE_FORMAT_EXTENSIBLE") {
  for (const auto& [channels, bits, mask] :
       {std::tuple{1, 24, 0x4u}, std::tuple{2, 24, 0x3u}, std::tuple{8, 16, 0u},
        std::tuple{8, 24, 0u}, std::tuple{3, 32, 0u}}) {
    CAPTURE(channels);
    CAPTURE(bits);
    const auto h = wav_header({44100, channels, bits, false}, WavTarget::stream, 10);
    REQUIRE(h.size() == 12 + 8 + 40 + 8);
    CHECK(u32(h, 16) == 40);
    CHECK(u16(h, 20) == 0xFFFE);
    CHECK(u16(h, 22) == std::uint32_t(channels));
    CHECK(u16(h, 32) == std::uint32_t(channels * bits / 8));
    CHECK(u16(h, 34) == std::uint32_t(bits));
    CHECK(u16(h, 36) == 22);                  // cbSize
    CHECK(u16(h, 38) == std::uint32_t(bits)); // valid bits
    CHECK(u32(h, 40) == mask);                // speakers
    CHECK(u32(h, 44) == 1);                   // KSDATAFORMAT_SUBTYPE_PCM starts 01 00 00 00
    CHECK(u32(h, 56) == 0x719B3800);          // and ends 00 38 9b 71
    CHECK(tag(h, 60) == "data");
    CHECK(u32(h, 64) == 10u * std::uint32_t(channels * bits / 8));
  }
}

TEST_CASE("stream header: float is format 3 with cbSize 0 and a fact chunk at any channel count") {
  for (const int channels : {1, 2, 8}) {
    CAPTURE(channels);
    const auto h = wav_header({96000, channels, 32, true}, WavTarget::stream, 10);
    REQUIRE(h.size() == 12 + 8 + 18 + 12 + 8);
    CHECK(u32(h, 16) == 18);
    CHECK(u16(h, 20) == 3); // WAVE_FORMAT_IEEE_FLOAT, never extensible: sox warns on that
    CHECK(u16(h, 22) == std::uint32_t(channels));
    CHECK(u32(h, 28) == 96000u * 4 * std::uint32_t(channels));
    CHECK(u16(h, 34) == 32);
    CHECK(u16(h, 36) == 0); // cbSize
    CHECK(tag(h, 38) == "fact");
    CHECK(u32(h, 42) == 4);
    CHECK(u32(h, 46) == 10); // sample frames
    CHECK(tag(h, 50) == "data");
    CHECK(u32(h, 54) == 40u * std::uint32_t(channels));
    CHECK(u32(h, 4) == h.size() - 8 + 40u * std::uint32_t(channels));
  }
}

TEST_CASE("stream header: an unknown or too long length is the largest a reader takes") {
  const auto open = wav_header({44100, 8, 24, false}, WavTarget::stream, std::nullopt);
  CHECK(u32(open, 4) == 0x7FFFFFFF); // as arecord writes to a pipe
  CHECK(u32(open, 64) == 0x7FFFFFFF - open.size() + 8);
  const auto longer = wav_header({48000, 2, 16, false}, WavTarget::stream, 1ull << 30);
  CHECK(u32(longer, 4) == 0x7FFFFFFF);
  const auto fl = wav_header({48000, 2, 32, true}, WavTarget::stream, std::nullopt);
  CHECK(u32(fl, 46) == 0x7FFFFFFF / 8); // fact: the frames that placeholder holds
}

TEST_CASE("file header: a JUNK chunk reserves room for ds64 and sizes are exact") {
  const auto h = wav_header({48000, 2, 32, true}, WavTarget::file, 1000);
  REQUIRE(h.size() == 12 + 36 + 8 + 18 + 12 + 8);
  CHECK(tag(h, 0) == "RIFF");
  CHECK(u32(h, 4) == h.size() - 8 + 8000);
  CHECK(tag(h, 12) == "JUNK");
  CHECK(u32(h, 16) == 28);
  for (std::size_t i = 20; i < 48; ++i) CHECK(h[i] == 0);
  CHECK(tag(h, 48) == "fmt ");
  CHECK(u16(h, 56) == 3);
  CHECK(tag(h, 74) == "fact");
  CHECK(u32(h, 82) == 1000);
  CHECK(tag(h, 86) == "data");
  CHECK(u32(h, 90) == 8000);
  // No frames yet (or none said): an empty but valid file.
  const auto empty = wav_header({48000, 2, 32, true}, WavTarget::file, std::nullopt);
  CHECK(empty.size() == h.size());
  CHECK(u32(empty, 4) == h.size() - 8);
  CHECK(u32(empty, 90) == 0);
}

TEST_CASE("file header: past the RIFF limit it is RF64 with ds64, the same size") {
  const WavSpec spec{48000, 2, 32, true};
  const std::size_t size = wav_header(spec, WavTarget::file, 0).size();
  // The largest data that still fits a RIFF size of 4 GiB - 1 stays RIFF.
  const std::uint64_t fits = (riff_size_limit - (size - 8)) / 8;
  const auto riff = wav_header(spec, WavTarget::file, fits);
  CHECK(tag(riff, 0) == "RIFF");
  CHECK(u32(riff, 4) == size - 8 + fits * 8);
  const std::uint64_t frames = fits + 1;
  const auto h = wav_header(spec, WavTarget::file, frames);
  REQUIRE(h.size() == size);
  CHECK(tag(h, 0) == "RF64");
  CHECK(u32(h, 4) == 0xFFFFFFFF);
  CHECK(tag(h, 12) == "ds64");
  CHECK(u32(h, 16) == 28);
  CHECK(u64(h, 20) == size - 8 + frames * 8); // RIFF size
  CHECK(u64(h, 28) == frames * 8);            // data size
  CHECK(u64(h, 36) == frames);                // sample count
  CHECK(u32(h, 44) == 0);                     // no table
  CHECK(u32(h, 82) == 0xFFFFFFFF);            // fact: see ds64
  CHECK(u32(h, 90) == 0xFFFFFFFF);            // data: see ds64
  // A smaller limit (as the writer's tests use) moves the switch, nothing else.
  CHECK(tag(wav_header(spec, WavTarget::file, 10, size - 8 + 80), 0) == "RIFF");
  CHECK(tag(wav_header(spec, WavTarget::file, 11, size - 8 + 80), 0) == "RF64");
}

TEST_CASE("file header: integer layouts get the same reserve") {
  const auto h = wav_header({48000, 8, 24, false}, WavTarget::file, 5);
  REQUIRE(h.size() == 12 + 36 + 8 + 40 + 8);
  CHECK(tag(h, 12) == "JUNK");
  CHECK(u16(h, 56) == 0xFFFE);
  CHECK(u32(h, 4) == h.size() - 8 + 5 * 24);
  CHECK(tag(h, h.size() - 8) == "data");
}
