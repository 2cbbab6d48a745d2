# Recipe checks: scripts run against the data in ../shared (skipped, exit 77,
# where it is absent).
add_test(NAME recipe_an4_split
         COMMAND ${AURIS_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/an4_split_test.py ${PROJECT_SOURCE_DIR}
                 ${AURIS_SHARED_DIR}/data/an4)
set_tests_properties(recipe_an4_split PROPERTIES SKIP_RETURN_CODE 77 LABELS "recipe" TIMEOUT 120)
add_test(NAME recipe_fsdd_digits_roles
         COMMAND ${AURIS_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/fsdd_digits_roles_test.py ${PROJECT_SOURCE_DIR}
                 $<TARGET_FILE:auris> ${AURIS_SHARED_DIR}/data/fsdd/recordings ${AURIS_SHARED_DIR}/data/an4)
set_tests_properties(recipe_fsdd_digits_roles PROPERTIES SKIP_RETURN_CODE 77 LABELS "recipe" TIMEOUT 300)
add_test(NAME recipe_shipped_digits_an4
         COMMAND ${AURIS_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/shipped_digits_an4_test.py ${PROJECT_SOURCE_DIR}
                 $<TARGET_FILE:auris> ${AURIS_SHARED_DIR}/data/an4)
set_tests_properties(recipe_shipped_digits_an4 PROPERTIES SKIP_RETURN_CODE 77 LABELS "recipe" TIMEOUT 300)
add_test(NAME recipe_kws_an4_roles
         COMMAND ${AURIS_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/kws_an4_roles_test.py ${PROJECT_SOURCE_DIR}
                 $<TARGET_FILE:auris> ${AURIS_SHARED_DIR}/data/an4)
set_tests_properties(recipe_kws_an4_roles PROPERTIES SKIP_RETURN_CODE 77 LABELS "recipe" TIMEOUT 600)
