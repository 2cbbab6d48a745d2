# auris_module(<name> [PUBLIC deps...] [PRIVATE deps...])
# One static library per module from src/<name>/*.cc; headers live in
# include/auris/<name>/. A module without sources yet is an INTERFACE target.
# Installed and exported as auris::<name> (cmake/AurisInstall.cmake).
function(auris_module name)
  cmake_parse_arguments(ARG "" "" "PUBLIC;PRIVATE" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cc)
  list(FILTER srcs EXCLUDE REGEX "/isa/")  # per-instruction-set kernels: auris_isa_kernels
  set(target auris_${name})
  set(headers $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  if(srcs)
    add_library(${target} STATIC ${srcs})
    target_include_directories(${target} PUBLIC ${headers} PRIVATE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${headers})
    target_link_libraries(${target} INTERFACE ${ARG_PUBLIC})
  endif()
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  add_library(auris::${name} ALIAS ${target})
  set_property(GLOBAL APPEND PROPERTY AURIS_MODULES ${target})
endfunction()
