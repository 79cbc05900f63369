relcal_add_test(test_policy_severity SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_severity.c
                LIBS relcal_policy)
relcal_add_test(test_policy_cadence SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_cadence.c
                LIBS relcal_policy)
relcal_add_test(test_policy_rules SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_rules.c
                LIBS relcal_policy)
relcal_add_test(test_policy_checklist SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_checklist.c
                LIBS relcal_policy)
relcal_add_test(test_policy_due SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_due.c
                LIBS relcal_policy)
relcal_add_test(test_policy_disclosure SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_disclosure.c
                LIBS relcal_policy)
relcal_add_test(test_policy_releases SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_releases.c
                LIBS relcal_policy)
relcal_add_test(test_policy_tzrule SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_tzrule.c
                LIBS relcal_policy)
relcal_add_test(test_policy_cadence_text
                SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_cadence_text.c LIBS relcal_policy)
relcal_add_test(test_policy_explain SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_explain.c
                LIBS relcal_policy)
relcal_add_test(test_policy_advisory_docs
                SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_advisory_docs.c LIBS relcal_policy)
relcal_add_test(test_policy_types SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_types.c
                LIBS relcal_policy)
