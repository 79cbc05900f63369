relcal_add_test(test_calendar SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_calendar.c
                LIBS relcal_calendar relcal_config)
