relcal_add_test(test_config SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_config.c LIBS relcal_config)
relcal_add_test(test_config_advisory_docs
                SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_config_advisory_docs.c LIBS relcal_config)
relcal_add_test(test_config_enums SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_config_enums.c
                LIBS relcal_config)
relcal_add_test(test_config_project SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_config_project.c
                LIBS relcal_config)
