// engine/dsp/effect_chain.cpp - see effect_chain.hpp.
#include "engine/dsp/effect_chain.hpp"

#include "engine/dsp/biquad.hpp"
#include "engine/dsp/offline_effects.hpp"
#include "engine/dsp/simple_effects.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace rc {

void EffectChain::add(std::unique_ptr<Effect> effect) {
  effects_.push_back(std::move(effect));
  end_ = effects_.size(); // configure() sets the span again; until then, every effect
}

void EffectChain::add_automatic_dither(int bits) {
  for (const auto& e : effects_)
    if (dynamic_cast<const DitherEffect*>(e.get())) return;
  add(std::make_unique<DitherEffect>(bits, /*automatic=*/true));
}

void EffectChain::set_input_length(std::uint64_t frames, double rate) {
  // A fade after a rate change sees the length at the new rate.
  double length = double(frames);
  double current_rate = rate;
  for (auto& e : effects_) {
    // trim, pad and delay resolve positions from the end with it, and change it.
    const auto whole = static_cast<std::uint64_t>(length);
    e->set_input_length(whole);
    if (const std::uint64_t out = e->output_length(whole, current_rate); out != whole)
      length = double(out);
    if (auto* r = dynamic_cast<RateEffect*>(e.get())) {
      length = length * r->target_rate() / current_rate;
      current_rate = r->target_rate();
    } else if (const auto* s = dynamic_cast<const SpeedEffect*>(e.get())) {
      current_rate *= s->factor(); // the same frames at another rate, as in sox
    }
  }
}

void EffectChain::add_automatic_rate(double input_rate) {
  // sox's user effects up to the first dither, then a rate effect back to the output's rate when
  // the audio's rate differs from it (after speed), then the rest. The output's rate is the last
  // rate effect's, else the input's.
  std::size_t at = effects_.size();
  for (std::size_t i = 0; i < effects_.size(); ++i)
    if (dynamic_cast<const DitherEffect*>(effects_[i].get())) {
      at = i;
      break;
    }
  double rate = input_rate;
  for (std::size_t i = 0; i < at; ++i) {
    if (const auto* r = dynamic_cast<const RateEffect*>(effects_[i].get()))
      rate = r->target_rate();
    else if (const auto* s = dynamic_cast<const SpeedEffect*>(effects_[i].get()))
      rate *= s->factor();
  }
  if (const double target = output_rate(input_rate); rate != target)
    effects_.insert(effects_.begin() + std::ptrdiff_t(at), std::make_unique<RateEffect>(target));
}

double EffectChain::output_rate(double input_rate) const noexcept {
  double target = input_rate;
  for (const auto& e : effects_)
    if (const auto* r = dynamic_cast<const RateEffect*>(e.get())) target = r->target_rate();
  return target;
}

AudioFormat EffectChain::configure(const AudioFormat& input) {
  if (automatic_rate_) add_automatic_rate(input.rate);
  AudioFormat format = input;
  int precision = input_precision_; // sox: kept by SOX_EFF_MODIFY effects, else 32 bits
  formats_.clear();
  for (std::size_t i = 0; i < effects_.size();) {
    Effect& e = *effects_[i];
    auto* dither = dynamic_cast<DitherEffect*>(&e);
    if (dither) dither->set_output_bits(output_bits_);
    e.set_input_precision(precision);
    const AudioFormat out = e.configure(format);
    if (dither && dither->has_no_effect()) {
      // sox drops an effect whose start() finds nothing to do (SOX_EFF_NULL): it is not run, nor
      // listed in the chain, nor does it make headroom.
      effects_.erase(effects_.begin() + std::ptrdiff_t(i));
      continue;
    }
    format = out;
    formats_.push_back(format);
    if (!e.keeps_precision()) precision = 32;
    ++i;
  }
  // sox's in_signal.mult: a gain -h's gain is lowered by every effect after it up to the next
  // one that sets the gain (which lowers it too, then ends it), and by the output's rounding.
  HeadroomGain* maker = nullptr;
  for (auto& e : effects_) {
    if (maker) maker->lower_gain(e->headroom_factor());
    if (!e->sets_gain()) continue;
    if (auto* measured = dynamic_cast<MeasuredGainEffect*>(e.get()))
      measured->set_headroom_in(maker ? maker->gain_factor() : 0.0);
    auto* gain = dynamic_cast<HeadroomGain*>(e.get());
    maker = gain && gain->makes_headroom() ? gain : nullptr;
  }
  end_headroom_ = maker ? std::optional(maker->gain_factor()) : std::nullopt;
  if (maker && output_bits_ > 0 && output_bits_ < 32)
    maker->lower_gain(1 - std::ldexp(1.0, 31 - output_bits_) / 2147483647.0);
  first_ = 0;
  end_ = effects_.size();
  return format;
}

std::optional<double> EffectChain::end_headroom() const noexcept { return end_headroom_; }

AudioBlock EffectChain::process(AudioBlock block) noexcept { return process_from(0, block); }

AudioBlock EffectChain::process_from(std::size_t first, AudioBlock block) noexcept {
  // An empty block (trim outside its windows, reverse until the end) goes no further: its data
  // may be null, which no effect is asked to handle.
  for (std::size_t i = first; i < end_ && block.frames > 0;) i += apply(i, block);
  return block;
}

std::size_t EffectChain::apply(std::size_t index, AudioBlock& block) noexcept {
  // Runs of biquads go through one fused loop (see BiquadEffect::process_cascade).
  std::size_t run = 0;
  while (index + run < end_ && run < cascade_.size() &&
         (cascade_[run] = dynamic_cast<BiquadEffect*>(effects_[index + run].get())) != nullptr)
    ++run;
  if (run > 1) {
    BiquadEffect::process_cascade(cascade_.data(), run, block);
    return run;
  }
  block = effects_[index]->process(block);
  return 1;
}

ChainOutcome EffectChain::process(AudioBlock block, const Sink& sink) {
  if (ended_) return {true, 0};
  block_frames_ = frames_used_ = block.frames;
  run_from(first_, block, sink, /*direct=*/true);
  return {ended_, frames_used_};
}

void EffectChain::run_from(std::size_t first, AudioBlock block, const Sink& sink, bool direct) {
  for (std::size_t i = first; i < end_;) {
    // Goes no further (as in process_from()), nor into an ended effect or one before it.
    if (block.frames == 0 || (ended_ && i <= ended_at_)) return;
    const std::size_t given = block.frames;
    const std::size_t applied = apply(i, block);
    if (applied > 1) { // a fused run of biquads: frame for frame, never more to give
      i += applied;
      continue;
    }
    // The block first, then what the effect has beyond it.
    run_from(i + 1, block, sink, direct && block.frames == given);
    drain(i, sink);
    if (!ended_ && effects_[i]->ended()) {
      ended_ = true;
      ended_at_ = i;
      frames_used_ = direct ? std::min(effects_[i]->frames_taken(), block_frames_) : block_frames_;
    }
    return;
  }
  if (block.frames > 0) sink(block);
}

void EffectChain::drain(std::size_t index, const Sink& sink) {
  for (;;) {
    if (ended_ && index < ended_at_) break; // the pieces would go into an ended effect
    const AudioBlock piece = effects_[index]->more();
    if (piece.frames == 0) break;
    run_from(index + 1, piece, sink, /*direct=*/false);
  }
}

void EffectChain::flush(const Sink& sink) {
  // sox drains from the effect that stopped the flow on: those before it are dropped.
  for (std::size_t i = ended_ ? std::max(ended_at_, first_) : first_; i < end_; ++i) {
    effects_[i]->end_input();
    drain(i, sink);
  }
}

void EffectChain::reset(std::size_t first) noexcept {
  for (std::size_t i = first; i < effects_.size(); ++i) effects_[i]->reset();
  ended_ = false;
  ended_at_ = block_frames_ = frames_used_ = 0;
}

std::string EffectChain::error() const {
  for (const auto& e : effects_)
    if (std::string what = e->error(); !what.empty()) return e->description() + ": " + what;
  return {};
}

bool EffectChain::keeps_precision() const noexcept {
  for (const auto& e : effects_)
    if (!e->keeps_precision()) return false;
  return true;
}

const Effect* EffectChain::first_offline_only() const noexcept {
  for (const auto& e : effects_)
    if (e->offline_only()) return e.get();
  return nullptr;
}

std::vector<MeasuredGainEffect*> EffectChain::norms_to_measure() const {
  std::vector<MeasuredGainEffect*> out;
  for (const auto& e : effects_)
    if (auto* n = dynamic_cast<MeasuredGainEffect*>(e.get()); n && n->measuring()) out.push_back(n);
  return out;
}

std::vector<std::pair<std::string, std::uint64_t>> EffectChain::clips() const {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto& e : effects_)
    if (e->clipped() > 0) out.emplace_back(e->description(), e->clipped());
  return out;
}

std::string EffectChain::description() const {
  std::string out;
  for (const auto& e : effects_) {
    if (!out.empty()) out += ' ';
    out += e->description();
  }
  return out;
}

} // namespace rc
