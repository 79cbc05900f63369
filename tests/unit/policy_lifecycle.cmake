relcal_add_test(test_policy_lifecycle SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_lifecycle.c
                LIBS relcal_policy)
