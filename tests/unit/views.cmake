relcal_add_test(test_views_checklist SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_views_checklist.c LIBS relcal_views)
