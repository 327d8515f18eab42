// engine/dsp/soxr_library.cpp - libsoxr, loaded when a chain first resamples (`rate`, `speed`,
// a format stage), not at start-up (engine/util/shared_library.hpp). The functions the engine
// calls, as soxr.h declares them.
#include "engine/util/shared_library.hpp"

#include <soxr.h>

// X(t, ret, name, params, args) (t: the table, RC_SHARED_LIBRARY) for each function the engine
// calls.
#define RC_SOXR_FUNCTIONS(X, t)                                                                    \
  X(t, soxr_t, soxr_create,                                                                        \
    (double input_rate, double output_rate, unsigned channels, soxr_error_t* error,                \
     const soxr_io_spec_t* io, const soxr_quality_spec_t* quality,                                 \
     const soxr_runtime_spec_t* runtime),                                                          \
    (input_rate, output_rate, channels, error, io, quality, runtime))                              \
  X(t, soxr_error_t, soxr_process,                                                                 \
    (soxr_t resampler, soxr_in_t in, size_t ilen, size_t * idone, soxr_out_t out, size_t olen,     \
     size_t * odone),                                                                              \
    (resampler, in, ilen, idone, out, olen, odone))                                                \
  X(t, soxr_error_t, soxr_clear, (soxr_t resampler), (resampler))                                  \
  X(t, void, soxr_delete, (soxr_t resampler), (resampler))                                         \
  X(t, soxr_io_spec_t, soxr_io_spec, (soxr_datatype_t itype, soxr_datatype_t otype),               \
    (itype, otype))                                                                                \
  X(t, soxr_quality_spec_t, soxr_quality_spec, (unsigned long recipe, unsigned long flags),        \
    (recipe, flags))

RC_SHARED_LIBRARY(soxr_table, "libsoxr.so.0", "libsoxr", RC_SOXR_FUNCTIONS)
