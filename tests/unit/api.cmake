relcal_add_test(test_api_input SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_api_input.c LIBS relcal_api)
relcal_add_test(test_api_view SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_api_view.c LIBS relcal_views)
relcal_add_test(test_api_report SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_api_report.c LIBS relcal_api)
