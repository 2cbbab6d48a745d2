// Prints the kernel set this process chose (for isa_env_test.cc, which runs
// it under different AURIS_ISA values): "<active> <table matches>", or the
// error of CheckIsaEnvironment and exit status 1.
#include <cstdio>
#include <exception>

#include "auris/core/isa.h"
#include "nn/isa/kernels.h"

int main() {
  try {
    auris::CheckIsaEnvironment();
  } catch (const std::exception& e) {
    std::printf("error: %s\n", e.what());
    return 1;
  }
  const auris::Isa isa = auris::ActiveIsa();
  const bool same = &auris::nn::isa::Active() == auris::nn::isa::KernelsFor(isa);
  std::printf("%s %s\n", auris::IsaName(isa), same ? "table-ok" : "table-mismatch");
  return 0;
}
