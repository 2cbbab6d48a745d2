# Portable builds with run-time kernel dispatch (src/nn/isa/kernels.h).
#
# AURIS_ARCH_FLAGS: what every target but the kernels compiles for —
# x86-64-v2 (SSE4.2, any x86-64 since 2008) by default, -march=native with
# AURIS_NATIVE=ON. The kernel objects (target property AURIS_ISA_KERNEL) get
# only their own -march.
option(AURIS_NATIVE "Compile everything for the building CPU (-march=native): the binary may die with SIGILL elsewhere" OFF)
set(auris_x86 FALSE)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(auris_x86 TRUE)
endif()
if(AURIS_NATIVE)
  set(AURIS_ARCH_FLAGS -march=native)
elseif(auris_x86)
  set(AURIS_ARCH_FLAGS -march=x86-64-v2 -mtune=generic)
else()
  set(AURIS_ARCH_FLAGS "")
endif()
foreach(flag ${AURIS_ARCH_FLAGS})
  add_compile_options("$<$<NOT:$<BOOL:$<TARGET_PROPERTY:AURIS_ISA_KERNEL>>>:${flag}>")
endforeach()

# auris_isa_kernels(<target> <source>): compile <source> once per instruction
# set, with -DAURIS_ISA_NS=<set> (its namespace) and that set's -march, and
# link the objects into <target>. Without x86-64: the baseline set alone.
function(auris_isa_kernels target source)
  if(auris_x86)
    set(sets baseline avx2 avx512)
    set(flags_baseline -march=x86-64-v2 -mtune=generic)
    set(flags_avx2 -march=x86-64-v3 -mtune=generic)
    set(flags_avx512 -march=x86-64-v4 -mtune=generic -mprefer-vector-width=512)
    target_compile_definitions(${target} PRIVATE AURIS_HAVE_ISA_KERNELS)
  else()
    set(sets baseline)
    set(flags_baseline "")
  endif()
  foreach(set ${sets})
    set(lib ${target}_${set})
    add_library(${lib} OBJECT ${source})
    set_target_properties(${lib} PROPERTIES AURIS_ISA_KERNEL TRUE POSITION_INDEPENDENT_CODE ON)
    # Pure arithmetic: no exception tables (whose personality routine would
    # be a symbol outside the set's namespace).
    target_compile_options(${lib} PRIVATE ${flags_${set}} -fno-exceptions)
    target_compile_definitions(${lib} PRIVATE AURIS_ISA_NS=${set})
    target_include_directories(${lib} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:${lib}>)
  endforeach()
endfunction()
