// engine/dsp/fftw_library.cpp - FFTW, loaded when an effect first needs a transform (`sinc`'s
// long filters, `spectrogram`...), not at start-up (engine/util/shared_library.hpp). The
// functions the engine calls, as fftw3.h declares them.
#include "engine/util/shared_library.hpp"

#include <fftw3.h>

// X(ret, name, params, args) for each function the engine calls.
#define RC_FFTW_FUNCTIONS(X)                                                                       \
  X(fftw_plan, fftw_plan_dft_r2c_1d, (int n, double* in, fftw_complex* out, unsigned flags),       \
    (n, in, out, flags))                                                                           \
  X(fftw_plan, fftw_plan_dft_c2r_1d, (int n, fftw_complex* in, double* out, unsigned flags),       \
    (n, in, out, flags))                                                                           \
  X(void, fftw_execute, (const fftw_plan plan), (plan))                                            \
  X(void, fftw_execute_dft_r2c, (const fftw_plan plan, double* in, fftw_complex* out),             \
    (plan, in, out))                                                                               \
  X(void, fftw_execute_dft_c2r, (const fftw_plan plan, fftw_complex* in, double* out),             \
    (plan, in, out))                                                                               \
  X(void, fftw_destroy_plan, (fftw_plan plan), (plan))                                             \
  X(double*, fftw_alloc_real, (size_t n), (n))                                                     \
  X(fftw_complex*, fftw_alloc_complex, (size_t n), (n))                                            \
  X(void, fftw_free, (void* p), (p))

namespace {
struct Fftw {
  rc::SharedLibrary library{"libfftw3.so.3", "FFTW"};
  RC_FFTW_FUNCTIONS(RC_LIBRARY_MEMBER)
};
/// Loads FFTW on the first call (thread-safe).
const Fftw& fftw_table() {
  static const Fftw table;
  return table;
}
} // namespace

#define RC_FFTW_FORWARD(ret, name, params, args)                                                   \
  RC_LIBRARY_FORWARD(fftw_table, ret, name, params, args)
RC_FFTW_FUNCTIONS(RC_FFTW_FORWARD)
