// engine/util/shared_library.hpp - a system library opened when it is first needed (dlopen), so
// that a run which never uses it never loads it: `process` starts without PortAudio, JACK, ALSA,
// libsoxr or FFTW and what they pull in (libdb, libgomp...), as sox loads its formats on demand.
// Each such library has a file of forwarders (engine/device/*_library.cpp,
// engine/dsp/*_library.cpp): the functions its header declares, defined here to call the
// library's own through a table filled when the first of them is called.
#pragma once

namespace rc {

/// A shared library opened by soname and kept for the life of the program (never closed: JACK
/// and PortAudio leave threads and exit handlers behind).
class SharedLibrary {
public:
  /// Any thread but an audio callback. Effects: opens `soname` with RTLD_NOW | RTLD_GLOBAL
  /// (every symbol bound now, none on an audio thread later; visible to libraries opened after
  /// it, as a link-time dependency is). `what` names it for a reader ("PortAudio").
  /// Throws: std::runtime_error naming both and the loader's reason.
  SharedLibrary(const char* soname, const char* what);
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  /// Any thread. Returns: the library's function `name`, as type Fn (the type the library's
  /// header declares). Throws: std::runtime_error if the library has no such symbol.
  template <typename Fn> [[nodiscard]] Fn function(const char* name) const {
    return reinterpret_cast<Fn>(address(name));
  }

private:
  [[nodiscard]] void* address(const char* name) const;

  void* handle_;
  const char* soname_;
  const char* what_;
};

} // namespace rc

/// A library loaded on first use, at namespace scope of its file of forwarders: `table()` (in an
/// anonymous namespace) returns its functions, loading `soname` (`what` names it in errors) and
/// resolving them all on the first call, thread-safe; and every function of FUNCTIONS, an
/// X-macro list of X(t, ret, name, params, args), is defined as its header declares it, calling
/// the library's own through `table()`. The compiler checks `ret` and `params` against the
/// header (a C function cannot be overloaded). Real-time safe once `table()` has been called: a
/// load of its guard and an indirect call.
#define RC_SHARED_LIBRARY(table, soname, what, FUNCTIONS)                                          \
  namespace {                                                                                      \
  struct table##_functions {                                                                       \
    rc::SharedLibrary library{soname, what};                                                       \
    FUNCTIONS(RC_LIBRARY_MEMBER, table)                                                            \
  };                                                                                               \
  const table##_functions& table() {                                                               \
    static const table##_functions functions;                                                      \
    return functions;                                                                              \
  }                                                                                                \
  }                                                                                                \
  FUNCTIONS(RC_LIBRARY_FORWARD, table)

/// RC_SHARED_LIBRARY's member `name`: the library's `name`, of the type its header declares.
#define RC_LIBRARY_MEMBER(table, ret, name, params, args)                                          \
  decltype(&::name) name = library.function<decltype(&::name)>(#name);

/// RC_SHARED_LIBRARY's forwarder of `name`.
#define RC_LIBRARY_FORWARD(table, ret, name, params, args)                                         \
  extern "C" ret name params { return table().name args; }
