# Integration test of scripts/slurm-features.sh on a private local Slurm
# cluster (tests/cluster/local_slurm.sh) with the built `auris`. Labelled
# nosan: it tests the launcher and Slurm, not the C++ (the sanitizer pass skips it).
add_executable(test_cluster
  ${CMAKE_CURRENT_LIST_DIR}/slurm_features_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/local_cluster.cc
  ${CMAKE_CURRENT_LIST_DIR}/../cli/cli_support.cc)
target_include_directories(test_cluster PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../cli)
target_link_libraries(test_cluster PRIVATE auris_testmain auris_io auris_audio)
target_compile_definitions(test_cluster PRIVATE AURIS_EXE="$<TARGET_FILE:auris>")
add_dependencies(test_cluster auris)
auris_discover_tests(test_cluster LABELS cluster nosan TIMEOUT 300)
