relcal_add_test(test_notify_outcome SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_notify_outcome.c
                LIBS relcal_notifiers)
relcal_add_test(test_notify_render SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_notify_render.c
                LIBS relcal_notifiers)
relcal_add_test(test_notify_advisories SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_notify_advisories.c
                LIBS relcal_notifiers)
