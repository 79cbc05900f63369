relcal_add_test(test_store SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_store.c LIBS relcal_store)
relcal_add_test(test_store_live SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_store_live.c LIBS relcal_store)
relcal_add_test(test_scheduler SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_scheduler.c
                LIBS relcal_scheduler)
