relcal_add_test(test_server SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_server.c LIBS relcal_server)
relcal_add_test(test_server_prepared SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_server_prepared.c LIBS relcal_server)
relcal_add_test(test_server_conn SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_server_conn.c LIBS relcal_server)
