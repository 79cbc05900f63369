# policy/severity: published vectors and scores for every scheme, and every refusal path.
# (test_policy_severity itself is registered in policy.cmake.)
relcal_add_test(test_policy_severity_vectors
                SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_severity_vectors.c LIBS relcal_policy)
relcal_add_test(test_policy_severity_parse
                SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_policy_severity_parse.c LIBS relcal_policy)
