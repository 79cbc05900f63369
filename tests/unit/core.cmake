relcal_add_test(test_core_time SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_core_time.c LIBS relcal_core)
relcal_add_test(test_core_crypto SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_core_crypto.c
                LIBS relcal_core)
relcal_add_test(test_core_misc SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_core_misc.c LIBS relcal_core)
relcal_add_test(test_core_choices SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_core_choices.c
                LIBS relcal_core)
relcal_add_test(test_core_markup SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_core_markup.c
                LIBS relcal_core)
