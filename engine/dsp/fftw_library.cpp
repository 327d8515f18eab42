// engine/dsp/fftw_library.cpp - FFTW, loaded when an effect first needs a transform (`sinc`'s
// long filters, `spectrogram`...), not at start-up (engine/util/shared_library.hpp). The
// functions the engine calls, as fftw3.h declares them.
#include "engine/util/shared_library.hpp"

#include <fftw3.h>

// X(t, ret, name, params, args) (t: the table, RC_SHARED_LIBRARY) for each function the engine
// calls.
#define RC_FFTW_FUNCTIONS(X, t)                                                                    \
  X(t, fftw_plan, fftw_plan_dft_r2c_1d, (int n, double* in, fftw_complex* out, unsigned flags),    \
    (n, in, out, flags))                                                                           \
  X(t, fftw_plan, fftw_plan_dft_c2r_1d, (int n, fftw_complex* in, double* out, unsigned flags),    \
    (n, in, out, flags))                                                                           \
  X(t, void, fftw_execute, (const fftw_plan plan), (plan))                                         \
  X(t, void, fftw_execute_dft_r2c, (const fftw_plan plan, double* in, fftw_complex* out),          \
    (plan, in, out))                                                                               \
  X(t, void, fftw_execute_dft_c2r, (const fftw_plan plan, fftw_complex* in, double* out),          \
    (plan, in, out))                                                                               \
  X(t, void, fftw_destroy_plan, (fftw_plan plan), (plan))                                          \
  X(t, double*, fftw_alloc_real, (size_t n), (n))                                                  \
  X(t, fftw_complex*, fftw_alloc_complex, (size_t n), (n))                                         \
  X(t, void, fftw_free, (void* p), (p))

RC_SHARED_LIBRARY(fftw_table, "libfftw3.so.3", "FFTW", RC_FFTW_FUNCTIONS)
