relcal_add_test(test_page SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_page.c LIBS relcal_page relcal_config)
