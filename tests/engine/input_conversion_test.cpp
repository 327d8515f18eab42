// Specification of convert_input: device channels to stereo frames.
#include "engine/audio/input_conversion.hpp"

#include <doctest/doctest.h>

#include <vector>

using rc::ChannelPick;
using rc::StereoFrame;

TEST_CASE("stereo input passes through in order") {
  const std::vector<float> in{0.1f, 0.2f, 0.3f, 0.4f};
  std::vector<StereoFrame> out(2);
  rc::convert_input(in.data(), 2, 2, ChannelPick{}, out);
  CHECK(out[0].left == 0.1f);
  CHECK(out[0].right == 0.2f);
  CHECK(out[1].left == 0.3f);
  CHECK(out[1].right == 0.4f);
}

TEST_CASE("mono input is duplicated to both sides") {
  const std::vector<float> in{0.5f, -0.25f, 1.0f};
  std::vector<StereoFrame> out(3);
  rc::convert_input(in.data(), 3, 1, ChannelPick{}, out);
  for (std::size_t i = 0; i < in.size(); ++i) {
    CHECK(out[i].left == in[i]);
    CHECK(out[i].right == in[i]);
  }
}

TEST_CASE("picked channels of a multichannel device become left and right") {
  // 4 channels: frame i has channel c = 10 * i + c.
  std::vector<float> in;
  for (int i = 0; i < 3; ++i)
    for (int c = 0; c < 4; ++c) in.push_back(float(10 * i + c));
  std::vector<StereoFrame> out(3);
  rc::convert_input(in.data(), 3, 4, ChannelPick{3, 1}, out);
  CHECK(out[2].left == 23.0f);
  CHECK(out[2].right == 21.0f);
  CHECK(ChannelPick{3, 1}.channels_needed() == 4);
}

TEST_CASE("no input buffer gives silence") {
  std::vector<StereoFrame> out(4, StereoFrame{1.0f, 1.0f});
  rc::convert_input(nullptr, 4, 2, ChannelPick{}, out);
  for (const StereoFrame& f : out) CHECK((f.left == 0.0f && f.right == 0.0f));
}
