# auris serve over real sockets (tests/serve/serve_test.py, python3-websocket):
# one CTest test per case. They start servers on ports the kernel picks, so
# they may run in parallel.
foreach(case fsdd an4 int8 models keywords concurrent batched realtime bad_clients limits http sigterm)
  add_test(NAME serve_${case}
           COMMAND ${AURIS_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/serve_test.py --auris $<TARGET_FILE:auris>
                   --source ${PROJECT_SOURCE_DIR} --shared ${AURIS_SHARED_DIR} ${case})
  set_tests_properties(serve_${case} PROPERTIES LABELS "cli;serve" SKIP_RETURN_CODE 77 TIMEOUT 120)
endforeach()
# The demo page in headless chromium with a fake microphone playing a file;
# the screenshot lands in the build tree (CI artifact).
add_test(NAME serve_browser
         COMMAND ${AURIS_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/browser_test.py --auris $<TARGET_FILE:auris>
                 --source ${PROJECT_SOURCE_DIR} --out ${CMAKE_BINARY_DIR}/artifacts)
set_tests_properties(serve_browser PROPERTIES LABELS "cli;serve" SKIP_RETURN_CODE 77 TIMEOUT 120)
