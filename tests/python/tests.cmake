# The Python package's tests (pytest), one CTest test per file, run on the
# package of this build tree with the CLI of this build (AURIS_EXE). A file
# whose every test skipped (no pytest, no torch, no corpus) is reported as
# skipped. Labelled nosan: the extension is not built with sanitizers (the
# interpreter would have to preload their runtimes), so test.sh's ASan run
# leaves them out.
if(TARGET _auris)
  file(GLOB py_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.py)
  foreach(test_file ${py_tests})
    get_filename_component(stem ${test_file} NAME_WE)
    add_test(NAME python_${stem}
             COMMAND ${AURIS_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/run_pytest.py ${test_file})
    set_tests_properties(python_${stem} PROPERTIES
      ENVIRONMENT "PYTHONPATH=${CMAKE_BINARY_DIR}/python;AURIS_EXE=$<TARGET_FILE:auris>;AURIS_SOURCE_DIR=${PROJECT_SOURCE_DIR};AURIS_SHARED_DIR=${AURIS_SHARED_DIR};PYTHONDONTWRITEBYTECODE=1"
      SKIP_RETURN_CODE 77 LABELS "python;nosan" TIMEOUT 600)
  endforeach()
endif()
