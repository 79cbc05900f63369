relcal_add_test(test_views_checklist SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_views_checklist.c LIBS relcal_views)
relcal_add_test(test_views_log SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_views_log.c LIBS relcal_views)
relcal_add_test(test_views_advisory SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_views_advisory.c LIBS relcal_views)
