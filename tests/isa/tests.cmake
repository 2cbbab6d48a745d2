# The per-ISA kernels (src/nn/isa/, src/dsp/isa/): each set this CPU runs vs the baseline
# one, AURIS_ISA, and the portability of the default build's code.
add_executable(isa_probe isa/isa_probe.cc)
target_link_libraries(isa_probe PRIVATE auris_nn)
target_include_directories(isa_probe PRIVATE ${PROJECT_SOURCE_DIR}/src)

add_executable(test_isa isa/kernels_test.cc isa/dsp_kernels_test.cc isa/isa_env_test.cc isa/portable_code_test.cc)
target_link_libraries(test_isa PRIVATE auris_testmain auris_nn auris_dsp)
target_include_directories(test_isa PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_compile_definitions(test_isa PRIVATE AURIS_ISA_PROBE="$<TARGET_FILE:isa_probe>"
                                            AURIS_EXE_PATH="$<TARGET_FILE:auris>"
                                            $<$<BOOL:${AURIS_NATIVE}>:AURIS_NATIVE_BUILD>
                                            $<$<BOOL:${auris_x86}>:AURIS_HAVE_ISA_KERNELS>)
add_dependencies(test_isa isa_probe)
auris_discover_tests(test_isa LABELS unit isa TIMEOUT 600)
