# relcal_module_headers(<target> <folder> [PRIVATE])
# Puts exactly one folder's headers on a library's include path: <binary>/include/<folder>/
# holds a single link <folder> -> the source folder, so "<folder>/x.h" resolves and no other
# folder's header does. A library sees another module's headers only by linking it
# (docs/ARCHITECTURE.md "Layers"; scripts/check-layers.sh checks each #include against the
# table). PRIVATE is for executables, which export nothing.
function(relcal_module_headers target folder)
  set(dir ${PROJECT_BINARY_DIR}/include/${folder})
  file(MAKE_DIRECTORY ${dir})
  if(NOT EXISTS ${dir}/${folder})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${dir}/${folder} SYMBOLIC)
  endif()
  if("${ARGN}" STREQUAL "PRIVATE")
    target_include_directories(${target} PRIVATE ${dir})
  else()
    target_include_directories(${target} PUBLIC ${dir})
  endif()
endfunction()
