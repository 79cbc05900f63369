# relcal_add_test(NAME SOURCES <files> LIBS <targets> [LABELS <labels>] [TIMEOUT <s>])
# One cmocka executable per module topic, registered with CTest.
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka>=1.1)

function(relcal_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} PkgConfig::CMOCKA relcal_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "RELCAL_SOURCE_DIR=${PROJECT_SOURCE_DIR};RELCAL_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
