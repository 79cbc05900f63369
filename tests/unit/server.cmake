relcal_add_test(test_server SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_server.c LIBS relcal_server)
relcal_add_test(test_server_prepared SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_server_prepared.c LIBS relcal_server)
relcal_add_test(test_server_timer SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_server_timer.c LIBS relcal_server)
