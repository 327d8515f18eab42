// engine/util/shared_library.cpp - see shared_library.hpp.
#include "engine/util/shared_library.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace rc {

namespace {
std::string reason() {
  const char* text = dlerror();
  return text != nullptr ? text : "unknown reason";
}
} // namespace

SharedLibrary::SharedLibrary(const char* soname, const char* what)
    : handle_(dlopen(soname, RTLD_NOW | RTLD_GLOBAL)), soname_(soname), what_(what) {
  if (handle_ == nullptr)
    throw std::runtime_error(std::string("cannot load ") + what + " (" + soname + "): " + reason());
}

void* SharedLibrary::address(const char* name) const {
  dlerror(); // clear any earlier error
  void* symbol = dlsym(handle_, name);
  if (symbol == nullptr)
    throw std::runtime_error(std::string(what_) + " (" + soname_ + ") has no " + name + ": " +
                             reason());
  return symbol;
}

} // namespace rc
