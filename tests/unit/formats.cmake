relcal_add_test(test_formats SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_formats.c LIBS relcal_formats)
