// Specification of InputConversion: device channels to our frames, through a ChannelMap.
#include "engine/audio/input_conversion.hpp"

#include <doctest/doctest.h>

#include <vector>

using rc::ChannelMap;
using rc::Frames;

TEST_CASE("the device's own channels in order are copied as they are") {
  CHECK(rc::InputConversion(2, ChannelMap::first(2)).device_order());
  CHECK_FALSE(rc::InputConversion(4, ChannelMap::first(2)).device_order()); // fewer: strided
  CHECK_FALSE(rc::InputConversion(2, ChannelMap::pair(1, 0)).device_order());
  const std::vector<float> in{0.1f, 0.2f, 0.3f, 0.4f};
  std::vector<float> out(4);
  rc::InputConversion(2, ChannelMap::first(2)).convert(in.data(), Frames{out.data(), 2, 2});
  CHECK(out == in);
}

TEST_CASE("a mono device's channel mapped twice is on both sides") {
  const std::vector<float> in{0.5f, -0.25f, 1.0f};
  std::vector<float> out(6);
  rc::InputConversion(1, ChannelMap::pair(0, 0)).convert(in.data(), Frames{out.data(), 3, 2});
  for (std::size_t i = 0; i < in.size(); ++i) {
    CHECK(out[2 * i] == in[i]);
    CHECK(out[2 * i + 1] == in[i]);
  }
}

TEST_CASE("picked channels of a multichannel device become left and right") {
  // 4 channels: frame i has channel c = 10 * i + c.
  std::vector<float> in;
  for (int i = 0; i < 3; ++i)
    for (int c = 0; c < 4; ++c) in.push_back(float(10 * i + c));
  std::vector<float> out(6);
  const ChannelMap map = ChannelMap::pair(3, 1);
  rc::InputConversion(4, map).convert(in.data(), Frames{out.data(), 3, 2});
  CHECK(out[4] == 23.0f);
  CHECK(out[5] == 21.0f);
  CHECK(map.channels_needed() == 4);
}

TEST_CASE("any number of channels in any order, repeats allowed, from a wider device") {
  // 8 channels: frame i has channel c = 100 * i + c. We take 5, 0, 7 and 0 again.
  std::vector<float> in;
  for (int i = 0; i < 5; ++i)
    for (int c = 0; c < 8; ++c) in.push_back(float(100 * i + c));
  ChannelMap map;
  map.count = 4;
  map.source = {5, 0, 7, 0};
  std::vector<float> out(5 * 4);
  rc::InputConversion(8, map).convert(in.data(), Frames{out.data(), 5, 4});
  for (int i = 0; i < 5; ++i) {
    CHECK(out[4 * i + 0] == float(100 * i + 5));
    CHECK(out[4 * i + 1] == float(100 * i + 0));
    CHECK(out[4 * i + 2] == float(100 * i + 7));
    CHECK(out[4 * i + 3] == float(100 * i + 0));
  }
  CHECK(map.channels_needed() == 8);
  CHECK(ChannelMap::first(3).channels_needed() == 3);
}

TEST_CASE("no input buffer gives silence in every channel") {
  std::vector<float> out(4 * 3, 1.0f);
  rc::InputConversion(3, ChannelMap::first(3)).convert(nullptr, Frames{out.data(), 4, 3});
  for (float s : out) CHECK(s == 0.0f);
}
